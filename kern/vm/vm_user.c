// SPDX-License-Identifier: MIT
//
// The Mach VM calls, internal halves (see vm_user.h).  vm_allocate and its
// siblings turn the classic byte-granular arguments into page-aligned
// ranges and call the map; vm_read, vm_write and vm_copy take page-aligned
// arguments as the Mach manual states them and check the whole range
// before the first byte moves (decode, then commit).  The MIG server
// routines are in vm_server.c.

#include <vm/vm_user.h>
#include <vm/vm_pageout.h>
#include <vm/vm_map.h>
#include <vm/vm_map_internal.h>
#include <vm/vm_object.h>
#include <vm/vm_page.h>
#include <vm/vm_fault.h>
#include <ipc/ipc_ool.h>
#include <kern/kalloc.h>
#include <machine/vmparam.h>

// [trunc(addr), round(addr + size)) into *start, *end; false if it wraps.
static bool
page_range(vaddr_t addr, vm_size_t size, vaddr_t *start, vaddr_t *end)
{
    if (addr + size < addr || addr + size > UINTPTR_MAX - (PAGE_SIZE - 1))
        return false;
    *start = ROUND_DOWN(addr, PAGE_SIZE);
    *end = ROUND_UP(addr + size, PAGE_SIZE);
    return true;
}

kern_return_t
vm_allocate_internal(struct vm_map *map, vaddr_t *addr, vm_size_t size, bool anywhere)
{
    vaddr_t start, end;

    if (size == 0) {
        *addr = 0;
        return KERN_SUCCESS;
    }
    if (!page_range(anywhere ? map->vmm_min : *addr, size, &start, &end))
        return KERN_INVALID_ARGUMENT;
    kern_return_t kr = vm_map_enter(map, &start, end - start, 0, anywhere, NULL, 0, VM_PROT_DEFAULT,
                                    VM_PROT_ALL, VM_INHERIT_DEFAULT);
    if (kr == KERN_SUCCESS)
        *addr = start;
    return kr;
}

kern_return_t
vm_deallocate_internal(struct vm_map *map, vaddr_t addr, vm_size_t size)
{
    vaddr_t start, end;

    if (size == 0)
        return KERN_SUCCESS;
    if (!page_range(addr, size, &start, &end))
        return KERN_INVALID_ARGUMENT;
    return vm_map_remove(map, start, end);
}

kern_return_t
vm_protect_internal(struct vm_map *map, vaddr_t addr, vm_size_t size, bool set_max,
                    vm_prot_t new_prot)
{
    vaddr_t start, end;

    if (size == 0)
        return KERN_SUCCESS;
    if (!page_range(addr, size, &start, &end))
        return KERN_INVALID_ARGUMENT;
    return vm_map_protect(map, start, end, new_prot, set_max);
}

kern_return_t
vm_inherit_internal(struct vm_map *map, vaddr_t addr, vm_size_t size, vm_inherit_t inh)
{
    vaddr_t start, end;

    if (size == 0)
        return KERN_SUCCESS;
    if (!page_range(addr, size, &start, &end))
        return KERN_INVALID_ARGUMENT;
    return vm_map_inherit(map, start, end, inh);
}

// ---------------------------------------------------------------------------
// vm_read, vm_write, vm_copy: moving bytes.

// Checks the page-aligned range [addr, addr + size) of map for a transfer
// with `access`: KERN_INVALID_ARGUMENT when addr or size is not page
// aligned; KERN_INVALID_ADDRESS when it wraps, leaves the map or has a
// hole; KERN_PROTECTION_FAILURE when a page lacks `access`.  Takes and
// drops the map lock.  The answer can be stale by the time the caller
// acts on it, but only through another thread of the task changing its own
// map, which vm_map_read/vm_map_write then report.
static kern_return_t
range_check(struct vm_map *map, vaddr_t addr, vm_size_t size, vm_prot_t access)
{
    kern_return_t kr = KERN_SUCCESS;
    vaddr_t end = addr + size, next = addr;

    if (addr % PAGE_SIZE != 0 || size % PAGE_SIZE != 0)
        return KERN_INVALID_ARGUMENT;
    if (end < addr || addr < map->vmm_min || end > map->vmm_max)
        return KERN_INVALID_ADDRESS;
    spin_lock(&map->vmm_lock);
    for (struct vm_map_entry *e = vm_map_entry_first_locked(map, addr);
         kr == KERN_SUCCESS && next < end; e = vm_map_entry_next(e)) {
        if (e == NULL || vme_start(e) > next)
            kr = KERN_INVALID_ADDRESS; // a hole at `next`
        else if ((access & ~e->vme_protection) != 0)
            kr = KERN_PROTECTION_FAILURE;
        else
            next = vme_end(e);
    }
    spin_unlock(&map->vmm_lock);
    return kr;
}

kern_return_t
vm_read_internal(struct vm_map *map, vaddr_t addr, vm_size_t size, void **datap)
{
    kern_return_t kr = range_check(map, addr, size, VM_PROT_READ);
    void *data;

    if (kr != KERN_SUCCESS)
        return kr;
    if (size == 0) {
        *datap = NULL;
        return KERN_SUCCESS;
    }
    // The reply carries the data by physical copy for now: a kernel
    // buffer that ipc_ool_copyout moves into the caller.  A virtual copy
    // (vm_map_copyin) belongs here, and only here, once the reply path of
    // kernel servers takes map copies.
    if (size > IPC_OOL_MAX_SIZE || (data = ipc_ool_alloc(size)) == NULL)
        return KERN_RESOURCE_SHORTAGE;
    kr = vm_map_read(map, addr, data, size);
    if (kr != KERN_SUCCESS) {
        ipc_ool_discard(data, size);
        return kr;
    }
    *datap = data;
    return KERN_SUCCESS;
}

kern_return_t
vm_write_internal(struct vm_map *map, vaddr_t addr, const void *data, vm_size_t size)
{
    kern_return_t kr = range_check(map, addr, size, VM_PROT_WRITE);

    if (kr != KERN_SUCCESS || size == 0)
        return kr;
    return vm_map_write(map, addr, data, size);
}

#define VM_COPY_CHUNK (64 * 1024) // the bounce buffer of vm_copy

kern_return_t
vm_copy_internal(struct vm_map *map, vaddr_t src, vm_size_t size, vaddr_t dst)
{
    kern_return_t kr = range_check(map, src, size, VM_PROT_READ);
    size_t chunk = MIN(size, VM_COPY_CHUNK);
    char *buf;

    if (kr == KERN_SUCCESS)
        kr = range_check(map, dst, size, VM_PROT_WRITE);
    if (kr != KERN_SUCCESS || size == 0 || src == dst)
        return kr;
    if ((buf = kalloc(chunk)) == NULL)
        return KERN_RESOURCE_SHORTAGE;
    // Physical copy through a bounce buffer (TODO: vm_map_copyin plus an
    // overwriting copyout, so that no page is copied until written).  When
    // the ranges overlap with dst above src, go from the top down, so every
    // byte is read before it is overwritten: the result is the source as
    // it was at the call, as a virtual copy would give.
    bool down = dst > src && dst < src + size;
    for (vm_size_t done = 0, n; kr == KERN_SUCCESS && done < size; done += n) {
        n = MIN(chunk, size - done);
        vm_size_t off = down ? size - done - n : done;
        kr = vm_map_read(map, src + off, buf, n);
        if (kr == KERN_SUCCESS)
            kr = vm_map_write(map, dst + off, buf, n);
    }
    kfree(buf, chunk);
    return kr;
}

// ---------------------------------------------------------------------------
// vm_region, vm_statistics, vm_map.

kern_return_t
vm_region_internal(struct vm_map *map, vaddr_t *addr, struct vm_region_info *info)
{
    struct vm_map_entry *e;

    if (*addr >= map->vmm_max)
        return KERN_NO_SPACE;
    spin_lock(&map->vmm_lock);
    e = vm_map_entry_first_locked(map, *addr);
    if (e != NULL) {
        *info = (struct vm_region_info){
            .vri_start = vme_start(e),
            .vri_size = vme_end(e) - vme_start(e),
            .vri_protection = e->vme_protection,
            .vri_max_protection = e->vme_max_protection,
            .vri_inheritance = e->vme_inheritance,
            .vri_is_shared = e->vme_is_shared,
            .vri_offset = e->vme_offset,
        };
    }
    spin_unlock(&map->vmm_lock);
    if (e == NULL)
        return KERN_NO_SPACE;
    *addr = info->vri_start;
    return KERN_SUCCESS;
}

// Counters are integer_t in the ABI: event counts wrap like Mach's would,
// page counts never get near the limit.
static integer_t
stat_clamp(size_t n)
{
    return (integer_t)(n & INT32_MAX);
}

void
vm_statistics_internal(struct vm_statistics *st)
{
    struct vm_page_counts pc;
    struct vm_fault_counts fc;
    struct vm_pageout_counts po;

    vm_page_counts(&pc);
    vm_fault_counts(&fc);
    vm_pageout_counts(&po);
    // wire_count: pages the kernel holds that no pager could take (its
    // image, the page array, zones, kmem, page tables, stacks, pages in
    // flight to a pager): neither free nor on a paging queue.  pageins:
    // pages pagers supplied; pageouts: pages written to pagers.  lookups
    // and hits count an object cache (Mach's cache of unreferenced objects
    // backed by pagers), which Quay does not have: 0.
    *st = (struct vm_statistics){
        .pagesize = PAGE_SIZE,
        .free_count = stat_clamp(pc.vpc_free),
        .active_count = stat_clamp(pc.vpc_active),
        .inactive_count = stat_clamp(pc.vpc_inactive),
        .wire_count = stat_clamp(pc.vpc_wired),
        .zero_fill_count = stat_clamp(fc.vfc_zero_fills),
        .reactivations = stat_clamp(vm_page_reactivations()),
        .pageins = stat_clamp(po.vpo_pageins),
        .pageouts = stat_clamp(po.vpo_pageouts),
        .faults = stat_clamp(fc.vfc_faults),
        .cow_faults = stat_clamp(fc.vfc_cow_faults),
    };
}

kern_return_t
vm_map_anonymous_internal(struct vm_map *map, vaddr_t *addr, vm_size_t size, vaddr_t mask,
                          bool anywhere, vm_prot_t cur, vm_prot_t max, vm_inherit_t inh)
{
    vaddr_t hint = *addr, start, end;

    if (size == 0)
        return KERN_INVALID_ARGUMENT;
    if (anywhere && (hint < map->vmm_min || hint >= map->vmm_max))
        hint = map->vmm_min; // a hint outside the map means "anywhere at all"
    if (!page_range(hint, size, &start, &end))
        return anywhere ? KERN_NO_SPACE : KERN_INVALID_ARGUMENT;
    kern_return_t kr =
        vm_map_enter(map, &start, end - start, mask, anywhere, NULL, 0, cur, max, inh);
    if (kr == KERN_SUCCESS)
        *addr = start;
    return kr;
}

kern_return_t
vm_map_object_internal(struct vm_map *map, vaddr_t *addr, vm_size_t size, vaddr_t mask,
                       bool anywhere, struct vm_object *obj, vm_offset_t offset, bool copy,
                       vm_prot_t cur, vm_prot_t max, vm_inherit_t inh)
{
    vaddr_t hint = *addr, start, end;
    struct vm_object *view = obj;

    if (size == 0 || offset % PAGE_SIZE != 0)
        return KERN_INVALID_ARGUMENT;
    if (anywhere && (hint < map->vmm_min || hint >= map->vmm_max))
        hint = map->vmm_min;
    if (!page_range(hint, size, &start, &end))
        return anywhere ? KERN_NO_SPACE : KERN_INVALID_ARGUMENT;
    if (offset > obj->vo_size || end - start > obj->vo_size - offset)
        return KERN_INVALID_ARGUMENT;
    if (copy) { // the shadow takes our reference to obj; undone on failure
        vm_object_reference(obj);
        if ((view = vm_object_shadow(obj, offset, end - start)) == NULL) {
            vm_object_deallocate(obj);
            return KERN_RESOURCE_SHORTAGE;
        }
        offset = 0;
    }
    kern_return_t kr =
        vm_map_enter(map, &start, end - start, mask, anywhere, view, offset, cur, max, inh);
    if (kr != KERN_SUCCESS) {
        if (copy)
            vm_object_deallocate(view); // and with it the reference it took
        return kr;
    }
    if (copy)
        vm_object_deallocate(obj); // the shadow holds obj now
    *addr = start;
    return KERN_SUCCESS;
}

// SPDX-License-Identifier: MIT
//
// The Mach VM calls, internal halves (see vm_user.h).  They turn the
// classic byte-granular arguments into page-aligned ranges and call the
// map.  The MIG server routines (VM issue) will sit in this file too, each
// converting a task port to its map and calling one of these.

#include <vm/vm_user.h>
#include <vm/vm_map.h>
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

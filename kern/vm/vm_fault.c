// SPDX-License-Identifier: MIT
//
// The page-fault handler of the VM system (see vm_fault.h).  A fault is
// resolved with the map unlocked in the middle (vm_map.h explains the
// timestamp protocol):
//
//   1. vm_map_lookup: entry, protection check, object reference, timestamp.
//      A write to a needs-copy entry gives the entry its shadow object
//      first, so the "top" object of the lookup is the one to write.
//   2. vm_fault_page: collapse what can be collapsed below the top object,
//      then walk down the shadow chain to the first object holding the
//      page (vm_object_page_find).  None has it: zero fill in the top
//      object.  The top has it: use it.  A lower object has it: a write,
//      or a read through an entry shared with another map, copies it up
//      into the top object (so every sharer sees the same page later); a
//      read otherwise maps the lower page without write access, and the
//      first write copies it then.
//   3. vm_map_verify: relock; if the map changed since step 1 (an entry
//      was removed or its protection lowered), drop everything and start
//      over, so a stale translation is never entered.
//   4. pmap_enter with the map still locked, so a vm_map_remove cannot run
//      between the check and the enter and leave a translation behind, and
//      with the page's object locked after checking that the page is still
//      there (vm_fault_page_lock), so that pageout, which marks a page
//      CLEANING under that lock before it removes its translations, never
//      misses one.
//
// When no page can be had (free pages are down to the reserve), the fault
// waits for the pageout daemon (vm_page_wait) and starts over.
//
// README.md ("A copy-on-write fault, step by step") follows one fault
// through a three-object chain.  When the walk of step 2 ends at an
// external object (a pager's: the page is absent at the bottom, or busy or
// in error there), memory_object_page_in asks the pager or waits for the
// answer to an earlier request, and step 2 starts again (README.md,
// "Pagers").

#include <vm/vm_fault.h>
#include <vm/memory_object.h>
#include <vm/vm_map.h>
#include <vm/vm_object.h>
#include <vm/vm_page.h>
#include <vm/vm_pageout.h>
#include <vm/pmap.h>
#include <kern/assert.h>

// Counters for vm_statistics (atomic).  Mach counts the same events in
// vm_fault_page: every page resolved, each zero fill, each copy up.
static size_t faults, zero_fills, cow_faults;

void
vm_fault_counts(struct vm_fault_counts *c)
{
    *c = (struct vm_fault_counts){
        .vfc_faults = __atomic_load_n(&faults, __ATOMIC_RELAXED),
        .vfc_zero_fills = __atomic_load_n(&zero_fills, __ATOMIC_RELAXED),
        .vfc_cow_faults = __atomic_load_n(&cow_faults, __ATOMIC_RELAXED),
    };
}

kern_return_t
vm_fault_page(const struct vm_map_lookup *lk, vm_prot_t access, struct vm_fault_page *out)
{
    struct vm_object *top = lk->vml_object, *owner;
    struct vm_page *p;
    vm_prot_t prot = lk->vml_prot;
    vm_offset_t where;
    kern_return_t kr;

    __atomic_add_fetch(&faults, 1, __ATOMIC_RELAXED);
    vm_object_collapse(top);
again:
    for (;;) {
        vm_object_page_find(top, lk->vml_offset, &owner, &p, &where);
        if (p == NULL && owner == NULL)
            break;
        // A lower object's page is only read (copied up or mapped read-only).
        vm_prot_t need = owner == top ? access : VM_PROT_READ;
        if (p != NULL && !(__atomic_load_n(&p->vp_page_lock, __ATOMIC_RELAXED) & need))
            break;
        // The page is the pager's to give, or to unlock: wait for it, then
        // look again.
        kr = p == NULL ? memory_object_page_in(owner, where, need)
                       : memory_object_unlock(owner, where, need);
        vm_object_deallocate(owner);
        if (kr != KERN_SUCCESS)
            return kr;
    }
    if (p == NULL) { // nowhere in the chain: zero fill at the top
        kr = vm_object_page_get(top, lk->vml_offset, &p);
        if (kr != KERN_SUCCESS)
            return kr;
        __atomic_add_fetch(&zero_fills, 1, __ATOMIC_RELAXED);
        vm_object_reference(top);
        owner = top;
    } else if (owner != top) {
        if ((access & VM_PROT_WRITE) || (!lk->vml_cow && lk->vml_shared)) {
            struct vm_page *copy;
            kr = vm_object_page_copy(top, lk->vml_offset, owner, p, &copy);
            vm_object_deallocate(owner);
            if (kr == KERN_MEMORY_RESTART_COPY)
                goto again; // p was being paged out
            if (kr != KERN_SUCCESS)
                return kr;
            __atomic_add_fetch(&cow_faults, 1, __ATOMIC_RELAXED);
            vm_object_reference(top);
            owner = top;
            p = copy;
        } else {
            prot &= ~VM_PROT_WRITE; // a lower object's page is never written
        }
    }
    *out = (struct vm_fault_page){.vfp_page = p, .vfp_owner = owner, .vfp_prot = prot};
    return KERN_SUCCESS;
}

void
vm_fault_page_done(struct vm_fault_page *fp)
{
    vm_object_deallocate(fp->vfp_owner);
    fp->vfp_owner = NULL;
}

bool
vm_fault_page_lock(struct vm_fault_page *fp, vm_prot_t access)
{
    struct vm_page *p = fp->vfp_page;

    spin_lock(&fp->vfp_owner->vo_lock);
    if (p->vp_object == fp->vfp_owner && !(p->vp_flags & VM_PAGE_WAIT_FLAGS) &&
        !(p->vp_page_lock & access))
        return true;
    spin_unlock(&fp->vfp_owner->vo_lock);
    return false;
}

void
vm_fault_page_unlock(struct vm_fault_page *fp)
{
    spin_unlock(&fp->vfp_owner->vo_lock);
}

kern_return_t
vm_fault(struct vm_map *map, vaddr_t addr, vm_prot_t fault_type)
{
    vaddr_t va = ROUND_DOWN(addr, PAGE_SIZE);

    assert((fault_type & ~VM_PROT_ALL) == 0);
    for (;;) {
        struct vm_map_lookup lk;
        struct vm_fault_page fp;
        kern_return_t kr = vm_map_lookup(map, va, fault_type, &lk);
        if (kr != KERN_SUCCESS)
            return kr;
        kr = vm_fault_page(&lk, fault_type, &fp);
        if (kr == KERN_SUCCESS) {
            bool again = !vm_map_verify(map, &lk); // the map changed under us
            if (!again && !vm_fault_page_lock(&fp, fault_type)) {
                vm_map_verify_done(map); // the page is being paged out or was locked
                again = true;
            }
            if (again) {
                vm_fault_page_done(&fp);
                vm_map_lookup_done(&lk);
                continue;
            }
            vm_prot_t prot = fp.vfp_prot & ~(vm_prot_t)fp.vfp_page->vp_page_lock;
            kr = pmap_enter(map->pmap, va, vm_page_to_phys(fp.vfp_page), prot, false);
            vm_fault_page_unlock(&fp);
            vm_map_verify_done(map);
            vm_fault_page_done(&fp);
        }
        vm_map_lookup_done(&lk);
        if (kr == KERN_RESOURCE_SHORTAGE && (kr = vm_page_wait()) == KERN_SUCCESS)
            continue; // the daemon freed pages: try again
        return kr;
    }
}

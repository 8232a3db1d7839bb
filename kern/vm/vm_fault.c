// SPDX-License-Identifier: MIT
//
// The page-fault handler of the VM system (see vm_fault.h).  A fault is
// resolved with the map unlocked in the middle (vm_map.h explains the
// timestamp protocol):
//
//   1. vm_map_lookup: entry, protection check, object reference, timestamp.
//   2. vm_object_page_get: the page, zero-filled if it was not resident.
//   3. vm_map_verify: relock; if the map changed since step 1 (an entry
//      was removed or its protection lowered), drop everything and start
//      over, so a stale translation is never entered.
//   4. pmap_enter with the map still locked, so a vm_map_remove cannot run
//      between the check and the enter and leave a translation behind.
//
// The VM issue extends step 2 into Mach's walk down the shadow chain: find
// the page in the first object that has it, copy it up into the top object
// on a write to a copy-on-write entry, and ask the pager when no object
// has it.  It also enters read-only what a write would have to copy.

#include <vm/vm_fault.h>
#include <vm/vm_map.h>
#include <vm/vm_object.h>
#include <vm/vm_page.h>
#include <vm/pmap.h>
#include <kern/assert.h>

kern_return_t
vm_fault(struct vm_map *map, vaddr_t addr, vm_prot_t fault_type)
{
    vaddr_t va = ROUND_DOWN(addr, PAGE_SIZE);

    assert((fault_type & ~VM_PROT_ALL) == 0);
    for (;;) {
        struct vm_map_lookup lk;
        struct vm_page *page;
        kern_return_t kr = vm_map_lookup(map, va, fault_type, &lk);
        if (kr != KERN_SUCCESS)
            return kr;
        kr = vm_object_page_get(lk.vml_object, lk.vml_offset, &page);
        if (kr == KERN_SUCCESS) {
            if (!vm_map_verify(map, &lk)) {
                vm_map_lookup_done(&lk);
                continue; // the map changed under us: look again
            }
            kr = pmap_enter(map->pmap, va, vm_page_to_phys(page), lk.vml_prot, false);
            vm_map_verify_done(map);
        }
        vm_map_lookup_done(&lk);
        return kr;
    }
}

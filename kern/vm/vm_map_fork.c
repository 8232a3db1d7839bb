// SPDX-License-Identifier: MIT
//
// Inheritance (see vm_map_fork in vm_map.h): the address space of a child
// task built from its parent's, entry by entry, as each entry's
// inheritance says.  Nothing is copied: COPY entries become copy-on-write
// in both maps, SHARE entries reference the same object.
//
// Locks: the parent's map lock is held throughout (entries are allocated
// under it, from a zone that ranks above).  The child map is new and not
// yet reachable by anyone else, so its tree is filled without its lock.

#include <vm/vm_map_internal.h>
#include <vm/vm_object.h>
#include <vm/pmap.h>
#include <kern/assert.h>

// Prepares parent entry e for inheritance and fills the child's entry ce.
// Returns false (ce untouched) when memory for a shadow is short.
static bool
fork_entry_locked(struct vm_map *parent, struct vm_map_entry *e, struct vm_map_entry *ce)
{
    if (e->vme_inheritance == VM_INHERIT_SHARE) {
        // Both maps must write one object: resolve a pending copy first,
        // and drop the parent's read-only translations of the old object's
        // pages, which would not show the child's writes to the new one.
        if (e->vme_needs_copy) {
            if (!vm_map_entry_copy_now_locked(parent, e))
                return false;
            pmap_remove(parent->pmap, vme_start(e), vme_end(e));
        }
        e->vme_is_shared = true;
        *ce = *e;
    } else {
        // Keep chains short before they grow by one more level.
        vm_object_collapse(e->vme_object);
        vm_map_entry_mark_needs_copy_locked(parent, e);
        *ce = *e;
        ce->vme_is_shared = false;
    }
    ce->vme_dead_next = NULL;
    vm_object_reference(ce->vme_object);
    return true;
}

struct vm_map *
vm_map_fork(struct vm_map *parent)
{
    struct vm_map *child = vm_map_create();
    bool ok = true;

    if (child == NULL)
        return NULL;
    spin_lock(&parent->vmm_lock);
    for (struct vm_map_entry *e = vm_map_entry_first_locked(parent, 0); ok && e != NULL;
         e = vm_map_entry_next(e)) {
        if (e->vme_inheritance == VM_INHERIT_NONE)
            continue;
        struct vm_map_entry *ce = vm_map_entry_alloc();
        ok = ce != NULL && fork_entry_locked(parent, e, ce);
        if (!ok) {
            if (ce != NULL)
                vm_map_entry_free(ce);
            break;
        }
        vm_map_store_insert(&child->vmm_entries, &ce->vme_links, vme_start(e), vme_end(e));
        child->vmm_size += vme_end(e) - vme_start(e);
    }
    parent->vmm_timestamp++; // faults in progress must see the new flags
    spin_unlock(&parent->vmm_lock);
    if (!ok) {
        vm_map_deallocate(child);
        return NULL;
    }
    return child;
}

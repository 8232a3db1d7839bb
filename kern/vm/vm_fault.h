/* SPDX-License-Identifier: MIT
 *
 * Page faults on user addresses (vm_fault.c).
 */
#ifndef _VM_VM_FAULT_H_
#define _VM_VM_FAULT_H_

#include <kern/types.h>
#include <mach/kern_return.h>
#include <mach/vm_prot.h>

struct vm_map;
struct vm_map_lookup;
struct vm_object;
struct vm_page;

/* Resolves a fault at addr in map for an access of fault_type
 * (VM_PROT_READ, WRITE or EXECUTE): finds the entry, finds the page down
 * the entry object's shadow chain (zero-filled in the entry's object when
 * no object has it; copied up into it on a write when a lower object has
 * it) and enters it into the map's pmap with the entry's current
 * protection, less write when the page belongs to a lower object or the
 * entry is still copy-on-write.  map need not be the current
 * address space.  A fault on a page that is already mapped as allowed
 * changes nothing.  Call with no spinlock held: it takes the map and object
 * locks in turn, and blocks (interruptibly) while a pager supplies a page.
 * Returns
 *   KERN_SUCCESS: retry the access;
 *   KERN_INVALID_ADDRESS: no entry holds addr;
 *   KERN_PROTECTION_FAILURE: the entry does not allow fault_type;
 *   KERN_RESOURCE_SHORTAGE: no page or page-table page could be had,
 *     even after waiting for the pageout daemon (memory is exhausted);
 *   KERN_MEMORY_ERROR: the page's pager answered data_error;
 *   KERN_MEMORY_FAILURE: the page's pager is dead (its port's receive
 *     right was destroyed);
 *   KERN_ABORTED: the wait for a pager or for memory was interrupted (thread_abort,
 *     termination): nothing was entered; a user fault simply runs the
 *     access again once the thread is back at the user boundary.
 * The caller turns the failures into an exception (user mode) or an error
 * return (copyin/copyout). */
kern_return_t vm_fault(struct vm_map *map, vaddr_t addr, vm_prot_t fault_type);

/* The page a lookup resolves to, for vm_fault and vm_map_read/write. */
struct vm_fault_page {
    struct vm_page *vfp_page;
    struct vm_object *vfp_owner; /* holds vfp_page; referenced */
    vm_prot_t vfp_prot;          /* what a translation of it may allow */
};

/* The object work of a fault: the page for lk (from vm_map_lookup with
 * `access`) as described for vm_fault.  On success the caller uses
 * out->vfp_page, then calls vm_fault_page_done.  Takes object locks one at
 * a time, and waits for pagers; call with no spinlock held.  Returns
 * KERN_SUCCESS, KERN_RESOURCE_SHORTAGE, KERN_MEMORY_ERROR, KERN_MEMORY_FAILURE or
 * KERN_ABORTED. */
kern_return_t vm_fault_page(const struct vm_map_lookup *lk, vm_prot_t access,
                            struct vm_fault_page *out);
void vm_fault_page_done(struct vm_fault_page *fp);

/* The page may be taken away between vm_fault_page and its use (pageout
 * marks it VM_PAGE_CLEANING under its object's lock and then removes its
 * translations), or its pager may lock it.  So its frame is used -- entered
 * into a pmap, read or written -- only between these two: lock takes the
 * owner's lock and returns true if the page is still there, not being
 * cleaned and not locked against `access`, false (unlocked; look it up
 * again) otherwise.  Under the lock, vfp_prot less the page's lock value
 * is what a translation may allow. */
bool vm_fault_page_lock(struct vm_fault_page *fp, vm_prot_t access);
void vm_fault_page_unlock(struct vm_fault_page *fp);

/* Counters since boot, for vm_statistics: pages resolved by vm_fault_page
 * (user faults, kernel faults on user memory, and vm_read/vm_write through
 * another task's map), pages zero-filled, and pages copied up for a
 * copy-on-write write (or a read through a shared entry). */
struct vm_fault_counts {
    size_t vfc_faults, vfc_zero_fills, vfc_cow_faults;
};
void vm_fault_counts(struct vm_fault_counts *c);

#endif

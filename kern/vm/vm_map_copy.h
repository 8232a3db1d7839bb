/* SPDX-License-Identifier: MIT
 *
 * READY (for engineer C, out-of-line memory): vm_map_copyin,
 * vm_map_copyout, vm_map_copy_discard and vm_map_copy_size below are
 * implemented with exactly these signatures and tested by
 * test/kern/vm_cow_copy.c (ktest=vm_copy.*).
 *
 * Map copies (vm_map_copy.c): a snapshot of a range of one address space,
 * held by the kernel between vm_map_copyin and vm_map_copyout, as Mach's
 * out-of-line memory needs.  A copy is a list of map entries detached from
 * any map; each references the objects of the source copy-on-write
 * (vme_needs_copy), so taking the snapshot copies no page: the first write
 * on either side, after the copy is made, makes a shadow object for the
 * writer (vm_map_lookup).  The receiver sees the data as it was at
 * copyin, and the sender never sees the receiver's writes.
 */
#ifndef _VM_VM_MAP_COPY_H_
#define _VM_VM_MAP_COPY_H_

#include <kern/types.h>
#include <mach/kern_return.h>
#include <mach/vm_types.h>

struct vm_map;
struct vm_map_entry;
struct vm_object;

struct vm_map_copy {
    vm_size_t vmc_size;               /* bytes asked for at copyin */
    vm_offset_t vmc_offset;           /* of the first byte in its page */
    struct vm_map_entry *vmc_entries; /* by address, via vme_dead_next; page
                                       * ranges relative to the first page */
};

/* Takes a snapshot of [addr, addr + len) in src.  The whole pages holding
 * the range are copied by copy-on-write: src's entries become needs-copy
 * and lose write access in src's pmap until the next write fault.  With
 * src_destroy, the range (whole pages) is also removed from src in the same
 * step, its entries moving into the copy.  len 0 gives an empty copy.
 * Writes *copy on success only; the caller owns the copy and passes it to
 * vm_map_copyout or vm_map_copy_discard.  Takes src's map lock: call with
 * no spinlock held.  Returns
 *   KERN_SUCCESS;
 *   KERN_INVALID_ADDRESS: the range wraps, leaves the map or has a hole;
 *   KERN_PROTECTION_FAILURE: some page of it is not readable;
 *   KERN_RESOURCE_SHORTAGE: no memory for the copy's entries.
 * On failure src is unchanged. */
kern_return_t vm_map_copyin(struct vm_map *src, vaddr_t addr, vm_size_t len, bool src_destroy,
                            struct vm_map_copy **copy);

/* Enters copy anywhere in dst (lowest fit) with protection read/write
 * (maximum all) and inheritance COPY, and writes the address of its first
 * byte (the page address + vmc_offset) to *addr; an empty copy gives
 * *addr = 0.  Consumes the copy on success; on failure the caller still
 * owns it and dst is unchanged.  Takes dst's map lock.  Returns
 * KERN_SUCCESS or KERN_NO_SPACE. */
kern_return_t vm_map_copyout(struct vm_map *dst, vaddr_t *addr, struct vm_map_copy *copy);

/* A copy of the first `size` bytes (whole pages) of obj, taking over the
 * caller's reference: what the kernel itself sends out of line (a page
 * going back to its pager).  obj must be referenced by nobody else, so
 * the copy is not marked needs-copy.  NULL (the reference stays the
 * caller's) when memory is short. */
struct vm_map_copy *vm_map_copy_object(struct vm_object *obj, vm_size_t size);

/* Destroys a copy that will not be copied out, releasing its objects.
 * NULL is allowed.  Call with no spinlock held. */
void vm_map_copy_discard(struct vm_map_copy *copy);

/* The byte size the copy was made with (len of vm_map_copyin). */
vm_size_t vm_map_copy_size(const struct vm_map_copy *copy);

#endif

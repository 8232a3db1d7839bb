// SPDX-License-Identifier: MIT
//
// Out-of-line memory by physical copy (ipc_ool.h).  TEMPORARY: the VM issue
// replaces these functions with virtual copies; today a copy is a kalloc'ed
// kernel buffer of exactly the region's size.  The sender's region is read
// with copyin (so a bad address is an error, not a fault) and, when the
// message is committed and its descriptor asked for it, deallocated with
// vm_deallocate_internal; the receiver gets a new region from
// vm_allocate_internal, filled with copyout.

#include <ipc/ipc_ool.h>
#include <ipc/ipc_stats.h>
#include <vm/vm_user.h>
#include <kern/copyio.h>
#include <kern/kalloc.h>
#include <lib/string.h>
#include <mach/mig_support.h> /* mig_kernel_deallocate */

/*
 * Purpose: a new, uninitialized copy of `size` bytes (for the kernel to
 *     fill, e.g. the names of an out-of-line port array).
 * Conditions: any context that may allocate.
 * Returns: the copy, or NULL when memory is short (or size is 0).
 */
void *
ipc_ool_alloc(vm_size_t size)
{
    void *copy = size != 0 ? kalloc(size) : NULL;

    if (copy != NULL)
        IPC_STAT_ADD(st_ool_bytes, size);
    return copy;
}

/*
 * Purpose: copy the region [addr, addr+size) of `map` (NULL: kernel memory)
 *     into a new copy.
 * Conditions: no spinlocks held (copyin may fault the page in).
 * Returns: KERN_SUCCESS with *copyp (NULL for size 0);
 *     KERN_INVALID_ADDRESS; KERN_RESOURCE_SHORTAGE.
 */
kern_return_t
ipc_ool_copyin(struct vm_map *map, vm_offset_t addr, vm_size_t size, void **copyp)
{
    void *copy;

    if (size == 0) {
        *copyp = NULL;
        return KERN_SUCCESS;
    }
    if (size > IPC_OOL_MAX_SIZE || (copy = ipc_ool_alloc(size)) == NULL)
        return KERN_RESOURCE_SHORTAGE;
    if (map == NULL) {
        memcpy(copy, (const void *)addr, size);
    } else if (copyin(addr, copy, size) != KERN_SUCCESS) {
        ipc_ool_discard(copy, size);
        return KERN_INVALID_ADDRESS;
    }
    *copyp = copy;
    return KERN_SUCCESS;
}

/*
 * Purpose: honour a descriptor's deallocate flag once the message is
 *     committed: remove the sender's region.
 * Conditions: no spinlocks held.  Errors are ignored: the region was
 *     readable a moment ago, and the message is sent either way.
 */
void
ipc_ool_dealloc_source(struct vm_map *map, vm_offset_t addr, vm_size_t size)
{
    if (map == NULL || size == 0)
        return;
    (void)vm_deallocate_internal(map, addr, size);
}

/*
 * Purpose: give the receiver the copy: a new region in `map` (anywhere),
 *     or for a kernel receiver (map NULL) the kernel buffer itself.
 * Conditions: no spinlocks held.  Consumes the copy on success only.
 * Returns: KERN_SUCCESS with *addrp (0 for size 0); KERN_NO_SPACE when
 *     the receiver's address space has no room; KERN_INVALID_ADDRESS.
 */
kern_return_t
ipc_ool_copyout(struct vm_map *map, void *copy, vm_size_t size, vm_offset_t *addrp)
{
    vaddr_t addr = 0;

    if (size == 0) {
        *addrp = 0;
        return KERN_SUCCESS;
    }
    if (map == NULL) {
        *addrp = (vm_offset_t)copy; /* still counted until ipc_ool_discard */
        return KERN_SUCCESS;
    }
    if (vm_allocate_internal(map, &addr, size, true) != KERN_SUCCESS)
        return KERN_NO_SPACE;
    if (copyout(copy, addr, size) != KERN_SUCCESS) {
        (void)vm_deallocate_internal(map, addr, size);
        return KERN_INVALID_ADDRESS;
    }
    ipc_ool_discard(copy, size);
    *addrp = addr;
    return KERN_SUCCESS;
}

/*
 * Purpose: free a copy that will not be delivered (or that a kernel
 *     receiver is done with).
 * Conditions: any context that may free memory.  NULL is ignored.
 */
void
ipc_ool_discard(void *copy, vm_size_t size)
{
    if (copy == NULL || size == 0)
        return;
    kfree(copy, size);
    IPC_STAT_SUB(st_ool_bytes, size);
}

/*
 * Purpose: mig's KernelServer stubs free the out-of-line memory a routine
 *     only borrowed (and KernelUser stubs memory they gave away inline)
 *     with this: in the kernel such memory is a copy from this file, not
 *     a region of a task's map, so vm_deallocate is not the way to free it
 *     (docs/mig.md, "What the generated code needs").
 * Conditions: as ipc_ool_discard.  NULL or size 0 is ignored.
 */
void
mig_kernel_deallocate(void *addr, vm_size_t size)
{
    ipc_ool_discard(addr, size);
}

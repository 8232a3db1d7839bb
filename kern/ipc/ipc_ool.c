// SPDX-License-Identifier: MIT
//
// Out-of-line memory in messages (ipc_ool.h): virtual copies for a task's
// regions of IPC_OOL_PHYS_MAX bytes and more, kernel buffers for the rest.
//
// A copy is a pointer.  A kernel buffer comes from kalloc and is at least
// 8-byte aligned; a virtual copy is a struct vm_map_copy pointer with its
// lowest bit set (OOL_VIRTUAL), so the one pointer field of a descriptor
// says which it is, and a kernel receiver's buffer (what mig stubs free with
// mig_kernel_deallocate) is always an untagged one.
//
// Send (ipc_kmsg_copyin step 1, before any right is looked at):
// vm_map_copyin(sender, addr, size, src_destroy = false).  The sender's
// region stays mapped, now copy-on-write, so that a message that fails
// later in decoding (a bad right, a bad destination) is undone by
// discarding the copy: the sender's memory is exactly as it was.  Only
// after the commit, which cannot fail, does ipc_ool_dealloc_source remove
// the region when the descriptor asked for `deallocate`.  XNU instead
// copies in with src_destroy and can then fail with the region gone; we
// pay for decode-then-commit with a write-protect of the sender's pages
// before the removal, which costs about what moving the entries would.
//
// Receive: vm_map_copyout(receiver, &addr, copy) at an address the kernel
// chooses.  A kernel receiver cannot take a map copy (mig's KernelServer
// stubs expect a buffer of exactly `size` bytes), so materialize() enters
// the copy into a scratch map and reads it into a kernel buffer -- the rare
// case of a task sending a large region to a kernel object (vm_write).
//
// Destroy (dead port, MACH_RCV_TOO_LARGE, a failed copyin):
// ipc_ool_discard -> vm_map_copy_discard, which releases the pages.

#include <ipc/ipc_ool.h>
#include <ipc/ipc_stats.h>
#include <vm/vm_map.h>
#include <vm/vm_map_copy.h>
#include <vm/vm_object.h>
#include <vm/vm_user.h>
#include <kern/copyio.h>
#include <kern/kalloc.h>
#include <lib/string.h>
#include <mach/mig_support.h> /* mig_kernel_deallocate */

#define OOL_VIRTUAL 1ul /* tag bit of a copy that is a vm_map_copy */

static bool
ool_is_virtual(void *copy)
{
    return ((uintptr_t)copy & OOL_VIRTUAL) != 0;
}

static struct vm_map_copy *
ool_map_copy(void *copy)
{
    return (struct vm_map_copy *)((uintptr_t)copy & ~OOL_VIRTUAL);
}

/*
 * Purpose: a new, uninitialized kernel-buffer copy of `size` bytes (for the
 *     kernel to fill, e.g. the names of an out-of-line port array).
 * Conditions: any context that may allocate.
 * Returns: the copy, or NULL when memory is short (or size is 0).
 */
void *
ipc_ool_alloc(vm_size_t size)
{
    void *copy = size != 0 && size <= IPC_OOL_MAX_SIZE ? kalloc(size) : NULL;

    if (copy != NULL)
        IPC_STAT_ADD(st_ool_bytes, size);
    return copy;
}

void *
ipc_ool_copy_object(struct vm_object *obj, vm_size_t size)
{
    struct vm_map_copy *mc = vm_map_copy_object(obj, size);

    if (mc == NULL) {
        vm_object_deallocate(obj);
        return NULL;
    }
    IPC_STAT_ADD(st_ool_bytes, size);
    return (void *)((uintptr_t)mc | OOL_VIRTUAL);
}

/*
 * Purpose: a kernel-buffer copy of [addr, addr+size) of the current task
 *     (map non-NULL) or of the kernel (map NULL), whatever its size: for
 *     memory the kernel must read (the names of an OOL port array).
 * Conditions: no spinlocks held (copyin may fault pages in).
 * Returns: KERN_SUCCESS with *copyp (NULL for size 0);
 *     KERN_INVALID_ADDRESS; KERN_RESOURCE_SHORTAGE.
 */
kern_return_t
ipc_ool_copyin_buffer(struct vm_map *map, vm_offset_t addr, vm_size_t size, void **copyp)
{
    void *copy;

    if (size == 0) {
        *copyp = NULL;
        return KERN_SUCCESS;
    }
    if ((copy = ipc_ool_alloc(size)) == NULL)
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
 * Purpose: copy the region [addr, addr+size) of `map` (NULL: kernel memory)
 *     into a new copy: a virtual copy for a task's region of at least
 *     IPC_OOL_PHYS_MAX bytes, a kernel buffer otherwise.  The region is
 *     left as it was (copy-on-write from now on for a virtual copy).
 * Conditions: no spinlocks held (copyin may fault pages in; the map copy
 *     takes the map and object locks).  A user `map` is the current task's.
 * Returns: KERN_SUCCESS with *copyp (NULL for size 0);
 *     KERN_INVALID_ADDRESS (part of the region unmapped or unreadable);
 *     KERN_RESOURCE_SHORTAGE.
 */
kern_return_t
ipc_ool_copyin(struct vm_map *map, vm_offset_t addr, vm_size_t size, void **copyp)
{
    struct vm_map_copy *mc;
    kern_return_t kr;

    if (size == 0) {
        *copyp = NULL;
        return KERN_SUCCESS;
    }
    if (map == NULL || size < IPC_OOL_PHYS_MAX)
        return ipc_ool_copyin_buffer(map, addr, size, copyp);
    kr = vm_map_copyin(map, addr, size, false, &mc);
    if (kr != KERN_SUCCESS)
        return kr == KERN_RESOURCE_SHORTAGE ? kr : KERN_INVALID_ADDRESS;
    IPC_STAT_ADD(st_ool_bytes, size);
    *copyp = (void *)((uintptr_t)mc | OOL_VIRTUAL);
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

// A kernel buffer with the contents of a virtual copy, for a kernel
// receiver: the copy goes into a scratch map, which is read and dropped.
// Consumes the copy.
static kern_return_t
ool_materialize(struct vm_map_copy *mc, vm_size_t size, void **bufp)
{
    struct vm_map *scratch = vm_map_create();
    void *buf = ipc_ool_alloc(size);
    vaddr_t addr = 0;
    kern_return_t kr = KERN_RESOURCE_SHORTAGE;

    if (scratch == NULL || buf == NULL)
        goto fail;
    if ((kr = vm_map_copyout(scratch, &addr, mc)) != KERN_SUCCESS)
        goto fail;
    mc = NULL; /* the scratch map holds the pages now */
    if ((kr = vm_map_read(scratch, addr, buf, size)) != KERN_SUCCESS)
        goto fail;
    vm_map_deallocate(scratch);
    *bufp = buf;
    return KERN_SUCCESS;

fail:
    if (mc != NULL)
        vm_map_copy_discard(mc);
    if (buf != NULL)
        ipc_ool_discard(buf, size);
    if (scratch != NULL)
        vm_map_deallocate(scratch);
    return kr;
}

// A task receiver's new region for a kernel buffer.  Consumes the buffer.
static kern_return_t
ool_copyout_physical(struct vm_map *map, void *copy, vm_size_t size, vm_offset_t *addrp)
{
    vaddr_t addr = 0;
    kern_return_t kr = KERN_NO_SPACE;

    if (vm_allocate_internal(map, &addr, size, true) == KERN_SUCCESS) {
        kr = copyout(copy, addr, size);
        if (kr != KERN_SUCCESS) {
            (void)vm_deallocate_internal(map, addr, size);
            kr = KERN_INVALID_ADDRESS;
        }
    }
    ipc_ool_discard(copy, size);
    if (kr == KERN_SUCCESS)
        *addrp = addr;
    return kr;
}

/*
 * Purpose: give the receiver the copy: a new region in `map` at an address
 *     the kernel chooses, or for a kernel receiver (map NULL) a kernel
 *     buffer of exactly `size` bytes.
 * Conditions: no spinlocks held.  For a kernel-buffer copy and a task
 *     receiver, `map` is the current task's.  Consumes the copy, whether
 *     it succeeds or not (on failure the memory is released).
 * Returns: KERN_SUCCESS with *addrp (0 for size 0); KERN_NO_SPACE when
 *     the receiver's address space has no room; KERN_INVALID_ADDRESS;
 *     KERN_RESOURCE_SHORTAGE.
 */
kern_return_t
ipc_ool_copyout(struct vm_map *map, void *copy, vm_size_t size, vm_offset_t *addrp)
{
    vaddr_t addr = 0;
    void *buf;
    kern_return_t kr;

    if (size == 0 || copy == NULL) {
        *addrp = 0;
        return KERN_SUCCESS;
    }
    if (!ool_is_virtual(copy)) {
        if (map != NULL)
            return ool_copyout_physical(map, copy, size, addrp);
        *addrp = (vm_offset_t)copy; /* still counted until ipc_ool_discard */
        return KERN_SUCCESS;
    }
    IPC_STAT_SUB(st_ool_bytes, size);
    if (map == NULL) {
        if ((kr = ool_materialize(ool_map_copy(copy), size, &buf)) == KERN_SUCCESS)
            *addrp = (vm_offset_t)buf;
        return kr;
    }
    kr = vm_map_copyout(map, &addr, ool_map_copy(copy));
    if (kr != KERN_SUCCESS) {
        vm_map_copy_discard(ool_map_copy(copy));
        return KERN_NO_SPACE;
    }
    *addrp = addr;
    return KERN_SUCCESS;
}

/*
 * Purpose: free a copy that will not be delivered (or a kernel buffer that
 *     a kernel receiver is done with); a virtual copy's pages go back to
 *     the system unless a map still uses them.
 * Conditions: no spinlocks held (vm_map_copy_discard takes object locks).
 *     NULL is ignored.
 */
void
ipc_ool_discard(void *copy, vm_size_t size)
{
    if (copy == NULL || size == 0)
        return;
    if (ool_is_virtual(copy))
        vm_map_copy_discard(ool_map_copy(copy));
    else
        kfree(copy, size);
    IPC_STAT_SUB(st_ool_bytes, size);
}

/*
 * Purpose: mig's KernelServer stubs free the out-of-line memory a routine
 *     only borrowed (and KernelUser stubs memory they gave away inline)
 *     with this: in the kernel such memory is a kernel buffer from this
 *     file, not a region of a task's map, so vm_deallocate is not the way
 *     to free it (docs/mig.md, "What the generated code needs").
 * Conditions: as ipc_ool_discard.  NULL or size 0 is ignored.
 */
void
mig_kernel_deallocate(void *addr, vm_size_t size)
{
    ipc_ool_discard(addr, size);
}

/* SPDX-License-Identifier: MIT
 *
 * Out-of-line memory in messages (ipc_ool.c).  A region is held in a
 * message as an opaque "copy", stored in the address field of a
 * kernel-layout OOL descriptor; nothing outside ipc_ool.c knows what a copy
 * is.  It is one of two things:
 *
 *   - a virtual copy (vm_map_copy, kern/vm/vm_map_copy.h): the sender's
 *     pages, made copy-on-write, entered into the receiver's map on
 *     receipt.  A task's regions of IPC_OOL_PHYS_MAX bytes (a page) and more.
 *   - a kernel buffer of exactly `size` bytes (kalloc): smaller regions,
 *     everything the kernel itself sends (ipc_ool_alloc), and what
 *     a kernel receiver is given.
 *
 * `map` is the sender's or receiver's address space; for a kernel buffer
 * it must be the current task's (it is reached with copyin/copyout).
 * map == NULL means kernel memory: the source is a kernel address, and a
 * kernel receiver gets a kernel buffer of exactly `size` bytes, which it
 * frees with ipc_ool_discard() (mig_kernel_deallocate).
 */
#ifndef _IPC_IPC_OOL_H_
#define _IPC_IPC_OOL_H_

#include <kern/types.h>
#include <mach/kern_return.h>
#include <mach/vm_types.h>

struct vm_map;
struct vm_object;

/* Kernel buffers are capped; a larger kernel-held region: MACH_SEND_TOO_LARGE. */
#define IPC_OOL_MAX_SIZE (64ul * 1024 * 1024)

/*
 * A task's region of this many bytes or more travels by virtual copy;
 * smaller ones by physical copy through a kernel buffer.  One page: the
 * physical path pays a kernel buffer, a vm_allocate in the receiver and a
 * zero-fill fault there, which already costs more than a map copy of one
 * page (docs/perf.md, "Out-of-line memory": 47 000 instructions for a
 * 4 KiB physical transfer, 27 000 for an 8 KiB virtual one).  Below a page,
 * a physical copy also keeps the rest of the sender's page -- whatever
 * else lives there -- out of the receiver's sight.  Applies to
 * MACH_MSG_VIRTUAL_COPY and MACH_MSG_PHYSICAL_COPY alike: both give copy
 * semantics.
 */
#define IPC_OOL_PHYS_MAX 4096ul

/* A task's region sent to a kernel object travels by physical copy up to
 * this size (ipc_kmsg_copyin.c): the kernel receiver gets a kernel buffer
 * either way, and reading it in directly costs about a copyin, where a
 * virtual copy costs a map copy and a scratch map (ool_materialize: some
 * 28 000 instructions for one page, docs/perf.md). */
#define IPC_OOL_KERNEL_PHYS_MAX (64ul * 1024)

kern_return_t ipc_ool_copyin(struct vm_map *map, vm_offset_t addr, vm_size_t size, void **copyp);
kern_return_t ipc_ool_copyin_buffer(struct vm_map *map, vm_offset_t addr, vm_size_t size,
                                    void **copyp);
void ipc_ool_dealloc_source(struct vm_map *map, vm_offset_t addr, vm_size_t size);
kern_return_t ipc_ool_copyout(struct vm_map *map, void *copy, vm_size_t size, vm_offset_t *addrp);
void ipc_ool_discard(void *copy, vm_size_t size);
void *ipc_ool_alloc(vm_size_t size);

/* A virtual copy of the first `size` bytes of obj, which nobody else
 * references (the caller's reference moves into the copy): for the kernel
 * to send pages it owns without copying them again (data_return), as a
 * descriptor with `deallocate` set.  NULL when memory is short (the
 * object is then released). */
void *ipc_ool_copy_object(struct vm_object *obj, vm_size_t size);

#endif

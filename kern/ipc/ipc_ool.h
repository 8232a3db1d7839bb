/* SPDX-License-Identifier: MIT
 *
 * Out-of-line memory in messages, by physical copy through a kernel buffer.
 * TEMPORARY: the VM issue replaces this file with copy-on-write virtual
 * copies (vm_map_copy); nothing outside it knows how a copy is held.
 *
 * A copy is an opaque pointer stored in the address field of a kernel-layout
 * OOL descriptor.  `map` is the sender's or receiver's address space, which
 * must be the current task's (user memory is reached with copyin/copyout);
 * map == NULL means kernel memory: the source is a kernel address, and a
 * kernel receiver gets the kernel buffer itself, of exactly `size` bytes,
 * which it frees with ipc_ool_discard().  ipc_ool.c.
 */
#ifndef _IPC_IPC_OOL_H_
#define _IPC_IPC_OOL_H_

#include <kern/types.h>
#include <mach/kern_return.h>
#include <mach/vm_types.h>

struct vm_map;

#define IPC_OOL_MAX_SIZE (64ul * 1024 * 1024) /* larger regions: MACH_SEND_TOO_LARGE */

kern_return_t ipc_ool_copyin(struct vm_map *map, vm_offset_t addr, vm_size_t size, void **copyp);
void ipc_ool_dealloc_source(struct vm_map *map, vm_offset_t addr, vm_size_t size);
kern_return_t ipc_ool_copyout(struct vm_map *map, void *copy, vm_size_t size, vm_offset_t *addrp);
void ipc_ool_discard(void *copy, vm_size_t size);
void *ipc_ool_alloc(vm_size_t size);

#endif

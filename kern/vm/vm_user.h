/* SPDX-License-Identifier: MIT
 *
 * The internal halves of the Mach VM calls (vm_user.c), with their classic
 * argument conventions: addresses are truncated and sizes rounded to whole
 * pages, a size of 0 succeeds doing nothing.  The MIG-served vm_allocate,
 * vm_deallocate, vm_protect and vm_inherit (VM issue) look up the task's
 * map and call these; the kernel uses them directly (bootstrap, loader).
 * All take the map lock: call with no spinlock held.
 */
#ifndef _VM_VM_USER_H_
#define _VM_VM_USER_H_

#include <kern/types.h>
#include <mach/kern_return.h>
#include <mach/vm_inherit.h>
#include <mach/vm_prot.h>
#include <mach/vm_types.h>

struct vm_map;

/* Allocates zero-filled memory, read/write (maximum: all), inheritance
 * COPY: anywhere (the lowest free range; *addr is ignored) or at *addr.
 * Writes *addr on success (0 for size 0).  Returns KERN_SUCCESS,
 * KERN_INVALID_ARGUMENT (the range wraps), KERN_NO_SPACE (fixed and
 * overlapping or outside the map; anywhere and no room) or
 * KERN_RESOURCE_SHORTAGE. */
kern_return_t vm_allocate_internal(struct vm_map *map, vaddr_t *addr, vm_size_t size,
                                   bool anywhere);

/* Removes whatever is mapped in [addr, addr + size); holes are fine.
 * Returns KERN_SUCCESS, KERN_INVALID_ARGUMENT (wraps or outside the map)
 * or KERN_RESOURCE_SHORTAGE. */
kern_return_t vm_deallocate_internal(struct vm_map *map, vaddr_t addr, vm_size_t size);

/* vm_map_protect / vm_map_inherit on [addr, addr + size), same codes. */
kern_return_t vm_protect_internal(struct vm_map *map, vaddr_t addr, vm_size_t size, bool set_max,
                                  vm_prot_t new_prot);
kern_return_t vm_inherit_internal(struct vm_map *map, vaddr_t addr, vm_size_t size,
                                  vm_inherit_t inh);

#endif

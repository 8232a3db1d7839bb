/* SPDX-License-Identifier: MIT
 *
 * The internal halves of the Mach VM calls (vm_user.c), with their classic
 * argument conventions: addresses are truncated and sizes rounded to whole
 * pages, a size of 0 succeeds doing nothing -- except vm_read, vm_write
 * and vm_copy, whose addresses and sizes must be page aligned (the Mach
 * manual's rule), and vm_map, which refuses size 0.  The MIG-served calls
 * (vm_server.c) look up the task's map and call these; the kernel uses
 * them directly (bootstrap, loader).  All take the map lock: call with no
 * spinlock held.  On failure nothing changed.
 */
#ifndef _VM_VM_USER_H_
#define _VM_VM_USER_H_

#include <kern/types.h>
#include <mach/kern_return.h>
#include <mach/vm_inherit.h>
#include <mach/vm_prot.h>
#include <mach/vm_statistics.h>
#include <mach/vm_types.h>

struct vm_map;
struct vm_object;

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

/* Reads [addr, addr + size) of map into a new out-of-line buffer (from
 * ipc_ool_alloc; NULL for size 0), written to *datap on success: what a
 * vm_read reply carries.  Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (addr
 * or size not page aligned); KERN_INVALID_ADDRESS (the range wraps, leaves
 * the map or is not all mapped); KERN_PROTECTION_FAILURE (not readable);
 * KERN_RESOURCE_SHORTAGE (no memory, or size above IPC_OOL_MAX_SIZE). */
kern_return_t vm_read_internal(struct vm_map *map, vaddr_t addr, vm_size_t size, void **datap);

/* Writes size bytes of the kernel buffer data into map at addr.  Same
 * alignment rule and codes as vm_read_internal, with write access. */
kern_return_t vm_write_internal(struct vm_map *map, vaddr_t addr, const void *data, vm_size_t size);

/* Copies [src, src + size) to [dst, dst + size) in map; the ranges may
 * overlap (the result is the source as it was).  Same alignment rule and
 * codes as vm_read_internal (source readable, destination writable). */
kern_return_t vm_copy_internal(struct vm_map *map, vaddr_t src, vm_size_t size, vaddr_t dst);

/* One map entry as vm_region reports it. */
struct vm_region_info {
    vaddr_t vri_start;
    vm_size_t vri_size;
    vm_prot_t vri_protection;
    vm_prot_t vri_max_protection;
    vm_inherit_t vri_inheritance;
    bool vri_is_shared;     /* VM_INHERIT_SHARE'd with another map */
    vm_offset_t vri_offset; /* of vri_start in the entry's object */
};

/* The entry holding *addr, or the first one above it: fills *info and sets
 * *addr to its start.  Returns KERN_SUCCESS or KERN_NO_SPACE (no entry at
 * or above *addr; nothing written). */
kern_return_t vm_region_internal(struct vm_map *map, vaddr_t *addr, struct vm_region_info *info);

/* The system-wide page counts (all tasks share them). */
void vm_statistics_internal(struct vm_statistics *st);

/* Maps new anonymous zero-filled memory of size bytes (rounded up to pages)
 * with protections cur <= max and inheritance inh: anywhere (the lowest
 * free range at or above the hint *addr, aligned to mask + 1, else the
 * lowest in the map) or at *addr (truncated to a page).  Writes *addr on
 * success.  Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (size 0, a fixed
 * range that wraps, mask + 1 not a power of two, cur not within max, bad
 * protection or inheritance values); KERN_NO_SPACE (fixed and overlapping
 * or outside the map; anywhere and no room); KERN_RESOURCE_SHORTAGE. */
kern_return_t vm_map_anonymous_internal(struct vm_map *map, vaddr_t *addr, vm_size_t size,
                                        vaddr_t mask, bool anywhere, vm_prot_t cur, vm_prot_t max,
                                        vm_inherit_t inh);

/* Maps size bytes (rounded up to pages) of the external object obj at
 * `offset` (page aligned), as vm_map_anonymous_internal places memory.
 * With copy, the task gets a copy-on-write view (a shadow object in front
 * of obj: writes stay in the task, reads come from the pager); without it
 * the mapping is of obj itself.  Takes over the caller's reference to obj
 * on success only.  Returns what vm_map_anonymous_internal returns, with
 * KERN_INVALID_ARGUMENT also for an unaligned offset or a window past the
 * object's size. */
kern_return_t vm_map_object_internal(struct vm_map *map, vaddr_t *addr, vm_size_t size,
                                     vaddr_t mask, bool anywhere, struct vm_object *obj,
                                     vm_offset_t offset, bool copy, vm_prot_t cur, vm_prot_t max,
                                     vm_inherit_t inh);

#endif

/* SPDX-License-Identifier: MIT
 *
 * Helpers of vm_map.c shared with vm_map_copy.c and vm_map_fork (the other
 * files that build and move entries).  Not for use outside kern/vm/.
 */
#ifndef _VM_VM_MAP_INTERNAL_H_
#define _VM_VM_MAP_INTERNAL_H_

#include <vm/vm_map.h>

/* Entries for clipping, taken before the map lock (clipping one range
 * needs two at most).  Unused ones go back with vm_map_spares_put. */
struct vm_map_spares {
    struct vm_map_entry *e[2];
};

bool vm_map_spares_get(struct vm_map_spares *s);
void vm_map_spares_put(struct vm_map_spares *s);

/* A zeroed-or-not entry from the entry zone (NULL when memory is short),
 * and its return.  Neither takes a map lock. */
struct vm_map_entry *vm_map_entry_alloc(void);
void vm_map_entry_free(struct vm_map_entry *e);

/* Tree walking; the caller holds the map lock. */
struct vm_map_entry *vm_map_entry_of(struct vm_map_links *l);
struct vm_map_entry *vm_map_entry_next(struct vm_map_entry *e);
/* The entry holding addr, or the first one above it, or NULL. */
struct vm_map_entry *vm_map_entry_first_locked(struct vm_map *map, vaddr_t addr);

/* Clips so that no entry straddles start or end, using spares; returns the
 * first entry at or above start, or NULL. */
struct vm_map_entry *vm_map_clip_range_locked(struct vm_map *map, vaddr_t start, vaddr_t end,
                                              struct vm_map_spares *s);

/* Takes e and the entries after it that start below end out of the map
 * (bumping the timestamp); returns them chained through vme_dead_next,
 * highest address first.  The caller removes their translations. */
struct vm_map_entry *vm_map_unlink_range_locked(struct vm_map *map, struct vm_map_entry *e,
                                                vaddr_t end);

/* Drops the object references of a chain of dead entries and frees them.
 * Call with no map or object lock held. */
void vm_map_dead_release(struct vm_map_entry *dead);

/* Makes a needs-copy entry writable: clears the flag if the entry holds
 * the only reference to its object, else puts a new shadow object in
 * front of it (the entry's reference moves to the shadow).  Bumps the
 * timestamp.  Returns false, changing nothing, when memory is short.
 * Caller holds the map lock. */
bool vm_map_entry_copy_now_locked(struct vm_map *map, struct vm_map_entry *e);

/* Makes e copy-on-write in its map: sets vme_needs_copy and removes write
 * access from its translations.  An entry shared with another map
 * (vme_is_shared) is left as it is, so the sharers keep writing one object;
 * the copy made of it then is not a true snapshot (README.md, "Not yet").
 * Caller holds the map lock. */
void vm_map_entry_mark_needs_copy_locked(struct vm_map *map, struct vm_map_entry *e);

#endif

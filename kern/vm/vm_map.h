/* SPDX-License-Identifier: MIT
 *
 * Address maps (vm_map.c): the machine-independent description of a task's
 * address space.  A map is a set of disjoint entries, each mapping
 * [start, end) to a window of one vm_object with a current and maximum
 * protection and an inheritance; the pmap below it is only a cache of
 * translations that vm_fault() fills from the entries.
 *
 * Locking.  vmm_lock (rank VM_MAP) is a spinlock held only for short
 * stretches: looking up, inserting, clipping and removing entries, and
 * changing the pmap to match.  It is never held across a page allocation
 * for data, a fault, or anything that may block, so the fault path works in
 * three steps: vm_map_lookup() (locks, finds the entry, takes a reference
 * to its object, remembers the map's timestamp, unlocks), the object work
 * (zero fill today, a pager later, which may block), then vm_map_verify()
 * (relocks and checks the timestamp; if the map changed meanwhile the
 * fault starts over) before the pmap is changed.  This is Mach's map
 * version protocol; when the VM issue needs to hold a map across blocking
 * operations (vm_map_copyin of large regions), the lock becomes a sleeping
 * read/write lock and the protocol stays.
 *
 * Copy-on-write entries (vme_needs_copy, shadow objects made by the write
 * lookup), inheritance on task creation (vm_map_fork, vm_map_fork.c) and
 * map copies for out-of-line memory (vm_map_copy.h) build on this.
 * vm_map_enter merges a new range into the entry below it when they would
 * behave as one (README.md, "Entry merging"); wiring is still to come.
 */
#ifndef _VM_VM_MAP_H_
#define _VM_VM_MAP_H_

#include <kern/types.h>
#include <kern/spinlock.h>
#include <lib/avl.h>
#include <mach/kern_return.h>
#include <mach/vm_inherit.h>
#include <mach/vm_prot.h>
#include <mach/vm_types.h>
#include <vm/vm_map_store.h>

struct pmap;
struct vm_object;

struct vm_map_entry {
    struct vm_map_links vme_links; /* start (the tree key) and end; in vmm_entries */

    /* Protected by the map's lock. */
    struct vm_object *vme_object;       /* one reference, never NULL */
    vm_offset_t vme_offset;             /* object offset of the entry's start */
    vm_prot_t vme_protection;           /* current: what the pmap may allow */
    vm_prot_t vme_max_protection;       /* bound on vme_protection */
    vm_inherit_t vme_inheritance;       /* what a child task gets (VM issue) */
    struct vm_map_entry *vme_dead_next; /* removed, waiting to be freed; in a vm_map_copy */
    /* Copy-on-write: the object may be seen by other maps or copies, so
     * the entry must not write into it.  Its pages are entered without
     * write access; the first write fault puts a shadow object in front
     * (vm_map_lookup), or clears the flag if the entry holds the only
     * reference to the object. */
    bool vme_needs_copy;
    bool vme_is_shared; /* shared with another map by VM_INHERIT_SHARE */
};

static inline vaddr_t
vme_start(const struct vm_map_entry *e)
{
    return vml_start(&e->vme_links);
}

static inline vaddr_t
vme_end(const struct vm_map_entry *e)
{
    return e->vme_links.vml_end;
}

struct vm_map {
    struct spinlock vmm_lock;

    /* Protected by vmm_lock. */
    struct avl_tree vmm_entries; /* struct vm_map_entry by start address */
    vm_size_t vmm_size;          /* bytes covered by entries */
    uint32_t vmm_timestamp;      /* bumped by every change of the entries */

    /* Constant after creation.  `pmap` keeps Mach's name (no prefix): the
     * scheduler reads it through task_pmap(). */
    struct pmap *pmap;
    vaddr_t vmm_min, vmm_max; /* the range entries may occupy */

    /* Atomic: vm_map_reference / vm_map_deallocate. */
    uint32_t vmm_refs;
};

/* What vm_map_lookup found for one address: enough to resolve a fault
 * with the map unlocked. */
struct vm_map_lookup {
    struct vm_object *vml_object; /* referenced; vm_map_lookup_done drops it */
    vm_offset_t vml_offset;       /* of the (page-aligned) address in the object */
    vm_prot_t vml_prot;           /* the entry's current protection, less write
                                   * while it needs a copy */
    bool vml_cow;                 /* entry is needs-copy (a read lookup) */
    bool vml_shared;              /* entry is shared with another map */
    uint32_t vml_timestamp;       /* the map's, at lookup */
};

/* Creates the zones for maps and entries; in vm_bootstrap. */
void vm_map_init(void);

/* A new, empty user address map over [USER_MIN, USER_MAX) with its own
 * pmap and one reference, or NULL when memory is short. */
struct vm_map *vm_map_create(void);

/* Takes one more reference to map. */
void vm_map_reference(struct vm_map *map);

/* Drops a reference.  The last one removes every entry (releasing their
 * objects, so pages no other map uses are freed), destroys the pmap, which
 * must not be active on any CPU, and frees the map.  Takes the map lock:
 * call with no spinlock held. */
void vm_map_deallocate(struct vm_map *map);

/* Maps [*addr, *addr + size) to obj at offset `off` with protections
 * cur <= max and inheritance inh.  With anywhere, the lowest free range at
 * or above *addr (or above vmm_min) that is aligned to mask + 1 is chosen;
 * otherwise exactly *addr.  obj NULL means new anonymous zero-filled memory
 * (an object is created); otherwise the map takes over one reference the
 * caller holds, on success only.  Writes *addr on success.  Takes the map
 * lock (call with no spinlock held).  Returns
 *   KERN_SUCCESS;
 *   KERN_INVALID_ARGUMENT: size 0, *addr (fixed), size or off not page
 *     aligned, addr + size or off + size wraps, [off, off + size) not
 *     inside obj, mask + 1 not a power of two, cur not within max, or a bad
 *     protection or inheritance value;
 *   KERN_NO_SPACE: fixed and the range is outside the map or overlaps an
 *     entry, or anywhere and no free range is big enough;
 *   KERN_RESOURCE_SHORTAGE: no memory for the entry or object.
 * On failure nothing changed. */
kern_return_t vm_map_enter(struct vm_map *map, vaddr_t *addr, vm_size_t size, vaddr_t mask,
                           bool anywhere, struct vm_object *obj, vm_offset_t off, vm_prot_t cur,
                           vm_prot_t max, vm_inherit_t inh);

/* Removes every mapping in [start, end), clipping entries that straddle
 * the ends; holes are fine.  The translations are gone from the pmap when
 * it returns.  Takes the map lock.  Returns KERN_SUCCESS,
 * KERN_INVALID_ARGUMENT (unaligned, start > end, outside the map) or
 * KERN_RESOURCE_SHORTAGE (no entry to clip with; nothing changed). */
kern_return_t vm_map_remove(struct vm_map *map, vaddr_t start, vaddr_t end);

/* Sets the current protection of [start, end) to new_prot, or with set_max
 * the maximum protection (the current one is reduced to fit).  Takes the
 * map lock.  Returns KERN_SUCCESS, KERN_INVALID_ARGUMENT (bad range or
 * protection bits), KERN_INVALID_ADDRESS (part of the range is unmapped),
 * KERN_PROTECTION_FAILURE (new_prot exceeds an entry's maximum) or
 * KERN_RESOURCE_SHORTAGE; nothing changed on failure. */
kern_return_t vm_map_protect(struct vm_map *map, vaddr_t start, vaddr_t end, vm_prot_t new_prot,
                             bool set_max);

/* Sets the inheritance of [start, end).  Same locks and codes as
 * vm_map_protect (KERN_INVALID_ARGUMENT for a bad inheritance value). */
kern_return_t vm_map_inherit(struct vm_map *map, vaddr_t start, vaddr_t end, vm_inherit_t inh);

/* For the fault path: finds the entry holding addr and checks that
 * `access` is within its current protection; on success fills *out (with
 * a reference to the object) and returns KERN_SUCCESS.  A write lookup of
 * a needs-copy entry first makes the entry writable
 * (vm_map_entry_copy_now_locked: a shadow object, or just clearing the
 * flag when the entry's object is its alone).  Otherwise
 * KERN_INVALID_ADDRESS (no entry), KERN_PROTECTION_FAILURE or
 * KERN_RESOURCE_SHORTAGE (no memory for the shadow).  Takes and drops the
 * map lock. */
kern_return_t vm_map_lookup(struct vm_map *map, vaddr_t addr, vm_prot_t access,
                            struct vm_map_lookup *out);

/* Locks the map and returns true if it has not changed since the lookup
 * (the caller then calls vm_map_verify_done to unlock); otherwise returns
 * false with the map unlocked, and the caller looks up again. */
bool vm_map_verify(struct vm_map *map, const struct vm_map_lookup *lk);
void vm_map_verify_done(struct vm_map *map);

/* Drops the object reference of a lookup. */
void vm_map_lookup_done(struct vm_map_lookup *lk);

/* Copies len bytes from kbuf into map at uaddr (vm_map_write) or from map
 * into kbuf (vm_map_read), making pages resident as a fault would; map need
 * not be the current address space.  The range must be mapped with write
 * (read) access: KERN_INVALID_ADDRESS for holes or addresses outside the
 * map, KERN_PROTECTION_FAILURE, KERN_RESOURCE_SHORTAGE.  The whole range is
 * checked before the first byte moves; only a concurrent change of the map
 * by another thread can make it stop part way.  Takes the map lock and
 * object locks in turn: call with no spinlock held. */
kern_return_t vm_map_write(struct vm_map *map, vaddr_t uaddr, const void *kbuf, size_t len);
kern_return_t vm_map_read(struct vm_map *map, vaddr_t uaddr, void *kbuf, size_t len);

/* Entries in map, and bytes they cover: for tests. */
size_t vm_map_entry_count(struct vm_map *map);
vm_size_t vm_map_size(struct vm_map *map);

/* The length of the shadow chain behind addr (1: no shadow), or 0 if addr
 * is unmapped.  For tests, on a map nobody is changing. */
unsigned vm_map_shadow_depth(struct vm_map *map, vaddr_t addr);

/* A new map for a child task built from parent's entries by their
 * inheritance: VM_INHERIT_SHARE entries share the object (both become
 * shared; a needs-copy entry gets its shadow first so both share the
 * same writable object); VM_INHERIT_COPY entries become needs-copy in both
 * maps, write access removed from the parent's pmap, so the first write on
 * either side copies (vm_fault); VM_INHERIT_NONE entries are left out.
 * Returns the map with one reference, or NULL when memory is short (the
 * parent then may have entries newly marked needs-copy or shadowed, which
 * changes nothing it can see).  Takes the parent's map lock: call with no
 * spinlock held. */
struct vm_map *vm_map_fork(struct vm_map *parent);

#endif

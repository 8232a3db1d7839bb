/* SPDX-License-Identifier: MIT
 *
 * Memory objects as the kernel sees them (vm_object.c): a vm_object is a
 * range of bytes [0, vo_size) some of whose pages are resident in memory.
 * A vm_map_entry maps a window of one object into an address space.  Today
 * every object is internal (anonymous): its pages are zero-filled on first
 * touch and die with the object.  For copy-on-write an object may shadow
 * another (vo_shadow): its absent pages show through from below, and
 * chains whose middle objects nobody else needs collapse (README.md,
 * "Shadow chains").  Pagers (the default pager for internal objects, user
 * pagers for external ones) come later; vm_fault.c marks the place.
 */
#ifndef _VM_VM_OBJECT_H_
#define _VM_VM_OBJECT_H_

#include <kern/types.h>
#include <kern/spinlock.h>
#include <lib/avl.h>
#include <mach/kern_return.h>
#include <mach/vm_types.h>

struct vm_page;

struct vm_object {
    struct spinlock vo_lock;

    /* Protected by vo_lock. */
    struct avl_tree vo_pages; /* resident pages by offset (vm_page.vp_onode) */

    /* Atomic: vm_object_reference / vm_object_deallocate.  Each map entry
     * holds one, and so does anyone using the object without a map lock
     * (a fault in progress, the ELF loader). */
    uint32_t vo_refs;

    /* Bytes, page aligned.  Grows only by vm_object_coalesce, under
     * vo_lock, while the one reference is a map entry's and that map is
     * locked; constant otherwise, so holders of a reference read it
     * without the lock. */
    vm_size_t vo_size;
    bool vo_internal; /* anonymous memory (always, until pagers); constant */

    /* Protected by vo_lock (collapse changes them).  The object this one
     * shadows, with one reference, or NULL: a page absent here is looked
     * for at offset + vo_shadow_offset there.  Pagers come later. */
    struct vm_object *vo_shadow;
    vm_offset_t vo_shadow_offset;
};

/* Creates the object zone; in vm_bootstrap after the zones. */
void vm_object_init(void);

/* A new internal object of `size` bytes (rounded up to pages) with no
 * resident pages and one reference, or NULL when memory is short. */
struct vm_object *vm_object_allocate(vm_size_t size);

/* Takes one more reference to obj. */
void vm_object_reference(struct vm_object *obj);

/* Drops one reference; the last one frees every resident page and the
 * object.  Takes the object's lock and the page allocator's: the caller
 * must hold no lock of rank VM_OBJECT or above (a map lock is fine). */
void vm_object_deallocate(struct vm_object *obj);

/* The page at `offset` (page aligned, < vo_size) of obj, made resident and
 * zero-filled if it was not; *page is written on success.  The page stays
 * in the object at least as long as the caller's reference.  Takes and
 * drops the object lock; allocates with it dropped.  Returns KERN_SUCCESS
 * or KERN_RESOURCE_SHORTAGE.  (VM issue: ask the pager instead of
 * zero-filling, which may block; callers already hold no spinlock.) */
kern_return_t vm_object_page_get(struct vm_object *obj, vm_offset_t offset, struct vm_page **page);

/* The resident page at `offset`, or NULL.  Caller holds vo_lock. */
struct vm_page *vm_object_page_lookup_locked(struct vm_object *obj, vm_offset_t offset);

/* Copies len bytes from kbuf into obj at byte `offset` (which with len must
 * lie inside the object), making pages resident.  Returns KERN_SUCCESS or
 * KERN_RESOURCE_SHORTAGE (some bytes may have been written).  Same locks as
 * vm_object_page_get.  For building objects before they are mapped (the
 * ELF loader). */
kern_return_t vm_object_write(struct vm_object *obj, vm_offset_t offset, const void *kbuf,
                              size_t len);

/* Frees the resident pages of obj in [start, end) (page aligned): for a
 * range nobody can see any more, whose translations are gone (vm_map_remove
 * of part of an object only its map uses).  Takes obj's lock, the page
 * queues' and the allocator's. */
void vm_object_page_remove(struct vm_object *obj, vm_offset_t start, vm_offset_t end);

/* Grows obj by `grow` bytes at its end, so the map entry holding it, whose
 * window ends at offset `end`, can cover adjacent new anonymous memory
 * (entry merging, vm_map_enter).  Only for an internal object with no
 * shadow, of size `end`, whose only reference is the caller's entry, with
 * the entry's map locked; returns false (nothing changed) otherwise.
 * Takes obj's lock. */
bool vm_object_coalesce(struct vm_object *obj, vm_offset_t end, vm_size_t grow);

/* A new object of `size` bytes in front of obj for copy-on-write: its
 * pages are found in obj at offset + off until written.  Takes over the
 * caller's reference to obj on success; returns NULL (the reference stays
 * the caller's) when memory is short.  Takes no lock. */
struct vm_object *vm_object_shadow(struct vm_object *obj, vm_offset_t off, vm_size_t size);

/* Merges into obj every object below it that nobody but the object above
 * it references (reference count 1): pages obj does not have move up,
 * the others are freed, and the chain gets shorter.  The caller holds a
 * reference to obj and no lock of rank VM_OBJECT or above; takes obj's
 * lock (only).  See README.md, "Shadow chains". */
void vm_object_collapse(struct vm_object *obj);

/* Finds the page for `offset` of top by walking down the shadow chain.
 * On success *owner is the object holding it (referenced: the page stays
 * while the caller holds that reference) and *page the page; both are NULL
 * if no object of the chain has it.  Takes each object's lock in turn,
 * one at a time. */
void vm_object_page_find(struct vm_object *top, vm_offset_t offset, struct vm_object **owner,
                         struct vm_page **page);

/* Makes a copy of src resident at `offset` of obj (copy-on-write's copy
 * up) unless obj already has a page there; *page is the page obj has
 * there afterwards.  Same locks as vm_object_page_get.  Returns
 * KERN_SUCCESS or KERN_RESOURCE_SHORTAGE. */
kern_return_t vm_object_page_copy(struct vm_object *obj, vm_offset_t offset,
                                  const struct vm_page *src, struct vm_page **page);

/* Resident pages of obj, and objects alive in the whole kernel: for tests
 * and leak checks. */
size_t vm_object_resident_count(struct vm_object *obj);
size_t vm_object_count(void);

/* Counters for tests: pages resident in all objects, collapses done since
 * boot, and the objects in obj's shadow chain (1 without a shadow; read
 * with no one changing the chain). */
size_t vm_object_pages_resident(void);
size_t vm_object_collapse_count(void);
unsigned vm_object_chain_depth(struct vm_object *obj);

#endif

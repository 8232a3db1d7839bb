/* SPDX-License-Identifier: MIT
 *
 * Memory objects as the kernel sees them (vm_object.c): a vm_object is a
 * range of bytes [0, vo_size) some of whose pages are resident in memory.
 * A vm_map_entry maps a window of one object into an address space.  Today
 * every object is internal (anonymous): its pages are zero-filled on first
 * touch and die with the object.  For copy-on-write an object may shadow
 * another (vo_shadow): its absent pages show through from below, and
 * chains whose middle objects nobody else needs collapse (README.md,
 * "Shadow chains").  An external object (vo_pager != NULL) gets its
 * pages from a user-level pager, asked by message (memory_object.c); it is
 * always the bottom of its chain and never collapses.  The default pager
 * for internal objects comes later.
 */
#ifndef _VM_VM_OBJECT_H_
#define _VM_VM_OBJECT_H_

#include <kern/types.h>
#include <kern/spinlock.h>
#include <lib/avl.h>
#include <mach/kern_return.h>
#include <mach/vm_prot.h>
#include <mach/vm_types.h>

struct ipc_dnrequest;
struct ipc_port;
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
    bool vo_internal;  /* anonymous memory (false: vo_pager has it); constant */
    bool vo_in_flight; /* a carrier: one page on its way to a pager (vm_pageout.c
                        * counts them until they die); constant */

    /* Protected by vo_lock (collapse changes them).  The object this one
     * shadows, with one reference, or NULL: a page absent here is looked
     * for at offset + vo_shadow_offset there. */
    struct vm_object *vo_shadow;
    vm_offset_t vo_shadow_offset;

    /* External objects only (memory_object.c); NULL for internal ones.
     * Constant after creation: a send right to the memory object (the
     * pager's port) and the control port (receive right held by the
     * kernel, kobject IKOT_MEM_OBJ_CONTROL -> this object). */
    struct ipc_port *vo_pager;
    struct ipc_port *vo_control;
    /* Protected by vo_lock: memory_object_init has been sent (requests
     * wait for it, so the pager always sees init first). */
    bool vo_pager_ready;
    /* Protected by vo_lock: the pager's receive right died (a kernel
     * dead-name request, vo_pager_dnr, told us): absent pages fail with
     * KERN_MEMORY_FAILURE instead of being asked for. */
    bool vo_pager_dead;
    /* Constant after creation: that dead-name request (cancelled at
     * terminate); NULL if the port was dead when the object was made. */
    struct ipc_dnrequest *vo_pager_dnr;
    /* Protected by memory_object.c's list lock: the list of objects with a
     * pager, by pager port (one object per memory object). */
    struct vm_object *vo_pager_next;

    /* Internal objects that have a default-pager object (vm_pageout.c
     * made one the first time one of its pages was paged out), protected
     * by vo_lock: the existence map, which pages the default pager holds
     * (chunks of 64 pages in a tree by offset).  A page absent from the
     * object is asked of the pager only if its bit is set; otherwise it
     * shows through from the shadow or is zero-filled, as before. */
    struct avl_tree vo_existence;

    /* External objects, protected by vo_lock: the attributes the pager
     * set with memory_object_ready / change_attributes. */
    bool vo_pager_attrs_set; /* ready or change_attributes was called */
    bool vo_may_cache;
    int vo_copy_strategy;
};

/* Creates the object zone; in vm_bootstrap after the zones. */
void vm_object_init(void);

/* A new internal object of `size` bytes (rounded up to pages) with no
 * resident pages and one reference, or NULL when memory is short. */
struct vm_object *vm_object_allocate(vm_size_t size);

/* Takes one more reference to obj. */
void vm_object_reference(struct vm_object *obj);

/* Takes one more reference to obj unless its count already reached zero
 * (it is being terminated); returns whether it did.  For finding objects
 * through something that does not hold a reference (the control port, the
 * list of external objects). */
bool vm_object_reference_live(struct vm_object *obj);

/* Drops one reference; the last one frees every resident page and the
 * object; for an external object it also sends memory_object_terminate
 * and destroys the control port.  Takes the object's lock, the page
 * allocator's and, for an external object, IPC locks: call with no
 * spinlock held. */
void vm_object_deallocate(struct vm_object *obj);

/* The page at `offset` (page aligned, < vo_size) of obj, made resident and
 * zero-filled if it was not; *page is written on success.  The page stays
 * in the object at least as long as the caller's reference.  Takes and
 * drops the object lock; allocates with it dropped.  Returns KERN_SUCCESS
 * or KERN_RESOURCE_SHORTAGE.  For objects without a pager (an external
 * object's pages come through memory_object_page_in). */
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
 * while the caller holds that reference) and *page the page.  When the
 * walk ends at an object that must ask its pager first (the page is busy
 * or in error there, or absent from an external bottom object), *owner is
 * that object (referenced), *where the offset in it, and *page NULL: see
 * memory_object_page_in.  Both are NULL if no object of the chain has it
 * and there is no pager to ask (zero fill).  Takes each object's lock in
 * turn, one at a time. */
void vm_object_page_find(struct vm_object *top, vm_offset_t offset, struct vm_object **owner,
                         struct vm_page **page, vm_offset_t *where);

/* The pager's answers for obj (memory_object.c).  page_supply copies
 * PAGE_SIZE bytes from src into the busy placeholder at `offset`, or into
 * a new page when none is there, with the pager's lock value (access it
 * withholds) and precious flag; the page is clean (the pager has the
 * data) unless precious.  A page already resident is left as it is, and
 * an anonymous object takes only pages it asked for (placeholders).  It
 * allocates with the lock dropped and returns KERN_SUCCESS or
 * KERN_RESOURCE_SHORTAGE.  page_answer settles every busy placeholder in
 * [start, end): zero-filled (data_unavailable) or, with `error`, turned
 * into an error page (data_error); pages nobody asked for are not made.
 * Both wake the faults waiting on the placeholders and take obj's lock. */
kern_return_t vm_object_page_supply(struct vm_object *obj, vm_offset_t offset, const void *src,
                                    vm_prot_t lock_value, bool precious);
void vm_object_page_answer(struct vm_object *obj, vm_offset_t start, vm_offset_t end, bool error);

/* Inserts fresh, a page the caller allocated, into obj at offset as a busy
 * placeholder unless obj has a page there.  Returns true if it did (fresh
 * now belongs to obj); the caller keeps fresh otherwise.  Takes obj's lock. */
bool vm_object_page_insert_busy(struct vm_object *obj, vm_offset_t offset, struct vm_page *fresh);

/* Removes and frees the page at offset if it is busy or in error (a
 * request that could not be sent, or an error seen by a fault), waking the
 * waiters.  Caller holds obj's lock; takes the page queues' and the
 * allocator's under it. */
void vm_object_page_discard_locked(struct vm_object *obj, vm_offset_t offset);

/* Paging (vm_pageout.c, memory_object.c).  A page being cleaned is
 * marked VM_PAGE_CLEANING under the object lock (faults wait for it), then
 * handled with no lock held, then settled by one of these:
 * page_cleaned removes and frees it (the pager or, with `paged_out`, the
 * default pager now holds its data: its existence bit is set), and wakes
 * the faults waiting on it; page_clean_failed keeps it, dirty, on the
 * active queue.  existence_reserve makes room in the existence map for
 * `offset` before the data goes out, so that page_cleaned cannot fail
 * (false: no memory).  Each takes obj's lock. */
void vm_object_page_cleaned(struct vm_object *obj, struct vm_page *p, bool paged_out);
void vm_object_page_clean_failed(struct vm_object *obj, struct vm_page *p);
bool vm_object_existence_reserve(struct vm_object *obj, vm_offset_t offset);
/* Whether the default pager holds the page at offset.  Caller holds vo_lock. */
bool vm_object_existence_test_locked(struct vm_object *obj, vm_offset_t offset);

/* A new internal object of one page holding p (which belongs to no object
 * and stays off the paging queues: it is data in flight to a pager), or
 * NULL when memory is short.  The pageout daemon counts such carriers
 * until they die (vm_pageout_carrier_start / _done). */
struct vm_object *vm_object_of_page(struct vm_page *p);

/* The kernel wrote page p of obj through the direct map: it must be
 * returned to the pager before it is freed.  Takes obj's lock. */
void vm_object_page_set_dirty(struct vm_object *obj, struct vm_page *p);

/* Makes a copy of src (a page of src_owner, which the caller references)
 * resident at `offset` of obj (copy-on-write's copy up) unless obj already
 * has a page there; *page is the page obj has there afterwards.  Same
 * locks as vm_object_page_get, and src_owner's while copying.  Returns
 * KERN_SUCCESS; KERN_RESOURCE_SHORTAGE; KERN_MEMORY_RESTART_COPY (src left
 * src_owner meanwhile -- pageout: look it up again). */
kern_return_t vm_object_page_copy(struct vm_object *obj, vm_offset_t offset,
                                  struct vm_object *src_owner, const struct vm_page *src,
                                  struct vm_page **page);

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

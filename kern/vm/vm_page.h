/* SPDX-License-Identifier: MIT
 *
 * Physical pages.  Every page frame of usable RAM has one struct vm_page,
 * from boot to shutdown, whether it is free, reserved (kernel image, boot
 * modules, this very metadata) or in use.  Free pages are kept by a buddy
 * allocator (vm_buddy.c) so that naturally aligned runs of 2^order pages can
 * be allocated, e.g. for DMA rings; vm_page.c wraps it in one lock and builds
 * it from the boot memory map.
 *
 * A page holding memory of a task belongs to one vm_object at one offset:
 * vp_object and vp_onode (whose key is the offset) place it in the object's
 * tree of resident pages (vm_object.c).  While a page is free, vp_next/vp_prev
 * link it on a free list; while it holds object data they link it on one of
 * the paging queues, active or inactive (vp_queue says which), under the
 * page-queue lock.  Pages on no queue and not free are wired: kernel memory
 * (image, this array, zones, kmem, page tables, stacks) and pages between
 * allocation and their insertion into an object.
 *
 * The queues are what the pageout daemon (vm_pageout.c) scans: it takes
 * pages from the cold end of the inactive queue, asks the pmap whether they
 * were referenced since they were deactivated (pmap_is_referenced /
 * pmap_clear_reference, through the pv lists), and either reactivates them
 * or cleans and frees them.
 */
#ifndef _VM_VM_PAGE_H_
#define _VM_VM_PAGE_H_

#include <kern/types.h>
#include <lib/avl.h>
#include <machine/vmparam.h>

struct vm_object;
struct pv_entry;

/* Largest block: 2^(VM_PAGE_ORDERS - 1) pages (4 MiB). */
#define VM_PAGE_ORDERS 11

/* vp_state */
enum vm_page_state {
    VM_PAGE_RESERVED = 0, /* never handed out (image, modules, metadata, first MiB) */
    VM_PAGE_FREE = 1,     /* first page of a free block of 2^vp_order pages */
    VM_PAGE_INUSE = 2,    /* first page of an allocated block of 2^vp_order pages */
    VM_PAGE_TAIL = 3,     /* any other page of a free or allocated block */
};

/* vp_queue */
enum vm_page_queue {
    VM_PAGE_Q_NONE = 0,     /* free, wired (kernel) or not yet in an object */
    VM_PAGE_Q_ACTIVE = 1,   /* object data, recently used */
    VM_PAGE_Q_INACTIVE = 2, /* object data, a candidate for pageout */
};

struct vm_page {
    /* Protected by the page allocator lock while the page is free; owned by
     * whoever allocated it otherwise. */
    struct vm_page *vp_next, *vp_prev;
    /* Protected by the page allocator lock. */
    uint8_t vp_state; /* enum vm_page_state */
    uint8_t vp_order; /* block order, valid for FREE and INUSE heads */
    uint16_t vp_seg;  /* index of the segment holding the page */
    /* Protected by the page-queue lock. */
    uint8_t vp_queue; /* enum vm_page_queue; vp_next/vp_prev link it there */
    /* Protected by the lock of vp_object. */
    uint8_t vp_flags;     /* VM_PAGE_BUSY, VM_PAGE_ERROR, ... below */
    uint8_t vp_page_lock; /* access the pager withholds (vm_prot_t bits) */
    /* Protected by the pv lock (arch pmap.c): the user translations of this
     * page, and the referenced/modified bits of translations gone since
     * they were last cleared (pmap.h). */
    uint8_t vp_pv_attrs;
    struct pv_entry *vp_pv;
    /* Constant after boot. */
    paddr_t vp_phys;
    /* Protected by the lock of vp_object; NULL and unused for pages that
     * belong to no object (kernel pages, page tables). */
    struct vm_object *vp_object;
    struct avl_node vp_onode; /* in vp_object->vo_pages; an_key is the offset */
};

/* vp_flags.  BUSY: a placeholder whose data a pager has been asked for
 * (memory_object.c); its frame holds nothing yet and faults on it wait.
 * ERROR: the pager answered data_error; the next fault that sees it fails
 * with KERN_MEMORY_ERROR and removes it.  CLEANING: its data is on its way
 * to the pager (pageout, lock_request); faults wait as for BUSY, but the
 * frame is valid.  DIRTY: the kernel wrote it through the direct map (zero
 * fill, copy-on-write copy, vm_object_write) or it has never been given to
 * a pager; what users write shows in the pmap's modified bit instead.
 * PRECIOUS: the pager keeps no copy (data_supply's precious): it is
 * returned even when clean.  UNLOCK: a data_unlock was sent for it; faults
 * wait for the pager's lock_request. */
#define VM_PAGE_BUSY     0x01
#define VM_PAGE_ERROR    0x02
#define VM_PAGE_CLEANING 0x04
#define VM_PAGE_DIRTY    0x08
#define VM_PAGE_PRECIOUS 0x10
#define VM_PAGE_UNLOCK   0x20
/* Faults must wait (or ask the pager) when a page has one of these. */
#define VM_PAGE_WAIT_FLAGS (VM_PAGE_BUSY | VM_PAGE_ERROR | VM_PAGE_CLEANING)

/* The offset of page p in its object. */
static inline uint64_t
vm_page_offset(const struct vm_page *p)
{
    return p->vp_onode.an_key;
}

static inline paddr_t
vm_page_to_phys(const struct vm_page *p)
{
    return p->vp_phys;
}

/* Phase 1, on the boot page tables: builds one struct vm_page per page of
 * usable RAM and frees the RAM below 4 GiB that is not reserved.  */
void vm_page_bootstrap(void);

/* Phase 2, once the direct map covers all RAM: frees the RAM above 4 GiB. */
void vm_page_bootstrap_high(void);

/* Allocates a naturally aligned block of 2^order contiguous pages and returns
 * its first page, or NULL when no such block is free (or order is too big).
 * The memory is not zeroed.  Takes and drops the page allocator lock; may be
 * called with locks of lower rank (KMEM, ZONE, KPMAP) held. */
struct vm_page *vm_page_alloc(unsigned order);

/* Frees a block returned by vm_page_alloc(order) with the same order.
 * Panics if p is not the head of an allocated block of that order. */
void vm_page_free(struct vm_page *p, unsigned order);

/* The struct vm_page of physical address pa, or NULL if pa is not usable RAM. */
struct vm_page *vm_page_lookup(paddr_t pa);

/* Segment i of usable RAM (ascending, disjoint, page aligned): writes
 * [*start, *end) and returns true, or returns false past the last one. */
bool vm_page_segment(unsigned i, paddr_t *start, paddr_t *end);

/* Pages currently free / pages of usable RAM (free, in use or reserved). */
size_t vm_page_free_count(void);
size_t vm_page_total_count(void);

/* Page counts at one moment: free + active + inactive + wired == total.
 * wired is what is neither free nor on a paging queue (see above). */
struct vm_page_counts {
    size_t vpc_free, vpc_active, vpc_inactive, vpc_wired, vpc_total;
};
void vm_page_counts(struct vm_page_counts *c);

/* Paging queues.  vm_page_activate puts p (a page of an object) at the
 * warm end of the active queue, from wherever it was (a reactivation if it
 * was inactive); vm_page_deactivate moves it to the warm end of the
 * inactive queue; vm_page_dequeue takes it off either (before it is freed
 * or leaves its object).  Each takes and drops the page-queue lock, which
 * ranks above VM_OBJECT: call them with an object lock held if you like,
 * but not with a pmap, zone or page allocator lock. */
void vm_page_activate(struct vm_page *p);
void vm_page_deactivate(struct vm_page *p);
void vm_page_dequeue(struct vm_page *p);

/* For the pageout daemon (vm_pageout.c), which looks at pages with the
 * queues locked: the lock itself, the coldest page of a queue (NULL if
 * empty), moving a page to the warm end of a queue (VM_PAGE_Q_NONE: off
 * the queues), and queue lengths (the _locked one exact, the other a
 * snapshot). */
void vm_page_queue_lock(void);
void vm_page_queue_unlock(void);
struct vm_page *vm_page_queue_cold_locked(enum vm_page_queue which);
void vm_page_requeue_locked(struct vm_page *p, enum vm_page_queue which);
size_t vm_page_queue_count_locked(enum vm_page_queue which);
size_t vm_page_queue_count(enum vm_page_queue which);

/* Inactive pages made active again since boot (vm_statistics). */
size_t vm_page_reactivations(void);

/* Kernel pages through the direct map: vm_page_alloc(order) returned as its
 * direct-map address (NULL when out of memory), and its inverse.  Zones and
 * page tables use these; host tests replace them. */
void *vm_kpage_alloc(unsigned order);
void vm_kpage_free(void *va, unsigned order);

#endif

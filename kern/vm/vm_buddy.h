/* SPDX-License-Identifier: MIT
 *
 * The buddy allocator behind vm_page_alloc(), as pure bookkeeping: it links
 * and unlinks struct vm_page records and never touches the memory they
 * describe, takes no locks (its caller, vm_page.c, holds the page allocator
 * lock around every call) and prints nothing, so the host tests
 * (test/host/mem/) run it unchanged on fake page arrays.
 *
 * Physical memory is a set of segments [start, end), each with its own
 * array of struct vm_page.  A free block of order k is 2^k pages whose first
 * physical address is a multiple of 2^k pages; its buddy is the block at
 * phys ^ (PAGE_SIZE << k), and the two merge when both are free and in the
 * same segment.
 */
#ifndef _VM_VM_BUDDY_H_
#define _VM_VM_BUDDY_H_

#include <vm/vm_page.h>

#define VM_BUDDY_SEGS_MAX 64

struct vm_phys_seg {
    paddr_t start, end;    /* page aligned, end exclusive */
    struct vm_page *pages; /* one per page of [start, end) */
};

struct vm_buddy {
    struct vm_page *vb_free[VM_PAGE_ORDERS];       /* free block heads, doubly linked */
    size_t vb_nfree[VM_PAGE_ORDERS];               /* blocks on each list */
    size_t vb_free_pages;                          /* pages in free blocks */
    size_t vb_total_pages;                         /* pages in all segments */
    struct vm_phys_seg vb_segs[VM_BUDDY_SEGS_MAX]; /* sorted by address */
    unsigned vb_nsegs;
};

/* Empties b. */
void vm_buddy_init(struct vm_buddy *b);

/* Adds segment [start, end) (page aligned, not overlapping another, added in
 * ascending order) described by pages[(end - start) / PAGE_SIZE], all
 * initialized as reserved.  Returns false (and changes nothing) when the
 * segment is malformed or the table is full. */
bool vm_buddy_add_segment(struct vm_buddy *b, paddr_t start, paddr_t end, struct vm_page *pages);

/* Frees the reserved pages of [start, end), which must lie in one segment,
 * as the largest aligned blocks that fit, merging with free neighbours. */
void vm_buddy_release(struct vm_buddy *b, paddr_t start, paddr_t end);

/* Removes a free block of 2^order pages, splitting a larger one if needed;
 * NULL when none is free or order >= VM_PAGE_ORDERS. */
struct vm_page *vm_buddy_alloc(struct vm_buddy *b, unsigned order);

/* Returns the allocated block headed by p (of that order) to the free lists,
 * merging with its buddies.  Panics if p does not head such a block. */
void vm_buddy_free(struct vm_buddy *b, struct vm_page *p, unsigned order);

/* The page record of pa, or NULL outside every segment. */
struct vm_page *vm_buddy_lookup(const struct vm_buddy *b, paddr_t pa);

/* Checks every list against the counters and every free block's state;
 * returns false on the first inconsistency.  For tests. */
bool vm_buddy_check(const struct vm_buddy *b);

#endif

// SPDX-License-Identifier: MIT
//
// Buddy allocator bookkeeping (see vm_buddy.h).  Free lists are doubly
// linked through vp_next/vp_prev so that a block can leave the middle of its
// list in O(1) when its buddy is freed and they merge.  Only the head of a
// block carries state FREE or INUSE and its order; the other pages are TAIL.

#include <vm/vm_buddy.h>
#include <kern/assert.h>

#define PAGES(order) ((size_t)1 << (order))

void
vm_buddy_init(struct vm_buddy *b)
{
    *b = (struct vm_buddy){0};
}

static void
list_push(struct vm_buddy *b, struct vm_page *p, unsigned order)
{
    p->vp_state = VM_PAGE_FREE;
    p->vp_order = (uint8_t)order;
    p->vp_prev = NULL;
    p->vp_next = b->vb_free[order];
    if (p->vp_next != NULL)
        p->vp_next->vp_prev = p;
    b->vb_free[order] = p;
    b->vb_nfree[order]++;
}

static void
list_remove(struct vm_buddy *b, struct vm_page *p, unsigned order)
{
    if (p->vp_prev != NULL)
        p->vp_prev->vp_next = p->vp_next;
    else
        b->vb_free[order] = p->vp_next;
    if (p->vp_next != NULL)
        p->vp_next->vp_prev = p->vp_prev;
    p->vp_next = p->vp_prev = NULL;
    p->vp_state = VM_PAGE_TAIL;
    b->vb_nfree[order]--;
}

bool
vm_buddy_add_segment(struct vm_buddy *b, paddr_t start, paddr_t end, struct vm_page *pages)
{
    if (b->vb_nsegs == VM_BUDDY_SEGS_MAX || start >= end || start % PAGE_SIZE != 0 ||
        end % PAGE_SIZE != 0)
        return false;
    if (b->vb_nsegs > 0 && b->vb_segs[b->vb_nsegs - 1].end > start)
        return false;
    unsigned idx = b->vb_nsegs++;
    b->vb_segs[idx] = (struct vm_phys_seg){start, end, pages};
    for (size_t i = 0; i < (end - start) / PAGE_SIZE; i++) {
        pages[i] = (struct vm_page){.vp_state = VM_PAGE_RESERVED,
                                    .vp_seg = (uint16_t)idx,
                                    .vp_phys = start + i * PAGE_SIZE};
    }
    b->vb_total_pages += (end - start) / PAGE_SIZE;
    return true;
}

static const struct vm_phys_seg *
seg_of(const struct vm_buddy *b, paddr_t pa)
{
    for (unsigned i = 0; i < b->vb_nsegs; i++) {
        if (pa >= b->vb_segs[i].start && pa < b->vb_segs[i].end)
            return &b->vb_segs[i];
    }
    return NULL;
}

struct vm_page *
vm_buddy_lookup(const struct vm_buddy *b, paddr_t pa)
{
    const struct vm_phys_seg *s = seg_of(b, pa);

    return s != NULL ? &s->pages[(pa - s->start) / PAGE_SIZE] : NULL;
}

// Puts the block of 2^order pages headed by p on the free lists, first
// merging it with its buddy for as long as the buddy is a free block of the
// same order inside the same segment.
static void
free_block(struct vm_buddy *b, struct vm_page *p, unsigned order)
{
    const struct vm_phys_seg *s = &b->vb_segs[p->vp_seg];

    b->vb_free_pages += PAGES(order);
    while (order + 1 < VM_PAGE_ORDERS) {
        paddr_t bpa = p->vp_phys ^ ((paddr_t)PAGE_SIZE << order);
        if (bpa < s->start || bpa + (PAGE_SIZE << order) > s->end)
            break;
        struct vm_page *buddy = &s->pages[(bpa - s->start) / PAGE_SIZE];
        if (buddy->vp_state != VM_PAGE_FREE || buddy->vp_order != order)
            break;
        list_remove(b, buddy, order);
        if (buddy < p) {
            p->vp_state = VM_PAGE_TAIL;
            p = buddy;
        }
        order++;
    }
    list_push(b, p, order);
}

void
vm_buddy_release(struct vm_buddy *b, paddr_t start, paddr_t end)
{
    const struct vm_phys_seg *s = seg_of(b, start);

    assert(s != NULL && end <= s->end && start % PAGE_SIZE == 0 && end % PAGE_SIZE == 0);
    for (paddr_t pa = start; pa < end; pa += PAGE_SIZE) {
        struct vm_page *p = &s->pages[(pa - s->start) / PAGE_SIZE];
        assert(p->vp_state == VM_PAGE_RESERVED);
        p->vp_state = VM_PAGE_TAIL;
    }
    // Largest aligned block at pa that still fits before end.
    for (paddr_t pa = start; pa < end;) {
        unsigned order = 0;
        while (order + 1 < VM_PAGE_ORDERS && pa % ((paddr_t)PAGE_SIZE << (order + 1)) == 0 &&
               pa + ((paddr_t)PAGE_SIZE << (order + 1)) <= end)
            order++;
        free_block(b, &s->pages[(pa - s->start) / PAGE_SIZE], order);
        pa += (paddr_t)PAGE_SIZE << order;
    }
}

struct vm_page *
vm_buddy_alloc(struct vm_buddy *b, unsigned order)
{
    unsigned k = order;

    if (order >= VM_PAGE_ORDERS)
        return NULL;
    while (k < VM_PAGE_ORDERS && b->vb_free[k] == NULL)
        k++;
    if (k == VM_PAGE_ORDERS)
        return NULL;
    struct vm_page *p = b->vb_free[k];
    list_remove(b, p, k);
    // Split: keep the lower half, free the upper half, until the order fits.
    while (k > order) {
        k--;
        list_push(b, p + PAGES(k), k);
    }
    p->vp_state = VM_PAGE_INUSE;
    p->vp_order = (uint8_t)order;
    b->vb_free_pages -= PAGES(order);
    return p;
}

void
vm_buddy_free(struct vm_buddy *b, struct vm_page *p, unsigned order)
{
    if (p->vp_state != VM_PAGE_INUSE || p->vp_order != order)
        panic("vm_buddy_free: page %#lx is not an allocated block of order %u (state %u order %u)",
              (unsigned long)p->vp_phys, order, p->vp_state, p->vp_order);
    p->vp_state = VM_PAGE_TAIL;
    free_block(b, p, order);
}

bool
vm_buddy_check(const struct vm_buddy *b)
{
    size_t free_pages = 0;

    for (unsigned k = 0; k < VM_PAGE_ORDERS; k++) {
        size_t n = 0;
        const struct vm_page *prev = NULL;
        for (const struct vm_page *p = b->vb_free[k]; p != NULL; prev = p, p = p->vp_next) {
            if (p->vp_state != VM_PAGE_FREE || p->vp_order != k || p->vp_prev != prev)
                return false;
            if (p->vp_phys % ((paddr_t)PAGE_SIZE << k) != 0)
                return false;
            if (++n > b->vb_total_pages)
                return false;
        }
        if (n != b->vb_nfree[k])
            return false;
        free_pages += n << k;
    }
    return free_pages == b->vb_free_pages;
}

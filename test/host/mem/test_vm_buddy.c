// SPDX-License-Identifier: MIT
//
// Host tests of the buddy allocator (kern/vm/vm_buddy.c) on fake segments:
// its struct vm_page arrays live on the heap and describe physical
// addresses that nothing ever touches.

#include "host_stubs.h"
#include <vm/vm_buddy.h>
#include <string.h>

#define SEG_A       0x100000ull /* 300 pages: ends off any large alignment */
#define SEG_A_PAGES 300
#define SEG_B       0x1000000ull /* 2048 pages with a reserved hole */
#define SEG_B_PAGES 2048
#define HOLE_START  (SEG_B + 100 * PAGE_SIZE)
#define HOLE_END    (SEG_B + 130 * PAGE_SIZE)

static struct vm_buddy b;
static struct vm_page pages_a[SEG_A_PAGES], pages_b[SEG_B_PAGES];

static void
setup(void)
{
    vm_buddy_init(&b);
    CHECK(vm_buddy_add_segment(&b, SEG_A, SEG_A + SEG_A_PAGES * PAGE_SIZE, pages_a));
    CHECK(vm_buddy_add_segment(&b, SEG_B, SEG_B + SEG_B_PAGES * PAGE_SIZE, pages_b));
    CHECK(b.vb_total_pages == SEG_A_PAGES + SEG_B_PAGES && b.vb_free_pages == 0);
    vm_buddy_release(&b, SEG_A, SEG_A + SEG_A_PAGES * PAGE_SIZE);
    vm_buddy_release(&b, SEG_B, HOLE_START);
    vm_buddy_release(&b, HOLE_END, SEG_B + SEG_B_PAGES * PAGE_SIZE);
    CHECK(b.vb_free_pages == SEG_A_PAGES + SEG_B_PAGES - 30);
    CHECK(vm_buddy_check(&b));
}

// The page's index across both fake segments, for an owner table.
static size_t
index_of(paddr_t pa)
{
    if (pa >= SEG_B)
        return SEG_A_PAGES + (pa - SEG_B) / PAGE_SIZE;
    return (pa - SEG_A) / PAGE_SIZE;
}

static void
test_all_pages_once_then_all_back(void)
{
    static struct vm_page *got[SEG_A_PAGES + SEG_B_PAGES];
    static bool seen[SEG_A_PAGES + SEG_B_PAGES];
    size_t n = 0, nfree0[VM_PAGE_ORDERS], start = b.vb_free_pages;
    struct vm_page *p;

    memcpy(nfree0, b.vb_nfree, sizeof(nfree0));
    memset(seen, 0, sizeof(seen));
    while ((p = vm_buddy_alloc(&b, 0)) != NULL) {
        size_t i = index_of(p->vp_phys);
        CHECK(!seen[i]);
        CHECK(p->vp_phys < HOLE_START || p->vp_phys >= HOLE_END);
        seen[i] = true;
        got[n++] = p;
    }
    CHECK(n == start && b.vb_free_pages == 0);
    for (size_t i = n; i > 1; i--) { // free in a scrambled order
        size_t j = (i * 7919) % i;
        struct vm_page *t = got[i - 1];
        got[i - 1] = got[j];
        got[j] = t;
    }
    for (size_t i = 0; i < n; i++)
        vm_buddy_free(&b, got[i], 0);
    CHECK(b.vb_free_pages == start);
    CHECK(memcmp(nfree0, b.vb_nfree, sizeof(nfree0)) == 0); // fully merged again
    CHECK(vm_buddy_check(&b));
}

static void
test_orders_are_aligned_and_lookup_works(void)
{
    for (unsigned k = 0; k < VM_PAGE_ORDERS; k++) {
        struct vm_page *p = vm_buddy_alloc(&b, k);
        CHECK(p != NULL);
        CHECK(p->vp_phys % ((paddr_t)PAGE_SIZE << k) == 0);
        for (size_t i = 0; i < ((size_t)1 << k); i++)
            CHECK(vm_buddy_lookup(&b, p->vp_phys + i * PAGE_SIZE) == p + i);
        vm_buddy_free(&b, p, k);
    }
    CHECK(vm_buddy_alloc(&b, VM_PAGE_ORDERS) == NULL);
    CHECK(vm_buddy_lookup(&b, SEG_A - PAGE_SIZE) == NULL);
    CHECK(vm_buddy_lookup(&b, SEG_B + SEG_B_PAGES * PAGE_SIZE) == NULL);
    CHECK(vm_buddy_check(&b));
}

// Random allocations and frees against an owner table: no page is ever in
// two live blocks, and the lists stay consistent.
static void
test_random_stress(void)
{
    enum { LIVE = 256 };
    static struct vm_page *live[LIVE];
    static unsigned live_order[LIVE];
    static int owner[SEG_A_PAGES + SEG_B_PAGES];
    size_t start = b.vb_free_pages;
    unsigned seed = 12345;

    memset(owner, -1, sizeof(owner));
    for (int step = 0; step < 50000; step++) {
        seed = seed * 1103515245 + 12345;
        unsigned slot = (seed >> 8) % LIVE, order = (seed >> 20) % 6;
        if (live[slot] != NULL) {
            for (size_t i = 0; i < ((size_t)1 << live_order[slot]); i++)
                owner[index_of(live[slot]->vp_phys) + i] = -1;
            vm_buddy_free(&b, live[slot], live_order[slot]);
            live[slot] = NULL;
        } else if ((live[slot] = vm_buddy_alloc(&b, order)) != NULL) {
            live_order[slot] = order;
            for (size_t i = 0; i < ((size_t)1 << order); i++) {
                CHECK(owner[index_of(live[slot]->vp_phys) + i] == -1);
                owner[index_of(live[slot]->vp_phys) + i] = (int)slot;
            }
        }
        if (step % 5000 == 0)
            CHECK(vm_buddy_check(&b));
    }
    for (unsigned s = 0; s < LIVE; s++) {
        if (live[s] != NULL)
            vm_buddy_free(&b, live[s], live_order[s]);
    }
    CHECK(b.vb_free_pages == start && vm_buddy_check(&b));
}

static void
test_bad_frees_panic(void)
{
    struct vm_page *p = vm_buddy_alloc(&b, 2);

    CHECK(HOST_PANICS(vm_buddy_free(&b, p, 1)));     // wrong order
    CHECK(HOST_PANICS(vm_buddy_free(&b, p + 1, 0))); // a tail page
    vm_buddy_free(&b, p, 2);
    CHECK(HOST_PANICS(vm_buddy_free(&b, p, 2)));                               // twice
    CHECK(HOST_PANICS(vm_buddy_free(&b, vm_buddy_lookup(&b, HOLE_START), 0))); // reserved
    CHECK(vm_buddy_check(&b));
}

// Two touching segments: blocks never merge across the boundary.
static void
test_no_merge_across_segments(void)
{
    static struct vm_page p1[4], p2[4];
    struct vm_buddy bb;

    vm_buddy_init(&bb);
    CHECK(vm_buddy_add_segment(&bb, 0x8000, 0x8000 + 4 * PAGE_SIZE, p1));
    CHECK(vm_buddy_add_segment(&bb, 0xC000, 0xC000 + 4 * PAGE_SIZE, p2));
    CHECK(!vm_buddy_add_segment(&bb, 0xD000, 0xE000, p1));   // overlaps
    CHECK(!vm_buddy_add_segment(&bb, 0x20001, 0x30000, p1)); // unaligned
    vm_buddy_release(&bb, 0x8000, 0xC000);
    vm_buddy_release(&bb, 0xC000, 0x10000);
    CHECK(bb.vb_nfree[2] == 2 && bb.vb_nfree[3] == 0 && vm_buddy_check(&bb));
    CHECK(vm_buddy_alloc(&bb, 3) == NULL);
}

int
main(void)
{
    setup();
    test_all_pages_once_then_all_back();
    test_orders_are_aligned_and_lookup_works();
    test_random_stress();
    test_bad_frees_panic();
    test_no_merge_across_segments();
    printf("vm_buddy: all tests passed\n");
    return 0;
}

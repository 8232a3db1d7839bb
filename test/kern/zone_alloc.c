// SPDX-License-Identifier: MIT
//
// Tests of zones: elements are distinct and reused, counters come back to
// where they started, zones grow across many slabs and give pages back.

#include <debug/ktest.h>
#include <kern/zalloc.h>
#include <lib/string.h>
#include <vm/vm_page.h>

KTEST(zone, freed_element_is_reused_and_counts_return_to_baseline)
{
    struct zone *z = zone_create("test.reuse", 40, 0);
    struct zone_stats st;

    KT_ASSERT(z != NULL);
    void *a = zalloc(z), *b = zalloc(z);
    KT_ASSERT(a != NULL && b != NULL && a != b);
    zone_get_stats(z, &st);
    KT_EQ(st.zs_in_use, 2);
    KT_EQ(st.zs_elem_size, 40);
    zfree(z, a);
    void *c = zalloc(z);
    KT_EQ((uintptr_t)c, (uintptr_t)a);
    zfree(z, c);
    zfree(z, b);
    zone_get_stats(z, &st);
    KT_EQ(st.zs_in_use, 0);
    KT_EQ(st.zs_allocs, 3);
    zone_destroy(z);
}

// Each element carries its index; overlapping elements would corrupt one.
KTEST(zone, many_elements_across_slabs_are_distinct_and_pages_come_back)
{
    enum { N = 2000 };
    static uint32_t *elems[N];
    size_t free0 = vm_page_free_count();
    struct zone *z = zone_create("test.many", 24, 8);
    struct zone_stats st;

    KT_ASSERT(z != NULL);
    for (uint32_t i = 0; i < N; i++) {
        elems[i] = zalloc(z);
        KT_ASSERT(elems[i] != NULL);
        KT_EQ((uintptr_t)elems[i] % 8, 0);
        for (int w = 0; w < 6; w++)
            elems[i][w] = i;
    }
    zone_get_stats(z, &st);
    KT_EQ(st.zs_in_use, N);
    KT_ASSERT(st.zs_pages >= N * 24 / PAGE_SIZE);
    for (uint32_t i = 0; i < N; i++) {
        for (int w = 0; w < 6; w++)
            KT_EQ(elems[i][w], i);
    }
    for (uint32_t i = 0; i < N; i += 2) // every other first: partial slabs
        zfree(z, elems[i]);
    for (uint32_t i = 1; i < N; i += 2)
        zfree(z, elems[i]);
    zone_get_stats(z, &st);
    KT_EQ(st.zs_in_use, 0);
    KT_ASSERT(st.zs_pages <= 1); // one empty slab kept in reserve
    zone_drain(z);
    zone_get_stats(z, &st);
    KT_EQ(st.zs_pages, 0);
    zone_destroy(z);
    KT_EQ(vm_page_free_count(), free0);
}

KTEST(zone, alignment_is_honoured_for_every_element)
{
    struct zone *z = zone_create("test.align", 100, 128);
    void *e[40];

    KT_ASSERT(z != NULL);
    for (int i = 0; i < 40; i++) {
        e[i] = zalloc(z);
        KT_ASSERT(e[i] != NULL);
        KT_EQ((uintptr_t)e[i] % 128, 0);
    }
    for (int i = 0; i < 40; i++)
        zfree(z, e[i]);
    zone_destroy(z);
}

KTEST(zone, large_elements_fit_in_multi_page_slabs)
{
    struct zone *z = zone_create("test.large", ZONE_ELEM_MAX, 0);
    struct zone_stats st;
    void *a, *b;

    KT_ASSERT(z != NULL);
    a = zalloc(z);
    b = zalloc(z);
    KT_ASSERT(a != NULL && b != NULL);
    memset(a, 0xAA, ZONE_ELEM_MAX);
    memset(b, 0xBB, ZONE_ELEM_MAX);
    KT_EQ(((uint8_t *)a)[ZONE_ELEM_MAX - 1], 0xAA);
    zone_get_stats(z, &st);
    KT_ASSERT(st.zs_pages >= 2 * ZONE_ELEM_MAX / PAGE_SIZE);
    zfree(z, a);
    zfree(z, b);
    zone_destroy(z);
}

KTEST(zone, create_refuses_bad_sizes_and_alignments)
{
    KT_ASSERT(zone_create("test.bad", 0, 0) == NULL);
    KT_ASSERT(zone_create("test.bad", ZONE_ELEM_MAX + 1, 0) == NULL);
    KT_ASSERT(zone_create("test.bad", 16, 3) == NULL);
    KT_ASSERT(zone_create("test.bad", 16, 2 * PAGE_SIZE) == NULL);
}

// SPDX-License-Identifier: MIT
//
// Tests of kalloc/kfree: every size from 1 byte to large blocks is usable
// in full and comes back; zero and absurd sizes are refused.

#include <debug/ktest.h>
#include <kern/kalloc.h>
#include <lib/string.h>
#include <vm/kmem.h>
#include <vm/vm_page.h>

// Fills p[0..size) with a pattern derived from seed; checks it later.
static void
fill(uint8_t *p, size_t size, uint8_t seed)
{
    for (size_t i = 0; i < size; i++)
        p[i] = (uint8_t)(seed + i * 7);
}

static bool
intact(const uint8_t *p, size_t size, uint8_t seed)
{
    for (size_t i = 0; i < size; i++) {
        if (p[i] != (uint8_t)(seed + i * 7))
            return false;
    }
    return true;
}

KTEST(kalloc, every_size_up_to_the_largest_zone_is_usable_in_full)
{
    static void *blocks[KALLOC_ZONE_MAX + 1];

    for (size_t size = 1; size <= KALLOC_ZONE_MAX; size++) {
        blocks[size] = kalloc(size);
        KT_ASSERT(blocks[size] != NULL);
        fill(blocks[size], size, (uint8_t)size);
    }
    for (size_t size = 1; size <= KALLOC_ZONE_MAX; size++) {
        KT_ASSERT(intact(blocks[size], size, (uint8_t)size));
        kfree(blocks[size], size);
    }
}

KTEST(kalloc, small_blocks_are_aligned_to_their_size_up_to_64)
{
    for (size_t size = 16; size <= KALLOC_ZONE_MAX; size *= 2) {
        void *p = kalloc(size);
        KT_ASSERT(p != NULL);
        KT_EQ((uintptr_t)p % MIN(size, 64), 0);
        kfree(p, size);
    }
}

KTEST(kalloc, large_sizes_come_from_kmem_and_return_every_page)
{
    static const size_t sizes[] = {KALLOC_ZONE_MAX + 1, PAGE_SIZE, 3 * PAGE_SIZE + 17,
                                   64 * PAGE_SIZE, 1 << 20};
    struct kmem_stats s0, s1;

    kmem_get_stats(&s0);
    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
        uint8_t *p = kalloc(sizes[i]);
        KT_ASSERT(p != NULL);
        fill(p, sizes[i], (uint8_t)i);
        KT_ASSERT(intact(p, sizes[i], (uint8_t)i));
        kfree(p, sizes[i]);
    }
    kmem_get_stats(&s1);
    KT_EQ(s1.ks_pages, s0.ks_pages);
    KT_EQ(s1.ks_blocks, s0.ks_blocks);
}

KTEST(kalloc, zero_and_absurd_sizes_return_null)
{
    size_t free0 = vm_page_free_count();

    KT_ASSERT(kalloc(0) == NULL);
    KT_ASSERT(kalloc(KALLOC_MAX + 1) == NULL);
    KT_ASSERT(kalloc(~(size_t)0) == NULL);
    kfree(NULL, 32); // allowed, does nothing
    KT_EQ(vm_page_free_count(), free0);
}

KTEST(kalloc, alloc_free_cycles_do_not_grow_memory_use)
{
    void *p[64];

    for (int round = 0; round < 3; round++) {
        size_t free0 = vm_page_free_count();
        for (int i = 0; i < 64; i++) {
            p[i] = kalloc(200);
            KT_ASSERT(p[i] != NULL);
        }
        for (int i = 0; i < 64; i++)
            kfree(p[i], 200);
        if (round > 0)
            KT_ASSERT(vm_page_free_count() == free0);
    }
}

// SPDX-License-Identifier: MIT
//
// Tests of the kernel arena: page-backed zeroed blocks, guard pages left
// unmapped, address space and pages returned on free, refusals.

#include <debug/ktest.h>
#include <vm/kmem.h>
#include <vm/pmap.h>
#include <vm/vm_page.h>

KTEST(vm, kmem_alloc_returns_zeroed_writable_pages_and_free_returns_them)
{
    size_t free0 = vm_page_free_count();
    struct kmem_stats s0, s1;
    paddr_t pa;

    kmem_get_stats(&s0);
    uint8_t *p = kmem_alloc(3 * PAGE_SIZE + 1, 0);
    KT_ASSERT(p != NULL);
    KT_EQ((vaddr_t)p % PAGE_SIZE, 0);
    KT_ASSERT((vaddr_t)p >= KVA_BASE && (vaddr_t)p < KVA_BASE + KVA_SIZE);
    for (size_t i = 0; i < 4 * PAGE_SIZE; i++)
        KT_EQ(p[i], 0);
    for (size_t i = 0; i < 4 * PAGE_SIZE; i++)
        p[i] = (uint8_t)i;
    KT_ASSERT(pmap_kextract((vaddr_t)p + 3 * PAGE_SIZE, &pa));
    KT_EQ(*(uint8_t *)phys_to_virt(pa + 5), (uint8_t)(3 * PAGE_SIZE + 5));
    kmem_get_stats(&s1);
    KT_EQ(s1.ks_pages, s0.ks_pages + 4);
    KT_ASSERT(vm_page_free_count() <= free0 - 4);
    kmem_free(p, 3 * PAGE_SIZE + 1);
    KT_ASSERT(!pmap_kextract((vaddr_t)p, &pa));
    kmem_get_stats(&s1);
    KT_EQ(s1.ks_pages, s0.ks_pages);
    KT_EQ(s1.ks_blocks, s0.ks_blocks);
    KT_EQ(s1.ks_va_bytes, s0.ks_va_bytes);
}

KTEST(vm, kmem_guard_pages_around_a_block_are_unmapped)
{
    struct kmem_stats s0, s1;
    paddr_t pa;

    kmem_get_stats(&s0);
    uint8_t *p = kmem_alloc(2 * PAGE_SIZE, KMEM_GUARD);
    KT_ASSERT(p != NULL);
    KT_ASSERT(pmap_kextract((vaddr_t)p, &pa));
    KT_ASSERT(pmap_kextract((vaddr_t)p + PAGE_SIZE, &pa));
    KT_ASSERT(!pmap_kextract((vaddr_t)p - PAGE_SIZE, &pa));
    KT_ASSERT(!pmap_kextract((vaddr_t)p + 2 * PAGE_SIZE, &pa));
    kmem_get_stats(&s1);
    KT_EQ(s1.ks_va_bytes, s0.ks_va_bytes + 4 * PAGE_SIZE);
    KT_EQ(s1.ks_pages, s0.ks_pages + 2);
    kmem_free(p, 2 * PAGE_SIZE);
    kmem_get_stats(&s1);
    KT_EQ(s1.ks_va_bytes, s0.ks_va_bytes);
}

KTEST(vm, kmem_reuses_address_space_after_free)
{
    void *a = kmem_alloc(PAGE_SIZE, 0);
    KT_ASSERT(a != NULL);
    kmem_free(a, PAGE_SIZE);
    void *b = kmem_alloc(PAGE_SIZE, 0);
    KT_EQ((vaddr_t)b, (vaddr_t)a); // first fit finds the same hole
    kmem_free(b, PAGE_SIZE);
}

KTEST(vm, kmem_refuses_zero_and_absurd_sizes_and_changes_nothing)
{
    struct kmem_stats s0, s1;
    size_t free0 = vm_page_free_count();

    kmem_get_stats(&s0);
    KT_ASSERT(kmem_alloc(0, 0) == NULL);
    KT_ASSERT(kmem_alloc(KVA_SIZE, 0) == NULL);
    KT_ASSERT(kmem_alloc(~(size_t)0, KMEM_GUARD) == NULL);
    KT_ASSERT(kmem_va_alloc(0) == 0);
    kmem_get_stats(&s1);
    KT_EQ(s1.ks_blocks, s0.ks_blocks);
    KT_EQ(vm_page_free_count(), free0);
}

// Takes all free memory but `keep` pages, chaining the blocks through their
// first words; returns the chain's head (0 if empty).
static paddr_t
hoard(size_t keep)
{
    paddr_t head = 0;

    for (int order = VM_PAGE_ORDERS - 1; order >= 0; order--) {
        while (vm_page_free_count() >= keep + ((size_t)1 << order)) {
            struct vm_page *p = vm_page_alloc((unsigned)order);
            if (p == NULL)
                break;
            uint64_t *w = phys_to_virt(vm_page_to_phys(p));
            w[0] = head;
            w[1] = (uint64_t)order;
            head = vm_page_to_phys(p);
        }
    }
    return head;
}

static void
unhoard(paddr_t head)
{
    while (head != 0) {
        uint64_t *w = phys_to_virt(head);
        paddr_t next = w[0];
        vm_page_free(vm_page_lookup(head), (unsigned)w[1]);
        head = next;
    }
}

// With only a few pages free, a larger allocation must fail and give back
// every page it took on the way.
KTEST(vm, kmem_alloc_beyond_free_memory_fails_and_leaks_nothing)
{
    struct kmem_stats s0, s1;
    void *warm = kmem_alloc(PAGE_SIZE, 0); // extent zone and page tables in place

    KT_ASSERT(warm != NULL);
    kmem_get_stats(&s0);
    paddr_t h = hoard(16);
    size_t free0 = vm_page_free_count();
    void *p = kmem_alloc(64 * PAGE_SIZE, 0);
    kmem_get_stats(&s1);
    size_t free1 = vm_page_free_count();
    unhoard(h);
    kmem_free(warm, PAGE_SIZE);
    KT_ASSERT(p == NULL);
    KT_EQ(s1.ks_blocks, s0.ks_blocks);
    KT_EQ(s1.ks_va_bytes, s0.ks_va_bytes);
    KT_ASSERT(free1 + 2 >= free0); // a page table may have been added
}

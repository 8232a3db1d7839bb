// SPDX-License-Identifier: MIT
//
// Tests of the physical page allocator: every free page can be allocated
// exactly once and all come back; blocks of every order are contiguous and
// naturally aligned.

#include <debug/ktest.h>
#include <kern/bootinfo.h>
#include <vm/pmap.h>
#include <vm/vm_page.h>

#define MARK 0x51A7E5A11DC0FFEEull

// Each allocated page holds {MARK ^ its address, the previous page's
// address}: a page handed out twice gets its link overwritten, which breaks
// the chain walked below.
KTEST(vm, page_alloc_hands_out_every_free_page_once_and_takes_all_back)
{
    size_t start = vm_page_free_count(), n = 0;
    paddr_t last = 0;
    struct vm_page *p;

    while ((p = vm_page_alloc(0)) != NULL) {
        uint64_t *w = phys_to_virt(vm_page_to_phys(p));
        w[0] = MARK ^ vm_page_to_phys(p);
        w[1] = last;
        last = vm_page_to_phys(p);
        n++;
    }
    KT_EQ(n, start);
    KT_EQ(vm_page_free_count(), 0);
    size_t walked = 0;
    bool chain_ok = true;
    while (last != 0 && walked <= n) {
        uint64_t *w = phys_to_virt(last);
        chain_ok = chain_ok && w[0] == (MARK ^ last);
        paddr_t prev = w[1];
        vm_page_free(vm_page_lookup(last), 0);
        last = prev;
        walked++;
    }
    KT_EQ(vm_page_free_count(), start);
    KT_ASSERT(chain_ok);
    KT_EQ(walked, n);
}

KTEST(vm, page_blocks_of_every_order_are_aligned_and_contiguous)
{
    size_t start = vm_page_free_count();

    for (unsigned order = 0; order < VM_PAGE_ORDERS; order++) {
        struct vm_page *p = vm_page_alloc(order);
        KT_ASSERT(p != NULL);
        paddr_t pa = vm_page_to_phys(p);
        KT_EQ(pa % ((paddr_t)PAGE_SIZE << order), 0);
        for (size_t i = 0; i < ((size_t)1 << order); i++)
            KT_ASSERT(vm_page_lookup(pa + i * PAGE_SIZE) == p + i);
        KT_EQ(vm_page_free_count(), start - ((size_t)1 << order));
        vm_page_free(p, order);
        KT_EQ(vm_page_free_count(), start);
    }
}

KTEST(vm, page_alloc_refuses_orders_beyond_the_largest_block)
{
    size_t start = vm_page_free_count();

    KT_ASSERT(vm_page_alloc(VM_PAGE_ORDERS) == NULL);
    KT_ASSERT(vm_page_alloc(~0u) == NULL);
    KT_EQ(vm_page_free_count(), start);
}

KTEST(vm, reserved_ranges_are_never_free)
{
    extern char kernel_start[];
    struct vm_page *p = vm_page_lookup((uintptr_t)kernel_start - KERNEL_VMA);

    KT_ASSERT(p != NULL);
    KT_EQ(p->vp_state, VM_PAGE_RESERVED);
    KT_ASSERT(vm_page_lookup(0x1000) == NULL ||
              vm_page_lookup(0x1000)->vp_state == VM_PAGE_RESERVED);
    KT_ASSERT(vm_page_total_count() > vm_page_free_count());
}

// GRUB may load modules below the kernel or anywhere else in RAM: none of
// their pages may ever be handed out.
KTEST(vm, boot_modules_are_reserved)
{
    for (unsigned i = 0; i < boot_info.nmods; i++) {
        for (paddr_t pa = ROUND_DOWN(boot_info.mods[i].start, PAGE_SIZE);
             pa < boot_info.mods[i].end; pa += PAGE_SIZE) {
            struct vm_page *p = vm_page_lookup(pa);
            KT_ASSERT(p == NULL || p->vp_state == VM_PAGE_RESERVED);
        }
    }
}

// SPDX-License-Identifier: MIT
//
// Tests of the kernel page tables built by pmap_bootstrap: W^X of the image,
// the direct map of all RAM, uncached device memory, no identity map, and
// pmap_kenter/pmap_kremove in the arena.

#include <debug/ktest.h>
#include <vm/kmem.h>
#include <vm/pmap.h>
#include <vm/vm_page.h>
#include <machine/pte.h>

extern char text_start[], rodata_start[], data_start[], bss_start[];
static const int rodata_probe = 42;
static int data_probe = 1;

static bool
leaf(vaddr_t va, uint64_t *pte)
{
    uint64_t size;

    return pmap_kernel_leaf(va, pte, &size);
}

KTEST(vm, kernel_text_is_executable_and_read_only)
{
    uint64_t pte;

    KT_ASSERT(leaf((vaddr_t)text_start, &pte));
    KT_ASSERT(!(pte & PTE_W));
    KT_ASSERT(!(pte & PTE_NX));
    KT_ASSERT(leaf((vaddr_t)&leaf, &pte));
    KT_ASSERT(!(pte & PTE_W));
}

KTEST(vm, kernel_rodata_is_read_only_and_not_executable)
{
    uint64_t pte;

    KT_ASSERT(leaf((vaddr_t)&rodata_probe, &pte));
    KT_ASSERT(!(pte & PTE_W));
    KT_EQ(pte & PTE_NX, pmap_nx_bit());
    KT_ASSERT(leaf((vaddr_t)rodata_start, &pte));
    KT_ASSERT(!(pte & PTE_W));
}

KTEST(vm, kernel_data_and_bss_are_writable_and_not_executable)
{
    uint64_t pte;
    int stack_probe = 0;

    KT_ASSERT(leaf((vaddr_t)&data_probe, &pte));
    KT_ASSERT(pte & PTE_W);
    KT_EQ(pte & PTE_NX, pmap_nx_bit());
    KT_ASSERT(leaf((vaddr_t)bss_start, &pte));
    KT_ASSERT(pte & PTE_W);
    KT_EQ(pte & PTE_NX, pmap_nx_bit());
    KT_ASSERT(leaf((vaddr_t)&stack_probe, &pte));
    KT_ASSERT(pte & PTE_W);
}

KTEST(vm, no_kernel_mapping_is_both_writable_and_executable)
{
    extern char kernel_start[], kernel_end[];
    uint64_t pte;

    KT_ASSERT(pmap_nx_bit() != 0); // QEMU's CPUs have NX
    for (vaddr_t va = (vaddr_t)kernel_start; va < (vaddr_t)kernel_end; va += PAGE_SIZE) {
        KT_ASSERT(leaf(va, &pte));
        KT_ASSERT(!((pte & PTE_W) && !(pte & PTE_NX)));
        KT_EQ(pte & PTE_ADDR, va - KERNEL_VMA);
    }
    KT_ASSERT(leaf(DIRECT_MAP_BASE + 0x200000, &pte));
    KT_ASSERT(pte & PTE_NX);
}

// Checks every page of every RAM segment: under TCG this is quick, since a
// 2 MiB page answers 512 of them with one walk each.
KTEST(vm, direct_map_covers_all_ram_write_back)
{
    paddr_t s, e, pa;
    uint64_t pte, size;

    for (unsigned i = 0; vm_page_segment(i, &s, &e); i++) {
        for (paddr_t p = s; p < e; p += PAGE_SIZE) {
            KT_ASSERT(pmap_kernel_leaf(DIRECT_MAP_BASE + p, &pte, &size));
            KT_ASSERT(pmap_kextract(DIRECT_MAP_BASE + p, &pa));
            KT_EQ(pa, p);
            KT_ASSERT((pte & (PTE_PCD | PTE_PWT)) == 0 && (pte & PTE_W));
        }
        // The last word of the segment is really reachable (no fault).
        volatile uint64_t *last = phys_to_virt(e - 8);
        uint64_t v = *last;
        *last = v;
    }
}

KTEST(vm, device_memory_below_4g_is_mapped_uncached)
{
    uint64_t pte;
    void *lapic = pmap_map_device(0xFEE00000, PAGE_SIZE);

    KT_ASSERT(lapic != NULL);
    KT_ASSERT(leaf((vaddr_t)lapic, &pte));
    KT_ASSERT(pte & PTE_PCD);
    KT_EQ(kvtophys((vaddr_t)lapic), 0xFEE00000);
}

KTEST(vm, lower_half_has_no_identity_map)
{
    paddr_t pa;

    KT_ASSERT(!pmap_kextract(0x100000, &pa));
    KT_ASSERT(!pmap_kextract(0x1000, &pa));
    KT_ASSERT(!pmap_kextract(0x7FFFFFFFF000ull, &pa));
}

KTEST(vm, kenter_maps_and_kremove_unmaps_an_arena_page)
{
    vaddr_t va = kmem_va_alloc(PAGE_SIZE);
    struct vm_page *p = vm_page_alloc(0);
    paddr_t pa = 0;

    KT_ASSERT(va != 0 && p != NULL);
    KT_ASSERT(!pmap_kextract(va, &pa));
    KT_ASSERT(pmap_kenter(va, vm_page_to_phys(p), PMAP_KWRITE));
    KT_ASSERT(pmap_kextract(va, &pa));
    KT_EQ(pa, vm_page_to_phys(p));
    *(volatile uint64_t *)va = 0x1234;
    KT_EQ(*(uint64_t *)phys_to_virt(pa), 0x1234);
    pmap_kremove(va, PAGE_SIZE);
    KT_ASSERT(!pmap_kextract(va, &pa));
    vm_page_free(p, 0);
    kmem_va_free(va, PAGE_SIZE);
}

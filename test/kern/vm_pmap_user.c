// SPDX-License-Identifier: MIT
//
// Tests of per-task pmaps: entering, extracting, protecting and removing
// user translations in a fresh pmap, the bits of a user entry, sharing of
// the kernel half, and that pmap_destroy returns every page-table page.

#include <debug/ktest.h>
#include <vm/pmap.h>
#include <vm/vm_page.h>
#include <machine/pte.h>

#define UVA 0x0000000040000000ul // 1 GiB: a fresh PDPT entry

KTEST(pmap, enter_extract_remove_in_a_fresh_pmap)
{
    size_t tables = pmap_table_pages();
    struct vm_page *pg = vm_page_alloc(0);
    struct pmap *p = pmap_create();
    paddr_t pa = 0;

    KT_ASSERT(pg != NULL && p != NULL);
    KT_EQ(pmap_table_pages(), tables + 1); // the PML4
    KT_ASSERT(!pmap_extract(p, UVA, &pa));
    KT_EQ(pmap_enter(p, UVA + 0x5000, vm_page_to_phys(pg), VM_PROT_DEFAULT, false), KERN_SUCCESS);
    KT_EQ(pmap_table_pages(), tables + 4); // PML4, PDPT, PD, PT
    KT_ASSERT(pmap_extract(p, UVA + 0x5123, &pa));
    KT_EQ(pa, vm_page_to_phys(pg) + 0x123);
    KT_ASSERT(!pmap_extract(p, UVA + 0x6000, &pa));
    KT_EQ(pmap_resident_count(p), 1);
    pmap_remove(p, UVA, UVA + 0x10000);
    KT_ASSERT(!pmap_extract(p, UVA + 0x5000, &pa));
    KT_EQ(pmap_resident_count(p), 0);
    pmap_destroy(p);
    KT_EQ(pmap_table_pages(), tables);
    vm_page_free(pg, 0);
}

KTEST(pmap, user_entries_are_user_and_no_execute_unless_executable)
{
    struct vm_page *pg = vm_page_alloc(0);
    struct pmap *p = pmap_create();
    uint64_t pte = 0;

    KT_ASSERT(pg != NULL && p != NULL);
    KT_EQ(pmap_enter(p, UVA, vm_page_to_phys(pg), VM_PROT_READ, false), KERN_SUCCESS);
    KT_ASSERT(pmap_user_leaf(p, UVA, &pte));
    KT_ASSERT((pte & (PTE_P | PTE_U)) == (PTE_P | PTE_U));
    KT_ASSERT(!(pte & PTE_W));
    KT_EQ(pte & PTE_NX, pmap_nx_bit());
    KT_EQ(pmap_enter(p, UVA, vm_page_to_phys(pg), VM_PROT_READ | VM_PROT_EXECUTE, true),
          KERN_SUCCESS);
    KT_ASSERT(pmap_user_leaf(p, UVA, &pte));
    KT_ASSERT(!(pte & PTE_NX) && (pte & PTE_WIRED));
    KT_EQ(pmap_resident_count(p), 1); // replaced, not added
    pmap_protect(p, UVA, UVA + PAGE_SIZE, VM_PROT_DEFAULT);
    KT_ASSERT(pmap_user_leaf(p, UVA, &pte));
    KT_ASSERT((pte & PTE_W) && (pte & PTE_U));
    KT_EQ(pte & PTE_NX, pmap_nx_bit());
    KT_EQ(pte & PTE_ADDR, vm_page_to_phys(pg));
    pmap_protect(p, UVA, UVA + PAGE_SIZE, VM_PROT_NONE);
    KT_ASSERT(pmap_user_leaf(p, UVA, &pte));
    KT_EQ(pte, 0);
    KT_EQ(pmap_resident_count(p), 0);
    pmap_destroy(p);
    vm_page_free(pg, 0);
}

static int shared_probe = 0x5eed;

KTEST(pmap, user_pmap_shares_the_kernel_half)
{
    struct pmap *p = pmap_create();
    paddr_t pa = 0;

    KT_ASSERT(p != NULL);
    KT_ASSERT(pmap_extract(p, (vaddr_t)&shared_probe, &pa));
    KT_EQ(pa, kvtophys((vaddr_t)&shared_probe));
    KT_ASSERT(pmap_extract(p, DIRECT_MAP_BASE + 0x200000, &pa));
    KT_EQ(pa, 0x200000);
    pmap_activate(p);
    KT_ASSERT(pmap_current() == p);
    volatile int *probe = &shared_probe;
    int seen = *probe; // kernel data through the task's page tables
    pmap_activate(kernel_pmap);
    KT_ASSERT(pmap_current() == kernel_pmap);
    KT_EQ(seen, 0x5eed);
    pmap_destroy(p);
}

KTEST(pmap, destroy_frees_tables_of_scattered_mappings)
{
    pmap_destroy(pmap_create()); // warm the pmap zone: its slab stays cached
    size_t tables = pmap_table_pages(), free_pages = vm_page_free_count();
    struct vm_page *pg = vm_page_alloc(0);
    struct pmap *p = pmap_create();
    static const vaddr_t va[] = {USER_MIN, 0x200000, 0x40000000, 0x8000000000,
                                 USER_MAX - PAGE_SIZE};

    KT_ASSERT(pg != NULL && p != NULL);
    for (unsigned i = 0; i < ARRAY_SIZE(va); i++)
        KT_EQ(pmap_enter(p, va[i], vm_page_to_phys(pg), VM_PROT_READ, false), KERN_SUCCESS);
    KT_ASSERT(pmap_table_pages() > tables + 5);
    pmap_destroy(p);
    vm_page_free(pg, 0);
    KT_EQ(pmap_table_pages(), tables);
    KT_EQ(vm_page_free_count(), free_pages);
}

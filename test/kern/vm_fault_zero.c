// SPDX-License-Identifier: MIT
//
// Tests of vm_fault on anonymous memory: zero fill on first touch, a
// second fault that changes nothing, protection and address failures, the
// bits of the translation it enters, and that data written into the
// object beforehand is what the fault maps.

#include <debug/ktest.h>
#include <vm/vm_fault.h>
#include <vm/vm_map.h>
#include <vm/vm_user.h>
#include <lib/string.h>
#include <machine/pte.h>
#include "vm_map_util.h"

static bool
page_is_zero(paddr_t pa)
{
    const uint64_t *w = phys_to_virt(pa);

    for (size_t i = 0; i < PAGE_SIZE / 8; i++) {
        if (w[i] != 0)
            return false;
    }
    return true;
}

KTEST(vm_fault, first_touch_zero_fills_and_second_fault_is_a_no_op)
{
    struct vm_map *map = vm_map_create();
    vaddr_t at = 0;
    paddr_t pa = 0, pa2 = 0;

    KT_ASSERT(map != NULL);
    KT_EQ(vm_allocate_internal(map, &at, 4 * PAGE_SIZE, true), KERN_SUCCESS);
    KT_ASSERT(!pmap_extract(map->pmap, at + PAGE_SIZE, &pa));
    KT_EQ(vm_fault(map, at + PAGE_SIZE + 123, VM_PROT_READ), KERN_SUCCESS);
    KT_ASSERT(pmap_extract(map->pmap, at + PAGE_SIZE, &pa));
    KT_ASSERT(page_is_zero(pa));
    KT_EQ(pmap_resident_count(map->pmap), 1);

    size_t free_pages = vm_page_free_count();
    KT_EQ(vm_fault(map, at + PAGE_SIZE, VM_PROT_WRITE), KERN_SUCCESS);
    KT_ASSERT(pmap_extract(map->pmap, at + PAGE_SIZE, &pa2));
    KT_EQ(pa2, pa);
    KT_EQ(vm_page_free_count(), free_pages);
    KT_EQ(pmap_resident_count(map->pmap), 1);
    vm_map_deallocate(map);
}

KTEST(vm_fault, unmapped_address_is_invalid_and_changes_nothing)
{
    struct vm_map *map = vm_map_create();
    size_t tables = pmap_table_pages();

    KT_ASSERT(map != NULL);
    KT_EQ(vm_fault(map, 0x123456789000ul, VM_PROT_READ), KERN_INVALID_ADDRESS);
    KT_EQ(vm_fault(map, 0, VM_PROT_READ), KERN_INVALID_ADDRESS);
    KT_EQ(vm_fault(map, DIRECT_MAP_BASE, VM_PROT_READ), KERN_INVALID_ADDRESS);
    KT_EQ(pmap_table_pages(), tables);
    vm_map_deallocate(map);
}

KTEST(vm_fault, access_beyond_protection_fails_without_mapping)
{
    struct vm_map *map = vm_map_create();
    vaddr_t ro = 0x20000000, none = 0x20010000;
    paddr_t pa;

    KT_ASSERT(map != NULL);
    KT_EQ(vm_map_enter(map, &ro, PAGE_SIZE, 0, false, NULL, 0, VM_PROT_READ, VM_PROT_ALL,
                       VM_INHERIT_COPY),
          KERN_SUCCESS);
    KT_EQ(vm_map_enter(map, &none, PAGE_SIZE, 0, false, NULL, 0, VM_PROT_NONE, VM_PROT_NONE,
                       VM_INHERIT_COPY),
          KERN_SUCCESS);
    KT_EQ(vm_fault(map, ro, VM_PROT_WRITE), KERN_PROTECTION_FAILURE);
    KT_EQ(vm_fault(map, ro, VM_PROT_EXECUTE), KERN_PROTECTION_FAILURE);
    KT_EQ(vm_fault(map, none, VM_PROT_READ), KERN_PROTECTION_FAILURE);
    KT_ASSERT(!pmap_extract(map->pmap, ro, &pa));
    KT_EQ(vm_fault(map, ro, VM_PROT_READ), KERN_SUCCESS);
    uint64_t pte = 0;
    KT_ASSERT(pmap_user_leaf(map->pmap, ro, &pte));
    KT_ASSERT((pte & (PTE_P | PTE_U)) == (PTE_P | PTE_U) && !(pte & PTE_W));
    KT_EQ(pte & PTE_NX, pmap_nx_bit());
    vm_map_deallocate(map);
}

KTEST(vm_fault, fault_maps_what_was_written_and_remove_unmaps_it)
{
    struct vm_map *map = vm_map_create();
    vaddr_t at = 0;
    paddr_t pa = 0;

    KT_ASSERT(map != NULL);
    KT_EQ(vm_allocate_internal(map, &at, PAGE_SIZE, true), KERN_SUCCESS);
    KT_EQ(vm_map_write(map, at + 8, "quay", 5), KERN_SUCCESS);
    KT_EQ(vm_fault(map, at, VM_PROT_READ), KERN_SUCCESS);
    KT_ASSERT(pmap_extract(map->pmap, at, &pa));
    KT_EQ(memcmp((char *)phys_to_virt(pa) + 8, "quay", 5), 0);
    uint64_t pte = 0;
    KT_ASSERT(pmap_user_leaf(map->pmap, at, &pte) && (pte & PTE_W)); // entry is read/write
    KT_EQ(vm_deallocate_internal(map, at, PAGE_SIZE), KERN_SUCCESS);
    KT_ASSERT(!pmap_extract(map->pmap, at, &pa));
    KT_EQ(vm_fault(map, at, VM_PROT_READ), KERN_INVALID_ADDRESS);
    vm_map_deallocate(map);
}

KTEST(vm_fault, protect_after_fault_downgrades_the_translation)
{
    struct vm_map *map = vm_map_create();
    vaddr_t at = 0;
    uint64_t pte = 0;

    KT_ASSERT(map != NULL);
    KT_EQ(vm_allocate_internal(map, &at, PAGE_SIZE, true), KERN_SUCCESS);
    KT_EQ(vm_fault(map, at, VM_PROT_WRITE), KERN_SUCCESS);
    KT_EQ(vm_protect_internal(map, at, PAGE_SIZE, false, VM_PROT_READ), KERN_SUCCESS);
    KT_ASSERT(pmap_user_leaf(map->pmap, at, &pte));
    KT_ASSERT((pte & PTE_P) && !(pte & PTE_W));
    KT_EQ(vm_fault(map, at, VM_PROT_WRITE), KERN_PROTECTION_FAILURE);
    KT_EQ(vm_protect_internal(map, at, PAGE_SIZE, false, VM_PROT_NONE), KERN_SUCCESS);
    KT_ASSERT(pmap_user_leaf(map->pmap, at, &pte));
    KT_EQ(pte, 0);
    vm_map_deallocate(map);
}

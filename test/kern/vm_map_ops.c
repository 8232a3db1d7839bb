// SPDX-License-Identifier: MIT
//
// Tests of address maps: entering at fixed addresses and anywhere,
// argument checks, removal with clipping, protection and inheritance with
// their failure cases, copying into and out of a map, and that destroying
// a map gives back every page, page-table page and object.

#include <debug/ktest.h>
#include <vm/vm_map.h>
#include <vm/vm_fault.h>
#include <vm/vm_user.h>
#include <lib/string.h>
#include "vm_map_util.h"

#define A  0x10000000ul // a base address for fixed mappings
#define PG PAGE_SIZE

static kern_return_t
enter_fixed(struct vm_map *map, vaddr_t at, vm_size_t size, vm_prot_t cur, vm_prot_t max)
{
    return vm_map_enter(map, &at, size, 0, false, NULL, 0, cur, max, VM_INHERIT_DEFAULT);
}

static struct vm_map_entry *
entry_at(struct vm_map *map, vaddr_t addr)
{
    struct vm_map_links *l = vm_map_store_lookup(&map->vmm_entries, addr);

    return l != NULL ? container_of(l, struct vm_map_entry, vme_links) : NULL;
}

KTEST(vm_map, enter_fixed_then_overlap_fails_no_space_and_changes_nothing)
{
    struct vm_map *map = vm_map_create();
    size_t objects = vm_object_count();

    KT_ASSERT(map != NULL);
    KT_EQ(enter_fixed(map, A, 4 * PG, VM_PROT_DEFAULT, VM_PROT_ALL), KERN_SUCCESS);
    KT_EQ(vm_map_entry_count(map), 1);
    KT_EQ(vm_map_size(map), 4 * PG);
    KT_EQ(enter_fixed(map, A + 3 * PG, 2 * PG, VM_PROT_DEFAULT, VM_PROT_ALL), KERN_NO_SPACE);
    KT_EQ(enter_fixed(map, A - PG, 2 * PG, VM_PROT_DEFAULT, VM_PROT_ALL), KERN_NO_SPACE);
    KT_EQ(enter_fixed(map, A + PG, PG, VM_PROT_DEFAULT, VM_PROT_ALL), KERN_NO_SPACE);
    KT_EQ(vm_map_entry_count(map), 1);
    KT_EQ(vm_map_size(map), 4 * PG);
    KT_EQ(vm_object_count(), objects + 1); // the failed ones made none that stayed
    KT_EQ(enter_fixed(map, A + 4 * PG, PG, VM_PROT_READ, VM_PROT_ALL), KERN_SUCCESS);
    KT_EQ(vm_map_entry_count(map), 2); // adjacent, but another protection: not merged
    vm_map_deallocate(map);
    KT_EQ(vm_object_count(), objects);
}

KTEST(vm_map, enter_rejects_bad_arguments)
{
    struct vm_map *map = vm_map_create();
    vaddr_t at = A + 1;

    KT_ASSERT(map != NULL);
    KT_EQ(vm_map_enter(map, &at, PG, 0, false, NULL, 0, VM_PROT_READ, VM_PROT_ALL, 0),
          KERN_INVALID_ARGUMENT);
    KT_EQ(at, A + 1); // out-parameter untouched on failure
    KT_EQ(enter_fixed(map, A, 0, VM_PROT_READ, VM_PROT_ALL), KERN_INVALID_ARGUMENT);
    KT_EQ(enter_fixed(map, A, PG + 1, VM_PROT_READ, VM_PROT_ALL), KERN_INVALID_ARGUMENT);
    KT_EQ(enter_fixed(map, A, PG, VM_PROT_ALL, VM_PROT_READ), KERN_INVALID_ARGUMENT);
    KT_EQ(enter_fixed(map, A, PG, 0x10, 0x10), KERN_INVALID_ARGUMENT);
    KT_EQ(enter_fixed(map, ~0ul & ~(PG - 1), 2 * PG, VM_PROT_READ, VM_PROT_ALL),
          KERN_INVALID_ARGUMENT); // wraps
    KT_EQ(enter_fixed(map, DIRECT_MAP_BASE, PG, VM_PROT_READ, VM_PROT_ALL), KERN_NO_SPACE);
    KT_EQ(enter_fixed(map, 0, PG, VM_PROT_READ, VM_PROT_ALL), KERN_NO_SPACE); // below USER_MIN
    at = A;
    KT_EQ(vm_map_enter(map, &at, PG, 0, false, NULL, 0, VM_PROT_READ, VM_PROT_ALL, 7),
          KERN_INVALID_ARGUMENT);
    KT_EQ(vm_map_enter(map, &at, PG, 0x1001, true, NULL, 0, VM_PROT_READ, VM_PROT_ALL, 0),
          KERN_INVALID_ARGUMENT); // mask + 1 not a power of two
    struct vm_object *obj = vm_object_allocate(2 * PG);
    KT_ASSERT(obj != NULL);
    KT_EQ(vm_map_enter(map, &at, 2 * PG, 0, false, obj, PG, VM_PROT_READ, VM_PROT_ALL, 0),
          KERN_INVALID_ARGUMENT); // window beyond the object
    KT_EQ(vm_map_entry_count(map), 0);
    vm_object_deallocate(obj);
    vm_map_deallocate(map);
}

KTEST(vm_map, anywhere_finds_the_lowest_gap_that_fits)
{
    struct vm_map *map = vm_map_create();
    vaddr_t at = 0;

    KT_ASSERT(map != NULL);
    KT_EQ(enter_fixed(map, USER_MIN, 2 * PG, VM_PROT_DEFAULT, VM_PROT_ALL), KERN_SUCCESS);
    KT_EQ(enter_fixed(map, USER_MIN + 3 * PG, PG, VM_PROT_DEFAULT, VM_PROT_ALL), KERN_SUCCESS);
    KT_EQ(vm_allocate_internal(map, &at, PG, true), KERN_SUCCESS);
    KT_EQ(at, USER_MIN + 2 * PG); // the one-page hole
    KT_EQ(vm_allocate_internal(map, &at, 2 * PG, true), KERN_SUCCESS);
    KT_EQ(at, USER_MIN + 4 * PG);
    at = 0;
    KT_EQ(vm_map_enter(map, &at, PG, 0xfffff, true, NULL, 0, VM_PROT_READ, VM_PROT_ALL, 0),
          KERN_SUCCESS);
    KT_EQ(at, 0x100000); // first 1 MiB-aligned free address
    KT_EQ(vm_allocate_internal(map, &at, USER_MAX, true), KERN_NO_SPACE);
    // The hole's page extends the entry below it, the two pages at 4 the
    // one at 3 (entry merging); the read-only one stands alone.
    KT_EQ(vm_map_entry_count(map), 3);
    vm_map_deallocate(map);
}

KTEST(vm_map, remove_clips_entries_and_tolerates_holes)
{
    struct vm_map *map = vm_map_create();

    KT_ASSERT(map != NULL);
    KT_EQ(enter_fixed(map, A, 4 * PG, VM_PROT_DEFAULT, VM_PROT_ALL), KERN_SUCCESS);
    KT_EQ(vm_map_remove(map, A + PG, A + 2 * PG), KERN_SUCCESS);
    KT_EQ(vm_map_entry_count(map), 2);
    KT_EQ(vm_map_size(map), 3 * PG);
    KT_ASSERT(entry_at(map, A + PG) == NULL);
    struct vm_map_entry *hi = entry_at(map, A + 2 * PG);
    KT_ASSERT(hi != NULL && vme_start(hi) == A + 2 * PG && vme_end(hi) == A + 4 * PG);
    KT_EQ(hi->vme_offset, 2 * PG); // same object, window moved
    KT_ASSERT(hi->vme_object == entry_at(map, A)->vme_object);
    KT_EQ(vm_map_remove(map, A + 3 * PG, A + 8 * PG), KERN_SUCCESS); // end past the entry
    KT_EQ(vm_map_size(map), 2 * PG);
    KT_EQ(vm_map_remove(map, A + PG, A + PG + 1), KERN_INVALID_ARGUMENT);
    KT_EQ(vm_map_remove(map, 0, A), KERN_INVALID_ARGUMENT); // below the map
    KT_EQ(vm_map_remove(map, USER_MIN, USER_MAX), KERN_SUCCESS);
    KT_EQ(vm_map_entry_count(map), 0);
    KT_EQ(vm_map_size(map), 0);
    vm_map_deallocate(map);
}

KTEST(vm_map, protect_clips_and_checks_maximum_and_holes)
{
    struct vm_map *map = vm_map_create();

    KT_ASSERT(map != NULL);
    KT_EQ(enter_fixed(map, A, 3 * PG, VM_PROT_DEFAULT, VM_PROT_DEFAULT), KERN_SUCCESS);
    KT_EQ(enter_fixed(map, A + 4 * PG, PG, VM_PROT_DEFAULT, VM_PROT_ALL), KERN_SUCCESS);
    KT_EQ(vm_map_protect(map, A, A + 3 * PG, VM_PROT_ALL, false), KERN_PROTECTION_FAILURE);
    KT_EQ(vm_map_protect(map, A, A + 5 * PG, VM_PROT_READ, false), KERN_INVALID_ADDRESS);
    KT_EQ(vm_map_protect(map, A, A + PG, 0x8, false), KERN_INVALID_ARGUMENT);
    KT_EQ(vm_map_entry_count(map), 2); // nothing clipped by the failures
    KT_EQ(entry_at(map, A + 2 * PG)->vme_protection, VM_PROT_DEFAULT);
    KT_EQ(vm_map_protect(map, A + PG, A + 2 * PG, VM_PROT_READ, false), KERN_SUCCESS);
    KT_EQ(vm_map_entry_count(map), 4);
    KT_EQ(entry_at(map, A)->vme_protection, VM_PROT_DEFAULT);
    KT_EQ(entry_at(map, A + PG)->vme_protection, VM_PROT_READ);
    KT_EQ(entry_at(map, A + 2 * PG)->vme_protection, VM_PROT_DEFAULT);
    KT_EQ(vm_map_protect(map, A + 4 * PG, A + 5 * PG, VM_PROT_READ, true), KERN_SUCCESS);
    struct vm_map_entry *e = entry_at(map, A + 4 * PG);
    KT_EQ(e->vme_max_protection, VM_PROT_READ);
    KT_EQ(e->vme_protection, VM_PROT_READ); // lowered to fit the new maximum
    KT_EQ(vm_map_protect(map, A + 4 * PG, A + 5 * PG, VM_PROT_DEFAULT, false),
          KERN_PROTECTION_FAILURE);
    vm_map_deallocate(map);
}

KTEST(vm_map, inherit_sets_values_and_rejects_bad_ones)
{
    struct vm_map *map = vm_map_create();

    KT_ASSERT(map != NULL);
    KT_EQ(enter_fixed(map, A, 2 * PG, VM_PROT_DEFAULT, VM_PROT_ALL), KERN_SUCCESS);
    KT_EQ(entry_at(map, A)->vme_inheritance, VM_INHERIT_COPY);
    KT_EQ(vm_map_inherit(map, A + PG, A + 2 * PG, VM_INHERIT_SHARE), KERN_SUCCESS);
    KT_EQ(entry_at(map, A)->vme_inheritance, VM_INHERIT_COPY);
    KT_EQ(entry_at(map, A + PG)->vme_inheritance, VM_INHERIT_SHARE);
    KT_EQ(vm_map_inherit(map, A, A + PG, 3), KERN_INVALID_ARGUMENT);
    KT_EQ(vm_map_inherit(map, A, A + 3 * PG, VM_INHERIT_NONE), KERN_INVALID_ADDRESS);
    KT_EQ(entry_at(map, A)->vme_inheritance, VM_INHERIT_COPY);
    vm_map_deallocate(map);
}

KTEST(vm_map, write_and_read_another_map_across_pages)
{
    struct vm_map *map = vm_map_create();
    static const char msg[] = "bytes that straddle a page boundary";
    char back[sizeof(msg)] = {0};
    vaddr_t at = 0;

    KT_ASSERT(map != NULL);
    KT_EQ(vm_allocate_internal(map, &at, 2 * PG, true), KERN_SUCCESS);
    vaddr_t where = at + PG - 10;
    KT_EQ(vm_map_write(map, where, msg, sizeof(msg)), KERN_SUCCESS);
    KT_EQ(vm_map_read(map, where, back, sizeof(back)), KERN_SUCCESS);
    KT_EQ(memcmp(back, msg, sizeof(msg)), 0);
    KT_EQ(vm_map_write(map, at + PG, msg, 3 * PG), KERN_INVALID_ADDRESS); // runs off the end
    KT_EQ(vm_map_read(map, DIRECT_MAP_BASE, back, 1), KERN_INVALID_ADDRESS);
    KT_EQ(vm_map_protect(map, at, at + PG, VM_PROT_READ, false), KERN_SUCCESS);
    KT_EQ(vm_map_write(map, where, "x", 1), KERN_PROTECTION_FAILURE);
    KT_EQ(vm_map_read(map, where, back, 1), KERN_SUCCESS);
    KT_EQ(back[0], 'b'); // the failed write changed nothing
    vm_map_deallocate(map);
}

static bool
map_workout(void)
{
    struct vm_map *map = vm_map_create();
    vaddr_t at = 0;

    if (map == NULL || vm_allocate_internal(map, &at, 16 * PG, true) != KERN_SUCCESS)
        return false;
    for (vaddr_t va = at; va < at + 16 * PG; va += PG) {
        if (vm_fault(map, va, VM_PROT_WRITE) != KERN_SUCCESS)
            return false;
    }
    vaddr_t far = 0x7f0000000000ul;
    if (vm_allocate_internal(map, &far, PG, false) != KERN_SUCCESS ||
        vm_map_write(map, far, "z", 1) != KERN_SUCCESS ||
        vm_map_remove(map, at + 4 * PG, at + 6 * PG) != KERN_SUCCESS)
        return false;
    vm_map_deallocate(map);
    return true;
}

KTEST(vm_map, destroy_returns_every_page_table_and_object)
{
    KT_ASSERT(map_workout()); // warms the zones, whose slabs stay cached
    struct vm_counts before = vm_counts_now();
    KT_ASSERT(map_workout());
    struct vm_counts after = vm_counts_now();
    KT_EQ(after.free_pages, before.free_pages);
    KT_EQ(after.table_pages, before.table_pages);
    KT_EQ(after.objects, before.objects);
}

KTEST(vm_map, many_entries_keep_the_tree_balanced)
{
    struct vm_map *map = vm_map_create();

    KT_ASSERT(map != NULL);
    for (unsigned i = 0; i < 300; i++) // every other page, in a scrambled order
        KT_EQ(enter_fixed(map, A + ((i * 7919) % 300) * 2 * PG, PG, VM_PROT_READ, VM_PROT_ALL),
              KERN_SUCCESS);
    KT_EQ(vm_map_entry_count(map), 300);
    KT_ASSERT(avl_check(&map->vmm_entries));
    KT_ASSERT(map->vmm_entries.at_root->an_height <= 12); // 1.44 log2(300) + 1
    KT_EQ(vm_map_remove(map, A + 100 * PG, A + 400 * PG), KERN_SUCCESS);
    KT_EQ(vm_map_entry_count(map), 150);
    KT_ASSERT(avl_check(&map->vmm_entries));
    vm_map_deallocate(map);
}

KTEST(vm_map, adjacent_allocations_merge_into_one_entry)
{
    struct vm_counts before = vm_counts_now(); // before the map's own page tables
    struct vm_map *map = vm_map_create();
    struct vm_region_info ri;
    vaddr_t first = 0, at = 0, r = 0;

    KT_ASSERT(map != NULL);
    for (unsigned i = 0; i < 100; i++) {
        at = 0;
        KT_EQ(vm_allocate_internal(map, &at, PG, true), KERN_SUCCESS);
        if (i == 0)
            first = at;
        KT_EQ(at, first + i * PG);
    }
    KT_EQ(vm_map_entry_count(map), 1);
    KT_EQ(vm_object_count(), before.objects + 1); // one object, grown 99 times
    KT_EQ(vm_region_internal(map, &r, &ri), KERN_SUCCESS);
    KT_EQ(ri.vri_start, first);
    KT_EQ(ri.vri_size, 100 * PG);
    for (unsigned i = 0; i < 100; i++) // every page zero-fills and holds its own data
        KT_EQ(vm_map_write(map, first + i * PG, &i, sizeof(i)), KERN_SUCCESS);
    for (unsigned i = 0; i < 100; i++) {
        unsigned v = ~0u;
        KT_EQ(vm_map_read(map, first + i * PG, &v, sizeof(v)), KERN_SUCCESS);
        KT_EQ(v, i);
    }
    // Another protection next door stays apart.
    at = first + 100 * PG;
    KT_EQ(vm_map_enter(map, &at, PG, 0, false, NULL, 0, VM_PROT_READ, VM_PROT_ALL,
                       VM_INHERIT_DEFAULT),
          KERN_SUCCESS);
    KT_EQ(vm_map_entry_count(map), 2);
    vm_map_deallocate(map);
    struct vm_counts after = vm_counts_now();
    KT_EQ(after.objects, before.objects);
    KT_EQ(after.table_pages, before.table_pages);
    KT_EQ(after.free_pages, before.free_pages);
}

KTEST(vm_map, removing_part_of_a_private_object_frees_its_pages)
{
    struct vm_counts before = vm_counts_now(); // before the map's own page tables
    struct vm_map *map = vm_map_create();
    vaddr_t at = 0;

    KT_ASSERT(map != NULL);
    KT_EQ(vm_allocate_internal(map, &at, 8 * PG, true), KERN_SUCCESS);
    for (unsigned i = 0; i < 8; i++)
        KT_EQ(vm_fault(map, at + i * PG, VM_PROT_WRITE), KERN_SUCCESS);
    struct vm_map_entry *e = entry_at(map, at);
    KT_EQ(vm_object_resident_count(e->vme_object), 8);
    KT_EQ(vm_map_remove(map, at + 7 * PG, at + 8 * PG), KERN_SUCCESS); // the top page
    KT_EQ(vm_object_resident_count(e->vme_object), 7);
    KT_EQ(vm_map_remove(map, at + 2 * PG, at + 5 * PG), KERN_SUCCESS); // a hole in the middle
    KT_EQ(vm_object_resident_count(e->vme_object), 4);
    // A forked child sees the object too: its pages stay.
    struct vm_map *child = vm_map_fork(map);
    KT_ASSERT(child != NULL);
    KT_EQ(vm_map_remove(map, at, at + PG), KERN_SUCCESS);
    KT_EQ(vm_object_resident_count(entry_at(child, at)->vme_object), 4);
    vm_map_deallocate(child);
    vm_map_deallocate(map);
    KT_ASSERT(vm_counts_equal(vm_counts_now(), before));
}

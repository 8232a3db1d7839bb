// SPDX-License-Identifier: MIT
//
// Copy-on-write and inheritance (vm_map_fork, vm_fault through shadow
// chains, collapse): children see COPY regions as they were and their own
// writes only, SHARE regions shared, NONE regions absent; a read fault maps
// the parent's page, a write copies exactly one; a long fork / touch /
// destroy loop keeps objects, pages and chain depth at their baseline.

#include <debug/ktest.h>
#include <vm/vm_fault.h>
#include <vm/vm_map.h>
#include <vm/vm_user.h>
#include <machine/pte.h>
#include "vm_map_util.h"

static uint64_t
peek(struct vm_map *map, vaddr_t va)
{
    uint64_t v = ~0ul;

    if (vm_map_read(map, va, &v, sizeof(v)) != KERN_SUCCESS)
        return 0xdead;
    return v;
}

static kern_return_t
poke(struct vm_map *map, vaddr_t va, uint64_t v)
{
    return vm_map_write(map, va, &v, sizeof(v));
}

KTEST(vm_cow, fork_gives_copy_share_and_none_their_meaning)
{
    struct vm_counts before = vm_counts_now();
    struct vm_map *parent = vm_map_create();
    vaddr_t copy = 0, share = 0, none = 0;
    uint64_t v;

    KT_ASSERT(parent != NULL);
    KT_EQ(vm_allocate_internal(parent, &copy, 2 * PAGE_SIZE, true), KERN_SUCCESS);
    KT_EQ(vm_allocate_internal(parent, &share, 2 * PAGE_SIZE, true), KERN_SUCCESS);
    KT_EQ(vm_allocate_internal(parent, &none, 2 * PAGE_SIZE, true), KERN_SUCCESS);
    KT_EQ(vm_inherit_internal(parent, share, 2 * PAGE_SIZE, VM_INHERIT_SHARE), KERN_SUCCESS);
    KT_EQ(vm_inherit_internal(parent, none, 2 * PAGE_SIZE, VM_INHERIT_NONE), KERN_SUCCESS);
    KT_EQ(poke(parent, copy, 1), KERN_SUCCESS);
    KT_EQ(poke(parent, share, 2), KERN_SUCCESS);
    KT_EQ(poke(parent, none, 3), KERN_SUCCESS);

    struct vm_map *child = vm_map_fork(parent);
    KT_ASSERT(child != NULL);
    KT_EQ(vm_map_entry_count(child), 2);
    KT_EQ(peek(child, copy), 1);
    KT_EQ(poke(child, copy, 10), KERN_SUCCESS);
    KT_EQ(poke(parent, copy + 8, 11), KERN_SUCCESS);
    KT_EQ(peek(child, copy), 10);
    KT_EQ(peek(parent, copy), 1);
    KT_EQ(peek(child, copy + 8), 0);
    KT_EQ(peek(parent, copy + 8), 11);

    KT_EQ(peek(child, share), 2);
    KT_EQ(poke(child, share, 20), KERN_SUCCESS);
    KT_EQ(peek(parent, share), 20);
    KT_EQ(poke(parent, share + PAGE_SIZE, 21), KERN_SUCCESS);
    KT_EQ(peek(child, share + PAGE_SIZE), 21);

    KT_EQ(vm_map_read(child, none, &v, sizeof(v)), KERN_INVALID_ADDRESS);
    KT_EQ(vm_fault(child, none, VM_PROT_READ), KERN_INVALID_ADDRESS);
    KT_EQ(peek(parent, none), 3);

    vm_map_deallocate(child);
    KT_EQ(peek(parent, copy), 1);
    KT_EQ(peek(parent, share), 20);
    vm_map_deallocate(parent);
    KT_ASSERT(vm_counts_equal(vm_counts_now(), before));
}

KTEST(vm_cow, read_fault_maps_parent_page_and_write_copies_one)
{
    struct vm_counts before = vm_counts_now();
    struct vm_map *parent = vm_map_create();
    vaddr_t a = 0;
    paddr_t ppa = 0, cpa = 0;

    KT_ASSERT(parent != NULL);
    KT_EQ(vm_allocate_internal(parent, &a, 4 * PAGE_SIZE, true), KERN_SUCCESS);
    for (int i = 0; i < 4; i++)
        KT_EQ(poke(parent, a + i * PAGE_SIZE, 100 + i), KERN_SUCCESS);
    KT_EQ(vm_fault(parent, a, VM_PROT_WRITE), KERN_SUCCESS);
    KT_ASSERT(pmap_extract(parent->pmap, a, &ppa));
    struct vm_map *child = vm_map_fork(parent);
    KT_ASSERT(child != NULL);
    size_t pages = vm_object_pages_resident();

    KT_EQ(vm_fault(child, a, VM_PROT_READ), KERN_SUCCESS);
    KT_ASSERT(pmap_extract(child->pmap, a, &cpa));
    KT_EQ(cpa, ppa); // the parent's page, not a copy
    KT_EQ(vm_object_pages_resident(), pages);
    KT_EQ(vm_fault(child, a, VM_PROT_WRITE), KERN_SUCCESS);
    KT_ASSERT(pmap_extract(child->pmap, a, &cpa));
    KT_NE(cpa, ppa);
    KT_EQ(vm_object_pages_resident(), pages + 1);
    KT_EQ(*(uint64_t *)phys_to_virt(cpa), 100);
    KT_EQ(vm_map_shadow_depth(child, a), 2);

    // The parent lost write access at the fork; its write copies too.
    KT_EQ(vm_fault(parent, a, VM_PROT_WRITE), KERN_SUCCESS);
    KT_EQ(vm_object_pages_resident(), pages + 2);
    vm_map_deallocate(child);
    KT_EQ(vm_object_pages_resident(), pages + 1);
    KT_EQ(vm_map_shadow_depth(parent, a), 2);

    // Nobody else needs the old object: the next fault collapses it.
    size_t collapses = vm_object_collapse_count();
    KT_EQ(vm_fault(parent, a + PAGE_SIZE, VM_PROT_READ), KERN_SUCCESS);
    KT_EQ(vm_object_collapse_count(), collapses + 1);
    KT_EQ(vm_map_shadow_depth(parent, a), 1);
    KT_EQ(vm_object_pages_resident(), pages);
    for (int i = 0; i < 4; i++)
        KT_EQ(peek(parent, a + i * PAGE_SIZE), 100 + i);
    vm_map_deallocate(parent);
    KT_ASSERT(vm_counts_equal(vm_counts_now(), before));
}

KTEST(vm_cow, write_to_read_only_copy_is_a_protection_failure)
{
    struct vm_counts before = vm_counts_now();
    struct vm_map *parent = vm_map_create();
    vaddr_t a = 0;

    KT_ASSERT(parent != NULL);
    KT_EQ(vm_allocate_internal(parent, &a, PAGE_SIZE, true), KERN_SUCCESS);
    KT_EQ(poke(parent, a, 7), KERN_SUCCESS);
    KT_EQ(vm_protect_internal(parent, a, PAGE_SIZE, false, VM_PROT_READ), KERN_SUCCESS);
    struct vm_map *child = vm_map_fork(parent);
    KT_ASSERT(child != NULL);
    size_t objects = vm_object_count();
    KT_EQ(vm_fault(child, a, VM_PROT_WRITE), KERN_PROTECTION_FAILURE);
    KT_EQ(vm_fault(parent, a, VM_PROT_WRITE), KERN_PROTECTION_FAILURE);
    KT_EQ(vm_object_count(), objects); // no shadow was made
    KT_EQ(vm_fault(child, a, VM_PROT_READ), KERN_SUCCESS);
    KT_EQ(peek(child, a), 7);
    vm_map_deallocate(child);
    vm_map_deallocate(parent);
    KT_ASSERT(vm_counts_equal(vm_counts_now(), before));
}

KTEST(vm_cow, share_after_copy_makes_both_maps_write_one_object)
{
    struct vm_counts before = vm_counts_now();
    struct vm_map *parent = vm_map_create();
    vaddr_t a = 0;
    paddr_t pa = 0;

    KT_ASSERT(parent != NULL);
    KT_EQ(vm_allocate_internal(parent, &a, PAGE_SIZE, true), KERN_SUCCESS);
    KT_EQ(poke(parent, a, 5), KERN_SUCCESS);
    struct vm_map *copy_child = vm_map_fork(parent); // parent's entry is now needs-copy
    KT_ASSERT(copy_child != NULL);
    KT_EQ(vm_fault(parent, a, VM_PROT_READ), KERN_SUCCESS); // a read-only translation
    KT_EQ(vm_inherit_internal(parent, a, PAGE_SIZE, VM_INHERIT_SHARE), KERN_SUCCESS);
    struct vm_map *share_child = vm_map_fork(parent);
    KT_ASSERT(share_child != NULL);
    KT_EQ(poke(share_child, a, 6), KERN_SUCCESS);
    KT_EQ(vm_fault(parent, a, VM_PROT_READ), KERN_SUCCESS);
    KT_ASSERT(pmap_extract(parent->pmap, a, &pa));
    KT_EQ(*(uint64_t *)phys_to_virt(pa), 6); // what the parent's task reads
    KT_EQ(poke(parent, a + 8, 7), KERN_SUCCESS);
    KT_EQ(peek(share_child, a + 8), 7);
    KT_EQ(peek(copy_child, a), 5);
    KT_EQ(peek(copy_child, a + 8), 0);
    vm_map_deallocate(copy_child);
    vm_map_deallocate(share_child);
    vm_map_deallocate(parent);
    KT_ASSERT(vm_counts_equal(vm_counts_now(), before));
}

KTEST(vm_cow, protection_changes_never_make_a_shared_page_writable)
{
    struct vm_counts before = vm_counts_now();
    struct vm_map *parent = vm_map_create();
    vaddr_t a = 0;
    uint64_t pte = 0;

    KT_ASSERT(parent != NULL);
    KT_EQ(vm_allocate_internal(parent, &a, PAGE_SIZE, true), KERN_SUCCESS);
    KT_EQ(poke(parent, a, 5), KERN_SUCCESS);
    KT_EQ(vm_protect_internal(parent, a, PAGE_SIZE, false, VM_PROT_ALL), KERN_SUCCESS);
    struct vm_map *child = vm_map_fork(parent);
    KT_ASSERT(child != NULL);
    KT_EQ(vm_fault(child, a, VM_PROT_READ), KERN_SUCCESS); // the parent's page, read-only
    KT_EQ(vm_protect_internal(child, a, PAGE_SIZE, false, VM_PROT_DEFAULT), KERN_SUCCESS);
    KT_ASSERT(!pmap_user_leaf(child->pmap, a, &pte) || (pte & PTE_W) == 0);
    KT_EQ(vm_fault(parent, a, VM_PROT_READ), KERN_SUCCESS);
    KT_EQ(vm_protect_internal(parent, a, PAGE_SIZE, false, VM_PROT_DEFAULT), KERN_SUCCESS);
    KT_ASSERT(!pmap_user_leaf(parent->pmap, a, &pte) || (pte & PTE_W) == 0);
    KT_EQ(poke(child, a, 6), KERN_SUCCESS);
    KT_EQ(peek(parent, a), 5);
    vm_map_deallocate(child);
    vm_map_deallocate(parent);
    KT_ASSERT(vm_counts_equal(vm_counts_now(), before));
}

// One round of the loop: fork, both sides write one page, the
// child goes away.
static bool
fork_touch_destroy(struct vm_map *parent, vaddr_t a, uint64_t i)
{
    struct vm_map *child = vm_map_fork(parent);

    if (child == NULL)
        return false;
    bool ok = poke(child, a, ~i) == KERN_SUCCESS &&
              poke(parent, a + PAGE_SIZE, i) == KERN_SUCCESS &&
              peek(child, a + PAGE_SIZE) == (i == 0 ? 0 : i - 1) && peek(parent, a) == 42;
    vm_map_deallocate(child);
    return ok;
}

KTEST(vm_cow, fork_touch_destroy_loop_keeps_counts_at_baseline)
{
    struct vm_counts before = vm_counts_now();
    struct vm_map *parent = vm_map_create();
    vaddr_t a = 0;

    KT_ASSERT(parent != NULL);
    KT_EQ(vm_allocate_internal(parent, &a, 2 * PAGE_SIZE, true), KERN_SUCCESS);
    KT_EQ(poke(parent, a, 42), KERN_SUCCESS);
    KT_EQ(poke(parent, a + PAGE_SIZE, 0), KERN_SUCCESS);
    for (uint64_t i = 0; i < 2; i++) // warm up: chains reach their steady shape
        KT_ASSERT(fork_touch_destroy(parent, a, i));
    struct vm_counts base = vm_counts_now();
    size_t pages = vm_object_pages_resident();
    unsigned depth = vm_map_shadow_depth(parent, a);
    KT_ASSERT(depth <= 2);
    for (uint64_t i = 2; i < 1000; i++)
        KT_ASSERT(fork_touch_destroy(parent, a, i));
    KT_ASSERT(vm_counts_equal(vm_counts_now(), base));
    KT_EQ(vm_object_pages_resident(), pages);
    KT_EQ(vm_map_shadow_depth(parent, a), depth);
    KT_EQ(peek(parent, a + PAGE_SIZE), 999);
    vm_map_deallocate(parent);
    KT_ASSERT(vm_counts_equal(vm_counts_now(), before));
}

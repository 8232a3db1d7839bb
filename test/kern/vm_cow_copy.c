// SPDX-License-Identifier: MIT
//
// Map copies (vm_map_copyin / vm_map_copyout / vm_map_copy_discard): a
// snapshot taken by copy-on-write, entered into another map; src_destroy
// moves the range; bad ranges fail and change nothing; nothing leaks.

#include <debug/ktest.h>
#include <vm/vm_fault.h>
#include <vm/vm_map.h>
#include <vm/vm_map_copy.h>
#include <vm/vm_user.h>
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

// A map with three pages at *a holding 1, 2, 3 at the start of each.
static struct vm_map *
map_with_pages(vaddr_t *a)
{
    struct vm_map *map = vm_map_create();

    *a = 0;
    if (map == NULL || vm_allocate_internal(map, a, 3 * PAGE_SIZE, true) != KERN_SUCCESS)
        return map;
    for (int i = 0; i < 3; i++)
        poke(map, *a + i * PAGE_SIZE, i + 1);
    return map;
}

// Zones keep one empty slab in reserve: let the zones a copy uses (kalloc
// for its header, entries) reach that state before counting, whatever test
// runs first.
static void
warm_up(void)
{
    struct vm_map_copy *copy;
    vaddr_t a;
    struct vm_map *map = map_with_pages(&a);

    if (map != NULL && vm_map_copyin(map, a, PAGE_SIZE, false, &copy) == KERN_SUCCESS)
        vm_map_copy_discard(copy);
    if (map != NULL)
        vm_map_deallocate(map);
}

KTEST(vm_copy, copyin_copyout_round_trip_is_a_snapshot)
{
    warm_up();
    struct vm_counts before = vm_counts_now();
    struct vm_map *dst = vm_map_create();
    struct vm_map_copy *copy = NULL;
    vaddr_t a, at = 0;
    struct vm_map *src = map_with_pages(&a);

    KT_ASSERT(src != NULL && dst != NULL);
    KT_EQ(peek(src, a + 2 * PAGE_SIZE), 3);
    KT_EQ(vm_fault(src, a, VM_PROT_WRITE), KERN_SUCCESS); // a writable translation
    KT_EQ(vm_map_copyin(src, a + 8, 2 * PAGE_SIZE + 8, false, &copy), KERN_SUCCESS);
    KT_EQ(vm_map_copy_size(copy), 2 * PAGE_SIZE + 8);
    KT_EQ(poke(src, a + 8, 99), KERN_SUCCESS); // after the snapshot
    KT_EQ(vm_map_copyout(dst, &at, copy), KERN_SUCCESS);
    KT_EQ(at % PAGE_SIZE, 8);
    KT_EQ(vm_map_size(dst), 3 * PAGE_SIZE);
    KT_EQ(peek(dst, at), 0);
    KT_EQ(peek(dst, at - 8 + PAGE_SIZE), 2);
    KT_EQ(peek(dst, at - 8 + 2 * PAGE_SIZE), 3);
    KT_EQ(poke(dst, at - 8 + PAGE_SIZE, 77), KERN_SUCCESS);
    KT_EQ(peek(src, a + PAGE_SIZE), 2);
    KT_EQ(peek(src, a + 8), 99);
    vm_map_deallocate(src);
    KT_EQ(peek(dst, at - 8), 1); // the copy outlives its source
    KT_EQ(peek(dst, at - 8 + PAGE_SIZE), 77);
    vm_map_deallocate(dst);
    KT_ASSERT(vm_counts_equal(vm_counts_now(), before));
}

KTEST(vm_copy, src_destroy_moves_the_range_and_discard_frees_it)
{
    warm_up();
    struct vm_counts before = vm_counts_now();
    struct vm_map *dst = vm_map_create();
    struct vm_map_copy *copy = NULL;
    vaddr_t a, at = 0;
    struct vm_map *src = map_with_pages(&a);

    KT_ASSERT(src != NULL && dst != NULL);
    KT_EQ(vm_map_copyin(src, a + PAGE_SIZE, PAGE_SIZE, true, &copy), KERN_SUCCESS);
    KT_EQ(vm_map_size(src), 2 * PAGE_SIZE);
    KT_EQ(vm_fault(src, a + PAGE_SIZE, VM_PROT_READ), KERN_INVALID_ADDRESS);
    KT_EQ(peek(src, a + 2 * PAGE_SIZE), 3);
    KT_EQ(vm_map_copyout(dst, &at, copy), KERN_SUCCESS);
    KT_EQ(peek(dst, at), 2);
    KT_EQ(vm_map_copyin(src, a, 3 * PAGE_SIZE, true, &copy), KERN_INVALID_ADDRESS); // a hole now
    KT_EQ(vm_map_copyin(src, a, PAGE_SIZE, true, &copy), KERN_SUCCESS);
    vm_map_copy_discard(copy);
    KT_EQ(vm_map_size(src), PAGE_SIZE);
    vm_map_deallocate(src);
    vm_map_deallocate(dst);
    KT_ASSERT(vm_counts_equal(vm_counts_now(), before));
}

KTEST(vm_copy, bad_ranges_fail_and_change_nothing)
{
    warm_up();
    struct vm_counts before = vm_counts_now();
    struct vm_map_copy *copy = (struct vm_map_copy *)0x1234, *empty = NULL;
    vaddr_t a, at = 1;
    struct vm_map *src = map_with_pages(&a);

    KT_ASSERT(src != NULL);
    KT_EQ(vm_protect_internal(src, a + 2 * PAGE_SIZE, PAGE_SIZE, false, VM_PROT_NONE),
          KERN_SUCCESS);
    size_t entries = vm_map_entry_count(src), objects = vm_object_count();
    for (int destroy = 0; destroy < 2; destroy++) {
        KT_EQ(vm_map_copyin(src, a, 4 * PAGE_SIZE, destroy, &copy), KERN_INVALID_ADDRESS);
        KT_EQ(vm_map_copyin(src, a, 3 * PAGE_SIZE, destroy, &copy), KERN_PROTECTION_FAILURE);
        KT_EQ(vm_map_copyin(src, ~0ul - 8, 16, destroy, &copy), KERN_INVALID_ADDRESS);
        KT_EQ(vm_map_copyin(src, 0, PAGE_SIZE, destroy, &copy), KERN_INVALID_ADDRESS);
    }
    KT_EQ((uintptr_t)copy, 0x1234);
    KT_EQ(vm_map_entry_count(src), entries);
    KT_EQ(vm_map_size(src), 3 * PAGE_SIZE);
    KT_EQ(vm_object_count(), objects);
    // Still writable in place: the failed calls marked nothing copy-on-write.
    KT_EQ(poke(src, a, 5), KERN_SUCCESS);
    KT_EQ(vm_map_shadow_depth(src, a), 1);
    KT_EQ(vm_map_copyin(src, a, 0, false, &empty), KERN_SUCCESS);
    KT_EQ(vm_map_copyout(src, &at, empty), KERN_SUCCESS);
    KT_EQ(at, 0);
    vm_map_deallocate(src);
    KT_ASSERT(vm_counts_equal(vm_counts_now(), before));
}

// SPDX-License-Identifier: MIT
//
// Host tests of the AVL tree and of vm_map's range store: random inserts
// and removals checked against a plain array after every step, ordered
// walks, lookups, free/covered queries and first-fit gap search with
// alignment, including the ends of the address range.

#include "hosttest.h"
#include <kern/assert.h>
#include <lib/avl.h>
#include <vm/vm_map_store.h>
#include <stdarg.h>
#include <stdlib.h>

void
panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    abort();
}

#define N 2000

static struct avl_node nodes[N];
static bool present[N];

static unsigned
rnd(void)
{
    static uint64_t x = 88172645463325252ull;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return (unsigned)x;
}

HOST_TEST(avl_random_inserts_and_removals_stay_balanced_and_ordered)
{
    struct avl_tree t;
    size_t count = 0;

    avl_init(&t);
    for (int step = 0; step < 20000; step++) {
        unsigned i = rnd() % N;
        if (present[i]) {
            avl_remove(&t, &nodes[i]);
            count--;
        } else {
            nodes[i].an_key = (uint64_t)i * 7;
            CHECK(avl_insert(&t, &nodes[i]));
            count++;
        }
        present[i] = !present[i];
        if (step % 97 == 0)
            CHECK(avl_check(&t));
    }
    CHECK(avl_check(&t));
    CHECK_EQ(t.at_count, count);
    size_t seen = 0;
    uint64_t last = 0;
    for (struct avl_node *n = avl_first(&t); n != NULL; n = avl_next(n), seen++) {
        CHECK(seen == 0 || n->an_key > last);
        last = n->an_key;
    }
    CHECK_EQ(seen, count);
    for (unsigned i = 0; i < N; i++)
        CHECK(avl_find(&t, (uint64_t)i * 7) == (present[i] ? &nodes[i] : NULL));
}

HOST_TEST(avl_rejects_duplicate_keys_and_finds_neighbours)
{
    struct avl_tree t;
    struct avl_node a = {.an_key = 10}, b = {.an_key = 20}, dup = {.an_key = 10};

    avl_init(&t);
    CHECK(avl_insert(&t, &a));
    CHECK(avl_insert(&t, &b));
    CHECK(!avl_insert(&t, &dup));
    CHECK_EQ(t.at_count, 2);
    CHECK(avl_find_le(&t, 5) == NULL);
    CHECK(avl_find_le(&t, 15) == &a);
    CHECK(avl_find_le(&t, 20) == &b);
    CHECK(avl_find_ge(&t, 15) == &b);
    CHECK(avl_find_ge(&t, 21) == NULL);
    CHECK(avl_prev(&b) == &a && avl_next(&b) == NULL && avl_last(&t) == &b);
}

static struct vm_map_links links[8];

static struct avl_tree
store_of(const vaddr_t (*r)[2], int n)
{
    struct avl_tree t;

    avl_init(&t);
    for (int i = 0; i < n; i++)
        vm_map_store_insert(&t, &links[i], r[i][0], r[i][1]);
    return t;
}

HOST_TEST(store_lookup_free_and_covered)
{
    const vaddr_t r[][2] = {{0x1000, 0x3000}, {0x3000, 0x5000}, {0x8000, 0x9000}};
    struct avl_tree t = store_of(r, 3);

    CHECK(vm_map_store_lookup(&t, 0x0fff) == NULL);
    CHECK(vm_map_store_lookup(&t, 0x1000) == &links[0]);
    CHECK(vm_map_store_lookup(&t, 0x4fff) == &links[1]);
    CHECK(vm_map_store_lookup(&t, 0x5000) == NULL);
    CHECK(vm_map_store_first_from(&t, 0x5000) == &links[2]);
    CHECK(vm_map_store_first_from(&t, 0x9000) == NULL);
    CHECK(vm_map_store_range_free(&t, 0x5000, 0x8000));
    CHECK(!vm_map_store_range_free(&t, 0x5000, 0x8001));
    CHECK(!vm_map_store_range_free(&t, 0x0, 0x1001));
    CHECK(vm_map_store_range_covered(&t, 0x1000, 0x5000));
    CHECK(vm_map_store_range_covered(&t, 0x2000, 0x4000));
    CHECK(!vm_map_store_range_covered(&t, 0x2000, 0x8800));
    CHECK(!vm_map_store_range_covered(&t, 0x0, 0x2000));
    CHECK(vm_map_store_range_covered(&t, 0x8000, 0x9000));
}

HOST_TEST(store_find_space_first_fit_with_alignment)
{
    const vaddr_t r[][2] = {{0x1000, 0x3000}, {0x4000, 0x5000}, {0x10000, 0x11000}};
    struct avl_tree t = store_of(r, 3);
    vaddr_t a = 0;

    CHECK(vm_map_store_find_space(&t, 0x1000, 0x20000, 0, 0x1000, 0xfff, &a));
    CHECK_EQ(a, 0x3000);
    CHECK(vm_map_store_find_space(&t, 0x1000, 0x20000, 0, 0x2000, 0xfff, &a));
    CHECK_EQ(a, 0x5000);
    CHECK(vm_map_store_find_space(&t, 0x1000, 0x20000, 0, 0x1000, 0x7fff, &a));
    CHECK_EQ(a, 0x8000);
    CHECK(vm_map_store_find_space(&t, 0x1000, 0x20000, 0x9000, 0x8000, 0xfff, &a));
    CHECK_EQ(a, 0x11000);
    CHECK(!vm_map_store_find_space(&t, 0x1000, 0x20000, 0, 0x10000, 0xfff, &a));
    CHECK_EQ(a, 0x11000); // untouched on failure
    CHECK(vm_map_store_find_space(&t, 0x1000, 0x20000, 0x11000, 0xf000, 0xfff, &a));
    CHECK_EQ(a, 0x11000);
    CHECK(!vm_map_store_find_space(&t, 0x1000, ~(vaddr_t)0, ~(vaddr_t)0 - 0x10, 0x1000, 0xfff, &a));
}

HOST_TEST(store_clipping_shortens_from_above)
{
    const vaddr_t r[][2] = {{0x1000, 0x5000}};
    struct avl_tree t = store_of(r, 1);

    links[0].vml_end = 0x3000; // what vm_map's clip does, then inserts the upper part
    vm_map_store_insert(&t, &links[1], 0x3000, 0x5000);
    CHECK(avl_check(&t));
    CHECK(vm_map_store_lookup(&t, 0x2fff) == &links[0]);
    CHECK(vm_map_store_lookup(&t, 0x3000) == &links[1]);
    CHECK(vml_next(&links[0]) == &links[1] && vml_prev(&links[1]) == &links[0]);
    vm_map_store_remove(&t, &links[0]);
    CHECK(vm_map_store_range_free(&t, 0x1000, 0x3000));
    CHECK_EQ(t.at_count, 1);
}

HOST_TEST_MAIN(avl_random_inserts_and_removals_stay_balanced_and_ordered,
               avl_rejects_duplicate_keys_and_finds_neighbours, store_lookup_free_and_covered,
               store_find_space_first_fit_with_alignment, store_clipping_shortens_from_above)

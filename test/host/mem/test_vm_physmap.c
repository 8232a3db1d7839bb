// SPDX-License-Identifier: MIT
//
// Host tests of physical range sets (kern/vm/vm_physmap.c): the arithmetic
// that turns a memory map into usable RAM.

#include "host_stubs.h"
#include <vm/vm_physmap.h>

#define SET(name, cap)                                                                             \
    struct phys_range name##_r[cap];                                                               \
    struct phys_set name = {name##_r, 0, cap}

static bool
is(const struct phys_set *s, unsigned i, paddr_t a, paddr_t b)
{
    return i < s->n && s->r[i].start == a && s->r[i].end == b;
}

static void
test_normalize_sorts_and_merges(void)
{
    SET(s, 8);

    CHECK(phys_set_add(&s, 0x5000, 0x6000));
    CHECK(phys_set_add(&s, 0x1000, 0x3000));
    CHECK(phys_set_add(&s, 0x2000, 0x4000)); // overlaps
    CHECK(phys_set_add(&s, 0x4000, 0x4800)); // touches
    CHECK(phys_set_add(&s, 0x9000, 0x9000)); // empty: ignored
    phys_set_normalize(&s);
    CHECK(s.n == 2 && is(&s, 0, 0x1000, 0x4800) && is(&s, 1, 0x5000, 0x6000));
}

static void
test_subtract_trims_splits_and_removes(void)
{
    SET(s, 8);

    phys_set_add(&s, 0x0, 0x10000);
    phys_set_add(&s, 0x20000, 0x30000);
    phys_set_subtract(&s, 0x4000, 0x5000); // split
    CHECK(s.n == 3 && is(&s, 0, 0, 0x4000) && is(&s, 1, 0x5000, 0x10000));
    phys_set_subtract(&s, 0xF000, 0x21000); // trims two ranges
    CHECK(is(&s, 1, 0x5000, 0xF000) && is(&s, 2, 0x21000, 0x30000));
    phys_set_subtract(&s, 0, 0x4000); // removes one
    CHECK(s.n == 2 && is(&s, 0, 0x5000, 0xF000));
    phys_set_subtract(&s, 0, ~0ull);
    CHECK(s.n == 0);
}

static void
test_full_set_drops_the_smaller_piece(void)
{
    SET(s, 1);

    phys_set_add(&s, 0, 0x10000);
    CHECK(!phys_set_add(&s, 0x20000, 0x30000));
    phys_set_subtract(&s, 0x1000, 0x2000);
    CHECK(s.n == 1 && is(&s, 0, 0x2000, 0x10000));
}

static void
test_align_inward_and_overlap(void)
{
    SET(s, 4);

    phys_set_add(&s, 0x0, 0x9FC00);
    phys_set_add(&s, 0x100800, 0x100900); // vanishes
    phys_set_add(&s, 0x200001, 0x7FE0000);
    phys_set_align_inward(&s, 0x1000);
    CHECK(s.n == 2 && is(&s, 0, 0, 0x9F000) && is(&s, 1, 0x201000, 0x7FE0000));
    CHECK(phys_set_overlap(&s, 0, 0x200000) == 0x9F000);
    CHECK(phys_set_overlap(&s, 0x7E00000, 0x8000000) == 0x1E0000);
    CHECK(phys_set_overlap(&s, 0x8000000, 0x9000000) == 0);
}

int
main(void)
{
    test_normalize_sorts_and_merges();
    test_subtract_trims_splits_and_removes();
    test_full_set_drops_the_smaller_piece();
    test_align_inward_and_overlap();
    printf("vm_physmap: all tests passed\n");
    return 0;
}

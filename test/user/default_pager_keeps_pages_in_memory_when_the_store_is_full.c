/* SPDX-License-Identifier: MIT */
/*
 * The default pager never loses a page: when its store is full, it keeps the pages it is given in
 * its own memory
 * ("held"), counts them in dpi_refused, says so once on the console, and
 * gives them back on data_request like any other.  This task plays the
 * kernel: it fills the store (test/qemu/CMakeLists.txt runs the pager
 * with --pages=64 for this test, so that is quick) with two objects and
 * two pages more, reads every page back, overwrites a held page and a
 * stored one, makes room by terminating the small object -- the next
 * return of a held page goes to the store -- and terminates the big one:
 * the store is empty again and takes pages as before.  Nothing leaks.
 */
#include "ut_default_pager.h"

#define PAGE              UT_DP_PAGE
#define BATCH             8    /* pages per data_request when reading back */
#define DP_TEST_MAX_PAGES 4096 /* the store this test can fill (its 16 MiB disk) */

/* The pattern seed of page i of the big object, as last written. */
static uint32_t seeds[DP_TEST_MAX_PAGES];

/* Writes page I of OBJECT with pattern SEED (data_initialize the first
 * time, data_return after) and remembers the seed. */
static void
put(mach_port_t object, mach_port_t control, natural_t i, uint32_t seed)
{
    ut_dp_put(object, control, (vm_offset_t)i * PAGE, seed, seeds[i] == 0);
    seeds[i] = seed;
}

/* Reads pages [0, n) of OBJECT back, BATCH at a time, against seeds[]. */
static void
read_all(mach_port_t object, mach_port_t control, natural_t n)
{
    for (natural_t first = 0; first < n; first += BATCH) {
        natural_t count = n - first < BATCH ? n - first : BATCH;

        ut_dp_request(object, control, (vm_offset_t)first * PAGE, (vm_size_t)count * PAGE);
        for (natural_t i = first; i < first + count; i++)
            ut_dp_expect_supply(control, (vm_offset_t)i * PAGE, seeds[i]);
    }
    ut_dp_expect_nothing(control);
}

/* A small object holding two pages of the store; terminated later to
 * make room. */
static void
small_object(mach_port_t pager, mach_port_t *object, mach_port_t *control)
{
    ut_dp_object_create(pager, 2 * PAGE, object, control);
    ut_dp_put(*object, *control, 0, 5000, 1);
    ut_dp_put(*object, *control, PAGE, 5001, 1);
    ut_dp_request(*object, *control, 0, 2 * PAGE);
    ut_dp_expect_supply(*control, 0, 5000);
    ut_dp_expect_supply(*control, PAGE, 5001);
}

/* Terminates OBJECT and drops our control port. */
static void
end_object(mach_port_t pager, mach_port_t object, mach_port_t control, natural_t objects)
{
    ut_dp_terminate(pager, object, control, objects);
    UT_KR(mach_port_mod_refs(mach_task_self(), control, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
}

int
main(void)
{
    mach_port_t pager, big, big_control, small, small_control;
    default_pager_info_t before;
    natural_t n, f;

    ut_stats_begin();
    pager = ut_dp_look_up();
    before = ut_dp_info(pager);
    f = before.dpi_free_space;
    UT_ASSERT(f > 8 && f <= DP_TEST_MAX_PAGES);

    /* Two pages in a small object, then f pages in a big one: the last
     * two find the store full and are held. */
    small_object(pager, &small, &small_control);
    n = f;
    ut_dp_object_create(pager, (vm_size_t)n * PAGE, &big, &big_control);
    for (natural_t i = 0; i < n; i++)
        put(big, big_control, i, i + 1);
    read_all(big, big_control, n);
    ut_dp_expect_info(pager, &before, 2, f, f, 2);

    /* Overwrite a held page (it stays held) and a stored one (in place). */
    put(big, big_control, n - 1, 100001);
    put(big, big_control, 5, 100005);
    read_all(big, big_control, n);
    ut_dp_expect_info(pager, &before, 2, f, f + 1, 3);

    /* Room again: the next return of a held page goes to the store. */
    end_object(pager, small, small_control, before.dpi_objects + 1);
    ut_dp_expect_info(pager, &before, 1, f - 2, f + 1, 3);
    put(big, big_control, n - 2, 100002);
    read_all(big, big_control, n);
    ut_dp_expect_info(pager, &before, 1, f - 1, f + 2, 3);

    /* Terminate: every slot and held page is given back. */
    end_object(pager, big, big_control, before.dpi_objects);
    ut_dp_expect_info(pager, &before, 0, 0, f + 2, 3);

    /* ...and a new object's pages go to the store. */
    small_object(pager, &small, &small_control);
    ut_dp_expect_info(pager, &before, 1, 2, f + 4, 3);
    end_object(pager, small, small_control, before.dpi_objects);

    UT_KR(mach_port_deallocate(mach_task_self(), pager), KERN_SUCCESS);
    ut_stats_expect_baseline();
    return ut_pass();
}

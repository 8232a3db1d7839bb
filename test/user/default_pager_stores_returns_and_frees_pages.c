/* SPDX-License-Identifier: MIT */
/*
 * The default pager (default-pager/) keeps the pages it is given and gives
 * them back: this task plays the kernel.  It creates an object (a port P
 * whose receive right goes to the pager, with a control port C of ours),
 * hands it pages with data_initialize and data_return, asks for them with
 * data_request and checks the data_supply / data_unavailable answers on
 * C: pages next to each other, the last page of the 2^47-byte object,
 * pages far apart in many blocks of the pager's map.  default_pager_info
 * shows the space they use; memory_object_terminate gives it back and
 * kills P.  Bad requests (unaligned offsets, wrong sizes, an object the
 * pager does not know, a wrong page size) change nothing and get no
 * answer.  The pager's state at the end is what it was at the start, and
 * nothing leaks.
 */
#include "ut_default_pager.h"

#define PAGE     UT_DP_PAGE
#define OBJ_SIZE (1ull << 47) /* sparse: a flat page map would not fit */
#define FAR      (OBJ_SIZE - PAGE)

/* The pages the test stores: offset and pattern seed. */
static const struct {
    vm_offset_t offset;
    uint32_t seed;
} pages[] = {
    {0, 1},
    {1 * PAGE, 2},
    {3 * PAGE, 3},
    {FAR, 4},
};
#define NPAGES        (sizeof(pages) / sizeof(pages[0]))
#define RETURNED_SEED 9 /* pages[1] is overwritten with this */

/* More pages, each in a block of its own (the pager maps 32 pages to a
 * block), so that its table of blocks has to grow. */
#define SPREAD        20
#define SPREAD_BASE   (1ull << 30)
#define SPREAD_STRIDE (97ull * 32 * PAGE)

/* The pager's counters must be BEFORE's moved by the given amounts
 * (ut_dp_expect_info), IN more pages given back, none refused. */
static void
expect_info(mach_port_t pager, const default_pager_info_t *before, natural_t objects,
            natural_t used, natural_t in, natural_t out)
{
    default_pager_info_t now = ut_dp_expect_info(pager, before, objects, used, out, 0);

    UT_EQ(now.dpi_pages_in, before->dpi_pages_in + in);
}

/* Every stored page comes back as it was last given; the holes between
 * them are unavailable, one answer per run.  Returns pages supplied. */
static natural_t
read_back(mach_port_t object, mach_port_t control)
{
    /* One request over [0, 5 pages): pages 0, 1 and 3 stored, 2 and 4 not. */
    ut_dp_request(object, control, 0, 5 * PAGE);
    ut_dp_expect_supply(control, 0, 1);
    ut_dp_expect_supply(control, PAGE, RETURNED_SEED);
    ut_dp_expect_unavailable(control, 2 * PAGE, PAGE);
    ut_dp_expect_supply(control, 3 * PAGE, 3);
    ut_dp_expect_unavailable(control, 4 * PAGE, PAGE);
    /* The last page of a 2^47-byte object, and a long hole before it. */
    ut_dp_request(object, control, FAR - 2 * PAGE, 3 * PAGE);
    ut_dp_expect_unavailable(control, FAR - 2 * PAGE, 2 * PAGE);
    ut_dp_expect_supply(control, FAR, 4);
    ut_dp_expect_nothing(control);
    return 4;
}

/* Stores SPREAD pages far apart and reads them back; returns pages supplied. */
static natural_t
spread_pages(mach_port_t object, mach_port_t control)
{
    for (uint32_t i = 0; i < SPREAD; i++)
        ut_dp_put(object, control, SPREAD_BASE + i * SPREAD_STRIDE, 1000 + i, 1);
    for (uint32_t i = 0; i < SPREAD; i++) {
        ut_dp_request(object, control, SPREAD_BASE + i * SPREAD_STRIDE, PAGE);
        ut_dp_expect_supply(control, SPREAD_BASE + i * SPREAD_STRIDE, 1000 + i);
    }
    ut_dp_expect_nothing(control);
    return SPREAD;
}

/* Requests that the pager must refuse, changing nothing and answering
 * nothing.  Returns once it has handled them all. */
static void
bad_requests(mach_port_t pager, mach_port_t object, mach_port_t control)
{
    mach_port_t other = ut_port_send(), other2 = ut_port_send(), other_control = ut_port();
    vm_address_t two = 0;

    /* Offsets that are not page boundaries. */
    ut_dp_put(object, control, PAGE + 100, 77, 1);
    ut_dp_put(object, control, 100, 77, 0);
    UT_KR(memory_object_data_request(object, control, 100, PAGE, VM_PROT_READ), KERN_SUCCESS);
    /* Lengths of no page, or not of whole pages. */
    UT_KR(memory_object_data_request(object, control, 0, 0, VM_PROT_READ), KERN_SUCCESS);
    UT_KR(memory_object_data_request(object, control, 0, PAGE + 1, VM_PROT_READ), KERN_SUCCESS);
    /* Two pages in one data_return. */
    UT_KR(vm_allocate(mach_task_self(), &two, 2 * PAGE, TRUE), KERN_SUCCESS);
    UT_KR(memory_object_data_return(object, control, 0, two, 2 * PAGE, TRUE, FALSE), KERN_SUCCESS);
    /* A create sent to an object's port instead of the pager's: the new
     * port dies with the refused message. */
    UT_KR(memory_object_create(object, other2, PAGE, other_control, PAGE), KERN_SUCCESS);
    ut_dp_wait_dead(other2); /* ...after every request above: one port, one queue */

    /* An object the pager does not know: requests sent to its own port. */
    UT_KR(memory_object_data_request(pager, control, 0, PAGE, VM_PROT_READ), KERN_SUCCESS);
    ut_dp_put(pager, control, 0, 78, 1);
    UT_KR(memory_object_terminate(pager, control), KERN_SUCCESS);
    /* A create with a page size that is not the pager's. */
    UT_KR(memory_object_create(pager, other, PAGE, other_control, 2 * PAGE), KERN_SUCCESS);
    ut_dp_wait_dead(other);

    UT_KR(mach_port_mod_refs(mach_task_self(), other_control, MACH_PORT_RIGHT_RECEIVE, -1),
          KERN_SUCCESS);
    ut_dp_expect_nothing(control);
}

int
main(void)
{
    mach_port_t self = mach_task_self(), pager, object, control;
    default_pager_info_t before;
    natural_t in = 0;

    ut_stats_begin();
    pager = ut_dp_look_up();
    before = ut_dp_info(pager);
    UT_ASSERT(before.dpi_free_space >= NPAGES + SPREAD);

    ut_dp_object_create(pager, OBJ_SIZE, &object, &control);
    expect_info(pager, &before, 1, 0, 0, 0);

    /* Four first pages, then pages[1] again with other contents. */
    for (unsigned i = 0; i < NPAGES; i++)
        ut_dp_put(object, control, pages[i].offset, pages[i].seed, 1);
    ut_dp_put(object, control, pages[1].offset, RETURNED_SEED, 0);
    /* A request on the object's port comes after them: once it is
     * answered, they are stored. */
    ut_dp_request(object, control, 0, PAGE);
    ut_dp_expect_supply(control, 0, 1);
    in++;
    expect_info(pager, &before, 1, NPAGES, in, NPAGES + 1);

    in += read_back(object, control);
    expect_info(pager, &before, 1, NPAGES, in, NPAGES + 1);
    in += spread_pages(object, control);
    expect_info(pager, &before, 1, NPAGES + SPREAD, in, NPAGES + 1 + SPREAD);

    bad_requests(pager, object, control);
    expect_info(pager, &before, 1, NPAGES + SPREAD, in, NPAGES + 1 + SPREAD);
    in += read_back(object, control);

    /* Terminate: the space comes back, the object and its port are gone. */
    ut_dp_terminate(pager, object, control, before.dpi_objects);
    expect_info(pager, &before, 0, 0, in, NPAGES + 1 + SPREAD);
    ut_dp_expect_nothing(control);

    UT_KR(mach_port_mod_refs(self, control, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(self, pager), KERN_SUCCESS);
    ut_stats_expect_baseline();
    return ut_pass();
}

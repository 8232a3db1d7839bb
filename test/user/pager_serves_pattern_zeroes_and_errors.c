/* SPDX-License-Identifier: MIT */
/*
 * A user-level pager and its client in one task.  The pager thread holds
 * the receive right of a memory object and serves memory_object.defs with
 * the generated memory_object_server; the main thread vm_maps the object
 * (a send right) and reads it:
 *
 *   page 0, 1  data_supply of a computed pattern: each 8-byte word holds
 *              its offset in the object plus PATTERN;
 *   page 2     data_unavailable: reads as zeroes;
 *   page 3     data_error: the read raises EXC_BAD_ACCESS with
 *              KERN_MEMORY_ERROR and the address (caught by a handler
 *              thread, which maps anonymous memory there and resumes the
 *              read, which then sees zeroes).
 *
 * The kernel sends memory_object_init once, one data_request per page
 * however often it is read, and memory_object_terminate when the mapping
 * goes; nothing leaks.
 */
#define UT_PAGER_DEFINES_INIT
#include "ut_pager.h"

#define PAGE    UT_PAGER_PAGE
#define NPAGES  4
#define PATTERN UT_PAGER_PATTERN

static mach_port_t control; /* the control port, as the pager names it */
static volatile uint32_t requests[NPAGES];
static vm_address_t base;

/* Every kernel message brings a new send right to the control port; each
 * handler drops its own when done (so the name may change between
 * messages: it is freed when its last reference goes).  Terminate: the
 * usual one, ut_pager.h's. */
static void
pager_note_control(mach_port_t memory_control)
{
    UT_ASSERT(MACH_PORT_VALID(memory_control));
    control = memory_control;
}

kern_return_t
memory_object_init(mach_port_t memory_object, mach_port_t memory_control, vm_size_t page_size)
{
    UT_EQ(memory_object, ut_pager_object);
    UT_EQ(page_size, PAGE);
    pager_note_control(memory_control);
    ut_pager_drop_right(memory_control);
    ut_pager_inits++;
    return KERN_SUCCESS;
}

kern_return_t
memory_object_data_request(mach_port_t memory_object, mach_port_t memory_control,
                           vm_offset_t offset, vm_size_t length, vm_prot_t desired_access)
{
    vm_offset_t page = offset / PAGE;

    UT_EQ(memory_object, ut_pager_object);
    UT_EQ(length, PAGE);
    UT_ASSERT(offset % PAGE == 0 && page < NPAGES);
    UT_ASSERT((desired_access & VM_PROT_READ) != 0);
    pager_note_control(memory_control);
    requests[page]++;
    if (page < 2)
        ut_pager_supply_pattern(memory_control, offset);
    else if (page == 2)
        UT_KR(memory_object_data_unavailable(memory_control, offset, PAGE), KERN_SUCCESS);
    else
        UT_KR(memory_object_data_error(memory_control, offset, PAGE, KERN_FAILURE), KERN_SUCCESS);
    ut_pager_drop_right(memory_control);
    return KERN_SUCCESS;
}

/* The data_error exception: anonymous memory replaces the page. */
static kern_return_t
ut_exc_handle(const struct ut_exc_seen *e)
{
    return ut_pager_exc_replace_page(e, KERN_MEMORY_ERROR, base + 3 * PAGE + 16);
}

int
main(void)
{
    struct ut_exc_server srv;
    quay_thread_t pager;
    const volatile uint64_t *w;

    ut_stats_begin();
    ut_pager_start(&pager, &ut_pager_terminates);
    base = ut_pager_map(NPAGES * PAGE, VM_PROT_READ);
    w = (const volatile uint64_t *)base;
    for (unsigned i = 0; i < 2 * PAGE / 8; i += 97)
        UT_EQ(w[i], PATTERN + 8 * i);
    UT_EQ(w[2 * PAGE / 8 - 1], PATTERN + 2 * PAGE - 8);
    UT_EQ(w[0], PATTERN); /* resident now: no second request */
    for (unsigned i = 2 * PAGE / 8; i < 3 * PAGE / 8; i++)
        UT_EQ(w[i], 0);

    ut_pager_catch_begin(&srv, 1);
    UT_EQ(w[3 * PAGE / 8 + 2], 0); /* data_error, exception, handler, zeroes */
    ut_pager_catch_end(&srv);
    UT_EQ(ut_exc_count, 1);

    UT_EQ(ut_pager_inits, 1);
    for (unsigned p = 0; p < NPAGES; p++)
        UT_EQ(requests[p], 1);
    ut_pager_unmap_and_join(base, NPAGES * PAGE, pager);

    ut_pager_port_destroy(ut_pager_object);
    ut_stats_settle_baseline();
    return ut_pass();
}

/* SPDX-License-Identifier: MIT
 *
 * A queued message destroyed before anyone receives it releases its
 * out-of-line memory: 1 MiB sent with `deallocate` (so the message holds
 * the only reference to its pages) is freed when the port dies with the
 * message in its queue, and when a receive without MACH_RCV_LARGE finds
 * it too large (MACH_RCV_TOO_LARGE).  Free pages return to the count from
 * before the region was allocated.
 */
#include "ut_ool.h"

#define SIZE        UT_MIB
#define PAGES       (SIZE / UT_PAGE)
#define SLACK_PAGES 32u

/* Sends a fresh 1 MiB region with deallocate and checks the message holds its pages. */
static void
send_region(mach_port_name_t port, unsigned long base)
{
    vm_address_t mine = ut_ool_region(SIZE, 0x600d);

    UT_KR(ut_ool_send(port, mine, SIZE, TRUE, 0), MACH_MSG_SUCCESS);
    if (ut_free_pages() + PAGES - SLACK_PAGES > base)
        UT_FAIL("the queued message does not hold its %u pages", PAGES);
}

static void
expect_freed(unsigned long base, const char *how)
{
    unsigned long now = ut_free_pages();

    if (now + SLACK_PAGES < base)
        UT_FAIL("%s: %lu pages not freed", how, base - now);
}

int
main(void)
{
    mach_port_name_t port;
    unsigned long base;
    mach_msg_header_t small;

    ut_stats_begin();
    /* Warm up: page tables and zones the sends below need exist already. */
    port = ut_port();
    UT_KR(vm_deallocate(mach_task_self(), ut_ool_region(SIZE, 0), SIZE), KERN_SUCCESS);
    base = ut_free_pages();

    send_region(port, base);
    ut_port_destroy(port);
    expect_freed(base, "dead port");

    port = ut_port();
    send_region(port, base);
    UT_KR(ut_recv_opt(port, &small, sizeof(small), MACH_RCV_TIMEOUT, 1000), MACH_RCV_TOO_LARGE);
    ut_expect_empty(port);
    expect_freed(base, "MACH_RCV_TOO_LARGE");
    ut_port_destroy(port);

    ut_stats_expect_baseline();
    return ut_pass();
}

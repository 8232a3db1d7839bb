/* SPDX-License-Identifier: MIT */
/*
 * host_get_time reads a clock that moves forward: microseconds stay below a
 * million, consecutive readings never go back, and a 50 ms sleep shows up
 * as at least about 50 ms (and not minutes).
 */
#include "ut_ports.h"

int
main(void)
{
    time_value_t a, b, c;
    host_t host;
    int64_t ta, tb, tc;

    ut_stats_begin();
    host = mach_host_self();
    UT_KR(host_get_time(host, &a), KERN_SUCCESS);
    UT_KR(host_get_time(host, &b), KERN_SUCCESS);
    ut_sleep_ms(50);
    UT_KR(host_get_time(host, &c), KERN_SUCCESS);

    UT_ASSERT(a.microseconds >= 0 && a.microseconds < 1000000);
    UT_ASSERT(b.microseconds >= 0 && b.microseconds < 1000000);
    UT_ASSERT(c.microseconds >= 0 && c.microseconds < 1000000);
    UT_ASSERT(a.seconds >= 0);
    ta = a.seconds * 1000000 + a.microseconds;
    tb = b.seconds * 1000000 + b.microseconds;
    tc = c.seconds * 1000000 + c.microseconds;
    UT_ASSERT(tb >= ta);
    UT_ASSERT(tc - tb >= 45000);   /* the sleep, give or take a tick */
    UT_ASSERT(tc - tb < 60000000); /* but not a minute */

    UT_KR(mach_port_deallocate(mach_task_self(), host), KERN_SUCCESS);
    ut_stats_expect_baseline();
    return ut_pass();
}

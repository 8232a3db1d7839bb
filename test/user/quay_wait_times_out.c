/* SPDX-License-Identifier: MIT */
/*
 * quay_wait on a word that keeps its value and that nobody wakes returns
 * KERN_OPERATION_TIMED_OUT after its timeout, not before (allowing for one
 * clock tick) and not long after.
 */
#include "ut_ports.h"

static volatile uint32_t word;

int
main(void)
{
    int64_t t0, t1;

    ut_stats_begin();
    t0 = ut_now_us();
    UT_KR(quay_wait(&word, 0, 100), KERN_OPERATION_TIMED_OUT);
    t1 = ut_now_us();
    UT_ASSERT(t1 - t0 >= 90000);
    UT_ASSERT(t1 - t0 < 5000000);
    UT_EQ(word, 0);

    ut_stats_expect_baseline();
    return ut_pass();
}

/* SPDX-License-Identifier: MIT */
/*
 * quay_wait sleeps only while the word still holds the expected value: if
 * it already differs, the call returns KERN_SUCCESS at once (no timeout is
 * waited out).  A misaligned address is KERN_INVALID_ARGUMENT and an
 * unmapped one KERN_INVALID_ADDRESS.
 */
#include "ut_ports.h"

static volatile uint32_t words[2];

int
main(void)
{
    int64_t t0, t1;

    ut_stats_begin();
    words[0] = 7;
    t0 = ut_now_us();
    UT_KR(quay_wait(&words[0], 6, 2000), KERN_SUCCESS);
    UT_KR(quay_wait(&words[0], 0, 0), KERN_SUCCESS); /* even with no timeout */
    t1 = ut_now_us();
    UT_ASSERT(t1 - t0 < 1000000);

    UT_KR(quay_wait((volatile uint32_t *)((uintptr_t)&words[0] + 1), 0, 10), KERN_INVALID_ARGUMENT);
    UT_KR(quay_wait((volatile uint32_t *)16, 0, 10), KERN_INVALID_ADDRESS);

    ut_stats_expect_baseline();
    return ut_pass();
}

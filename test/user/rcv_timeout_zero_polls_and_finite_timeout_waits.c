/* SPDX-License-Identifier: MIT
 *
 * MACH_RCV_TIMEOUT: with timeout 0 a receive on an empty port returns
 * MACH_RCV_TIMED_OUT at once and a queued message is returned at once; with
 * a finite timeout it returns MACH_RCV_TIMED_OUT after about that long.
 * Timing out leaves the buffer's header alone and takes nothing.
 */
#include "ut_msg.h"

int
main(void)
{
    mach_port_name_t p;
    ut_msg_buf_t buf;
    uint64_t t0, elapsed;

    ut_stats_begin();
    p = ut_port_send();

    t0 = ut_now_ms();
    memset(&buf, 0x5a, sizeof(buf));
    UT_KR(ut_recv_opt(p, &buf, sizeof(buf), MACH_RCV_TIMEOUT, 0), MACH_RCV_TIMED_OUT);
    UT_EQ(buf.h.msgh_id, 0x5a5a5a5a);
    UT_ASSERT(ut_now_ms() - t0 < 1000);

    t0 = ut_now_ms();
    UT_KR(ut_recv_opt(p, &buf, sizeof(buf), MACH_RCV_TIMEOUT, 60), MACH_RCV_TIMED_OUT);
    elapsed = ut_now_ms() - t0;
    UT_ASSERT(elapsed >= 55);
    UT_ASSERT(elapsed < 5000);

    UT_KR(ut_send(p, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 8), MACH_MSG_SUCCESS);
    UT_KR(ut_recv_opt(p, &buf, sizeof(buf), MACH_RCV_TIMEOUT, 0), MACH_MSG_SUCCESS);
    UT_EQ(buf.h.msgh_id, 8);
    UT_EQ(ut_status(p).mps_msgcount, 0);

    /* A message already queued is returned by a timed receive without waiting. */
    UT_KR(ut_send(p, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 9), MACH_MSG_SUCCESS);
    t0 = ut_now_ms();
    UT_KR(ut_recv_opt(p, &buf, sizeof(buf), MACH_RCV_TIMEOUT, 3000), MACH_MSG_SUCCESS);
    UT_ASSERT(ut_now_ms() - t0 < 1000);
    UT_EQ(buf.h.msgh_id, 9);

    ut_port_destroy(p);
    ut_stats_expect_baseline();
    return ut_pass();
}

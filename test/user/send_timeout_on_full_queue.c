/* SPDX-License-Identifier: MIT
 *
 * MACH_SEND_TIMEOUT on a full queue: with timeout 0 and with a finite
 * timeout the send returns MACH_SEND_TIMED_OUT after about that long, the
 * message is not queued, and every right it carried is the sender's again
 * by Mach's pseudo-receive (a moved send right is back under its name with
 * its urefs; a destination sent COPY_SEND comes back as the copied right,
 * so the sender has one more uref, as in GNU Mach and XNU, and a MOVE_SEND
 * destination's urefs are unchanged).  A send-once message is not held
 * back by the queue limit.
 */
#include "ut_msg.h"

typedef struct {
    mach_msg_header_t h;
    mach_msg_body_t body;
    mach_msg_port_descriptor_t port;
} carry_msg_t;

static mach_msg_return_t
send_carrying(mach_port_name_t dest, mach_port_name_t q, mach_msg_timeout_t timeout)
{
    carry_msg_t m;

    memset(&m, 0, sizeof(m));
    m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
    m.h.msgh_size = sizeof(m);
    m.h.msgh_remote_port = dest;
    m.h.msgh_id = 2;
    m.body.msgh_descriptor_count = 1;
    m.port.name = q;
    m.port.disposition = MACH_MSG_TYPE_MOVE_SEND;
    m.port.type = MACH_MSG_PORT_DESCRIPTOR;
    return mach_msg(&m.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0, MACH_PORT_NULL, timeout,
                    MACH_PORT_NULL);
}

int
main(void)
{
    mach_port_name_t p, q;
    ut_msg_buf_t buf;
    uint64_t t0, elapsed;

    ut_stats_begin();
    p = ut_port_send();
    q = ut_port_send();
    UT_KR(mach_port_set_qlimit(mach_task_self(), p, 1), KERN_SUCCESS);
    UT_KR(ut_send(p, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 1), MACH_MSG_SUCCESS);

    UT_KR(send_carrying(p, q, 0), MACH_SEND_TIMED_OUT);
    UT_EQ(ut_type(q), MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND);
    UT_EQ(ut_refs(q, MACH_PORT_RIGHT_SEND), 1);
    UT_EQ(ut_refs(p, MACH_PORT_RIGHT_SEND), 2); /* the pseudo-received copy */
    UT_KR(mach_port_deallocate(mach_task_self(), p), KERN_SUCCESS);
    UT_EQ(ut_status(p).mps_msgcount, 1);

    t0 = ut_now_ms();
    UT_KR(send_carrying(p, q, 50), MACH_SEND_TIMED_OUT);
    elapsed = ut_now_ms() - t0;
    UT_ASSERT(elapsed >= 45);
    UT_ASSERT(elapsed < 5000);
    UT_EQ(ut_refs(q, MACH_PORT_RIGHT_SEND), 1);
    UT_EQ(ut_status(q).mps_mscount, 1);
    UT_EQ(ut_refs(p, MACH_PORT_RIGHT_SEND), 2);
    UT_KR(mach_port_deallocate(mach_task_self(), p), KERN_SUCCESS);
    UT_EQ(ut_status(p).mps_msgcount, 1);

    /* A plain timed-out send: the destination's urefs stay. */
    UT_KR(ut_send_opt(p, MACH_MSG_TYPE_MOVE_SEND, MACH_PORT_NULL, 0, 3, 0, MACH_SEND_TIMEOUT, 0),
          MACH_SEND_TIMED_OUT);
    UT_EQ(ut_refs(p, MACH_PORT_RIGHT_SEND), 1);

    /* Send-once messages always get in. */
    UT_KR(
        ut_send_opt(p, MACH_MSG_TYPE_MAKE_SEND_ONCE, MACH_PORT_NULL, 0, 4, 0, MACH_SEND_TIMEOUT, 0),
        MACH_MSG_SUCCESS);
    UT_EQ(ut_status(p).mps_msgcount, 2);

    ut_recv(p, &buf);
    UT_EQ(buf.h.msgh_id, 1);
    ut_recv(p, &buf);
    UT_EQ(buf.h.msgh_id, 4);
    /* With room again, the same message goes through. */
    UT_KR(send_carrying(p, q, 0), MACH_MSG_SUCCESS);
    UT_EQ(ut_type(q), MACH_PORT_TYPE_RECEIVE);
    ut_recv(p, &buf);
    UT_EQ(ut_port_desc(&buf.h, 0)->name, q);
    UT_EQ(ut_refs(q, MACH_PORT_RIGHT_SEND), 1);

    ut_port_destroy(q);
    ut_port_destroy(p);
    ut_stats_expect_baseline();
    return ut_pass();
}

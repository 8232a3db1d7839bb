/* SPDX-License-Identifier: MIT
 *
 * Each disposition in msgh_local_port (the reply field) hands the receiver
 * the matching right in msgh_remote_port, with the remote bits telling which:
 * MAKE_SEND, COPY_SEND and MOVE_SEND give MACH_MSG_TYPE_PORT_SEND (in one
 * space a send right joins the name of the receive right), MAKE_SEND_ONCE
 * and MOVE_SEND_ONCE give MACH_MSG_TYPE_PORT_SEND_ONCE under a name of its
 * own, MOVE_RECEIVE gives MACH_MSG_TYPE_PORT_RECEIVE.
 */
#include "ut_msg.h"

static mach_port_name_t d;

/* Send to D with reply Q/RTYPE, receive it; checks the remote bits. */
static mach_port_name_t
round_trip(mach_port_name_t q, mach_msg_type_name_t rtype, mach_msg_type_name_t expect)
{
    ut_msg_buf_t buf;

    UT_KR(ut_send(d, MACH_MSG_TYPE_COPY_SEND, q, rtype, 10), MACH_MSG_SUCCESS);
    ut_recv(d, &buf);
    UT_EQ(buf.h.msgh_bits, MACH_MSGH_BITS(expect, MACH_MSG_TYPE_PORT_SEND));
    UT_EQ(buf.h.msgh_local_port, d);
    UT_ASSERT(MACH_PORT_VALID(buf.h.msgh_remote_port));
    return buf.h.msgh_remote_port;
}

int
main(void)
{
    mach_port_name_t q, so, got;
    ut_msg_buf_t buf;

    ut_stats_begin();
    d = ut_port_send();
    q = ut_port();

    /* MAKE_SEND: the receiver's send right lands on Q's name. */
    UT_EQ(round_trip(q, MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_PORT_SEND), q);
    UT_EQ(ut_type(q), MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND);
    UT_EQ(ut_refs(q, MACH_PORT_RIGHT_SEND), 1);
    UT_EQ(ut_status(q).mps_mscount, 1);

    /* COPY_SEND: one more uref arrives. */
    UT_EQ(round_trip(q, MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_PORT_SEND), q);
    UT_EQ(ut_refs(q, MACH_PORT_RIGHT_SEND), 2);

    /* MOVE_SEND: one uref leaves and comes back. */
    UT_EQ(round_trip(q, MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_PORT_SEND), q);
    UT_EQ(ut_refs(q, MACH_PORT_RIGHT_SEND), 2);
    UT_KR(mach_port_mod_refs(mach_task_self(), q, MACH_PORT_RIGHT_SEND, -2), KERN_SUCCESS);
    UT_EQ(ut_type(q), MACH_PORT_TYPE_RECEIVE);

    /* MAKE_SEND_ONCE: a new name; using it delivers to Q. */
    so = round_trip(q, MACH_MSG_TYPE_MAKE_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND_ONCE);
    UT_ASSERT(so != q);
    UT_EQ(ut_type(so), MACH_PORT_TYPE_SEND_ONCE);
    UT_EQ(ut_status(q).mps_sorights, 1);
    UT_KR(ut_send(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 11), MACH_MSG_SUCCESS);
    ut_recv(q, &buf);
    UT_EQ(buf.h.msgh_bits, MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE));
    UT_EQ(buf.h.msgh_id, 11);

    /* MOVE_SEND_ONCE: the sender's name goes, the receiver gets a new one;
     * deallocating it sends a send-once notification to Q. */
    so = ut_sonce(q);
    got = round_trip(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND_ONCE);
    UT_EQ(ut_type(got), MACH_PORT_TYPE_SEND_ONCE);
    UT_EQ(ut_status(q).mps_sorights, 1);
    UT_KR(mach_port_deallocate(mach_task_self(), got), KERN_SUCCESS);
    UT_EQ(ut_type(got), MACH_PORT_TYPE_NONE);
    ut_expect_notification(q, MACH_NOTIFY_SEND_ONCE, &buf);
    UT_EQ(ut_status(q).mps_sorights, 0);

    /* MOVE_RECEIVE: Q leaves with the message and comes back as a receive right. */
    UT_KR(ut_send(q, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 12), MACH_MSG_SUCCESS);
    got = round_trip(q, MACH_MSG_TYPE_MOVE_RECEIVE, MACH_MSG_TYPE_PORT_RECEIVE);
    UT_EQ(ut_type(got), MACH_PORT_TYPE_RECEIVE);
    if (got != q)
        UT_EQ(ut_type(q), MACH_PORT_TYPE_NONE);
    UT_EQ(ut_status(got).mps_msgcount, 1);
    ut_recv(got, &buf);
    UT_EQ(buf.h.msgh_id, 12);

    ut_port_destroy(got);
    ut_port_destroy(d);
    ut_stats_expect_baseline();
    return ut_pass();
}

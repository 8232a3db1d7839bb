/* SPDX-License-Identifier: MIT
 *
 * Sequence numbers: a port numbers the messages received from it 0, 1, 2 ...
 * as the seqno trailer (MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
 * MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO)) reports, right after the
 * message at msgh_size; mach_port_set_seqno sets the next number; a receive
 * without a trailer still uses a number; receives through a port set number
 * per port.
 */
#include "ut_msg.h"

static const mach_msg_option_t seqno_opt = MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
                                           MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO);

/* Receive on NAME with a seqno trailer; returns the seqno, checks the trailer. */
static mach_port_seqno_t
recv_seqno(mach_port_name_t name, mach_msg_id_t id)
{
    ut_msg_buf_t buf;
    mach_msg_seqno_trailer_t tr;

    memset(&buf, 0, sizeof(buf));
    UT_KR(ut_recv_opt(name, &buf, sizeof(buf), MACH_RCV_TIMEOUT | seqno_opt, 1000),
          MACH_MSG_SUCCESS);
    UT_EQ(buf.h.msgh_id, id);
    UT_EQ(buf.h.msgh_size, sizeof(ut_simple_msg_t));
    memcpy(&tr, buf.bytes + buf.h.msgh_size, sizeof(tr));
    UT_EQ(tr.msgh_trailer_type, MACH_MSG_TRAILER_FORMAT_0);
    UT_EQ(tr.msgh_trailer_size, sizeof(mach_msg_seqno_trailer_t));
    return tr.msgh_seqno;
}

int
main(void)
{
    mach_port_name_t p, q, set;
    ut_msg_buf_t buf;

    ut_stats_begin();
    p = ut_port_send();
    q = ut_port_send();
    UT_EQ(ut_status(p).mps_seqno, 0);

    for (int i = 0; i < 3; i++)
        UT_KR(ut_send(p, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 10 + i), MACH_MSG_SUCCESS);
    UT_EQ(recv_seqno(p, 10), 0);
    UT_EQ(recv_seqno(p, 11), 1);
    UT_EQ(ut_status(p).mps_seqno, 2);
    ut_recv(p, &buf); /* no trailer, still numbered */
    UT_EQ(ut_status(p).mps_seqno, 3);

    UT_KR(mach_port_set_seqno(mach_task_self(), p, 100), KERN_SUCCESS);
    UT_EQ(ut_status(p).mps_seqno, 100);
    UT_KR(ut_send(p, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 20), MACH_MSG_SUCCESS);
    UT_EQ(recv_seqno(p, 20), 100);

    /* Through a set, each member counts its own. */
    UT_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set), KERN_SUCCESS);
    UT_KR(mach_port_move_member(mach_task_self(), p, set), KERN_SUCCESS);
    UT_KR(mach_port_move_member(mach_task_self(), q, set), KERN_SUCCESS);
    UT_KR(ut_send(q, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 30), MACH_MSG_SUCCESS);
    UT_KR(ut_send(p, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 31), MACH_MSG_SUCCESS);
    UT_EQ(recv_seqno(set, 30), 0);
    UT_EQ(recv_seqno(set, 31), 101);

    ut_port_destroy(set);
    ut_port_destroy(p);
    ut_port_destroy(q);
    ut_stats_expect_baseline();
    return ut_pass();
}

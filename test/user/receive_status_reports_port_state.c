/* SPDX-License-Identifier: MIT */
/*
 * mach_port_get_receive_status reports a receive right's state: its set,
 * the sequence number of the next message, the make-send count, the queue
 * limit, the messages queued, the send-once rights, whether send rights
 * exist and which notifications are armed.  set_mscount and set_seqno
 * change the two counters; all three need a receive right.
 */
#include "ut_ports.h"

int
main(void)
{
    mach_port_t self = mach_task_self();
    mach_port_name_t port, notify, pset, so;
    mach_port_status_t st;
    mach_msg_type_name_t t;
    mach_port_t previous;
    ut_msg_t m;

    ut_stats_begin();
    port = ut_port();
    notify = ut_port();

    st = ut_status(port);
    UT_EQ(st.mps_pset, MACH_PORT_NULL);
    UT_EQ(st.mps_seqno, 0);
    UT_EQ(st.mps_mscount, 0);
    UT_EQ(st.mps_qlimit, MACH_PORT_QLIMIT_DEFAULT);
    UT_EQ(st.mps_msgcount, 0);
    UT_EQ(st.mps_sorights, 0);
    UT_EQ(st.mps_srights, FALSE);
    UT_EQ(st.mps_pdrequest, FALSE);
    UT_EQ(st.mps_nsrequest, FALSE);

    /* Rights, messages, a set, notifications. */
    UT_KR(mach_port_insert_right(self, port, port, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
    UT_KR(mach_port_extract_right(self, port, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &t), KERN_SUCCESS);
    UT_KR(ut_send(port, MACH_MSG_TYPE_COPY_SEND, 1), MACH_MSG_SUCCESS);
    UT_KR(ut_send(port, MACH_MSG_TYPE_COPY_SEND, 2), MACH_MSG_SUCCESS);
    UT_KR(mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &pset), KERN_SUCCESS);
    UT_KR(mach_port_move_member(self, port, pset), KERN_SUCCESS);
    ut_notify_request(self, port, MACH_NOTIFY_NO_SENDERS, 0, notify);
    ut_notify_request(self, port, MACH_NOTIFY_PORT_DESTROYED, 0, notify);
    st = ut_status(port);
    UT_EQ(st.mps_pset, pset);
    UT_EQ(st.mps_seqno, 0);
    UT_EQ(st.mps_mscount, 1);
    UT_EQ(st.mps_msgcount, 2);
    UT_EQ(st.mps_sorights, 1);
    UT_EQ(st.mps_srights, TRUE);
    UT_EQ(st.mps_pdrequest, TRUE);
    UT_EQ(st.mps_nsrequest, TRUE);
    UT_EQ(ut_status(notify).mps_sorights, 2);

    /* Out of the set (GNU Mach refuses a receive on a member port). */
    UT_KR(mach_port_move_member(self, port, MACH_PORT_NULL), KERN_SUCCESS);
    UT_EQ(ut_status(port).mps_pset, MACH_PORT_NULL);

    /* A receive advances the sequence number. */
    UT_KR(ut_rcv(port, &m, 0), MACH_MSG_SUCCESS);
    UT_EQ(m.hdr.msgh_id, 1);
    st = ut_status(port);
    UT_EQ(st.mps_seqno, 1);
    UT_EQ(st.mps_msgcount, 1);

    /* set_seqno and set_mscount. */
    UT_KR(mach_port_set_seqno(self, port, 40), KERN_SUCCESS);
    UT_KR(mach_port_set_mscount(self, port, 7), KERN_SUCCESS);
    st = ut_status(port);
    UT_EQ(st.mps_seqno, 40);
    UT_EQ(st.mps_mscount, 7);
    UT_KR(ut_rcv(port, &m, 0), MACH_MSG_SUCCESS);
    UT_EQ(m.hdr.msgh_id, 2);
    UT_EQ(ut_status(port).mps_seqno, 41);
    UT_KR(mach_port_insert_right(self, port, port, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
    UT_EQ(ut_status(port).mps_mscount, 8);

    /* Only on receive rights. */
    UT_KR(mach_port_set_seqno(self, so, 1), KERN_INVALID_RIGHT);
    UT_KR(mach_port_set_mscount(self, pset, 1), KERN_INVALID_RIGHT);
    UT_KR(mach_port_get_receive_status(self, so, &st), KERN_INVALID_RIGHT);
    UT_KR(mach_port_get_receive_status(self, pset, &st), KERN_INVALID_RIGHT);
    UT_KR(mach_port_set_seqno(self, 0xb101u, 1), KERN_INVALID_NAME);

    /* Cancel both requests: the previous send-once rights come back. */
    UT_KR(mach_port_request_notification(self, port, MACH_NOTIFY_NO_SENDERS, 0, MACH_PORT_NULL,
                                         MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous),
          KERN_SUCCESS);
    UT_EQ(ut_type(previous), MACH_PORT_TYPE_SEND_ONCE);
    UT_KR(mach_port_mod_refs(self, previous, MACH_PORT_RIGHT_SEND_ONCE, -1), KERN_SUCCESS);
    UT_KR(mach_port_request_notification(self, port, MACH_NOTIFY_PORT_DESTROYED, 0, MACH_PORT_NULL,
                                         MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous),
          KERN_SUCCESS);
    UT_EQ(ut_type(previous), MACH_PORT_TYPE_SEND_ONCE);
    UT_KR(mach_port_mod_refs(self, previous, MACH_PORT_RIGHT_SEND_ONCE, -1), KERN_SUCCESS);
    st = ut_status(port);
    UT_EQ(st.mps_pdrequest, FALSE);
    UT_EQ(st.mps_nsrequest, FALSE);

    UT_KR(mach_port_destroy(self, so), KERN_SUCCESS);
    UT_KR(mach_port_destroy(self, port), KERN_SUCCESS);
    UT_KR(mach_port_destroy(self, pset), KERN_SUCCESS);
    UT_KR(mach_port_destroy(self, notify), KERN_SUCCESS);
    ut_stats_expect_baseline();
    return ut_pass();
}

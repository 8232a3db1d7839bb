/* SPDX-License-Identifier: MIT */
/*
 * With a port-destroyed request armed, destroying the receive right does
 * not destroy the port: the right travels back in a MACH_NOTIFY_PORT_DESTROYED
 * message (a port descriptor with MOVE_RECEIVE) to the notify port, with
 * its queued messages, make-send count and send rights intact.  The
 * request is used up.
 */
#include "ut_ports.h"

#define C_SEND 0xe101u

int
main(void)
{
    mach_port_t self = mach_task_self();
    mach_port_name_t port, notify, back;
    mach_port_type_t type;
    mach_port_status_t st;
    task_t child;
    ut_msg_t m;

    ut_stats_begin();
    child = ut_child_task();
    port = ut_port();
    notify = ut_port();
    UT_KR(ut_send(port, MACH_MSG_TYPE_MAKE_SEND, 101), MACH_MSG_SUCCESS);
    UT_KR(ut_send(port, MACH_MSG_TYPE_MAKE_SEND, 102), MACH_MSG_SUCCESS);
    UT_KR(mach_port_insert_right(child, C_SEND, port, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);

    ut_notify_request(self, port, MACH_NOTIFY_PORT_DESTROYED, 0, notify);
    UT_EQ(ut_status(port).mps_pdrequest, TRUE);

    UT_KR(mach_port_destroy(self, port), KERN_SUCCESS);
    UT_KR(mach_port_type(self, port, &type), KERN_INVALID_NAME);
    /* The child's send right is still alive. */
    UT_EQ(ut_type_in(child, C_SEND), MACH_PORT_TYPE_SEND);

    UT_KR(ut_rcv(notify, &m, 1000), MACH_MSG_SUCCESS);
    UT_EQ(m.hdr.msgh_id, MACH_NOTIFY_PORT_DESTROYED);
    UT_EQ(m.hdr.msgh_size, sizeof(mach_port_destroyed_notification_t));
    UT_ASSERT(m.hdr.msgh_bits & MACH_MSGH_BITS_COMPLEX);
    UT_EQ(m.hdr.msgh_local_port, notify);
    UT_EQ(m.hdr.msgh_remote_port, MACH_PORT_NULL);
    UT_EQ(m.port_destroyed.not_body.msgh_descriptor_count, 1);
    UT_EQ(m.port_destroyed.not_port.type, MACH_MSG_PORT_DESCRIPTOR);
    UT_EQ(m.port_destroyed.not_port.disposition, MACH_MSG_TYPE_PORT_RECEIVE);
    back = m.port_destroyed.not_port.name;
    UT_ASSERT(MACH_PORT_VALID(back));

    UT_EQ(ut_type(back), MACH_PORT_TYPE_RECEIVE);
    st = ut_status(back);
    UT_EQ(st.mps_msgcount, 2);
    UT_EQ(st.mps_mscount, 3);
    UT_EQ(st.mps_srights, TRUE);
    UT_EQ(st.mps_pdrequest, FALSE);
    UT_EQ(ut_status(notify).mps_sorights, 0);

    /* The queued messages survived, in order. */
    UT_KR(ut_rcv(back, &m, 0), MACH_MSG_SUCCESS);
    UT_EQ(m.hdr.msgh_id, 101);
    UT_KR(ut_rcv(back, &m, 0), MACH_MSG_SUCCESS);
    UT_EQ(m.hdr.msgh_id, 102);
    /* The child can still send to it. */
    UT_KR(mach_port_extract_right(child, C_SEND, MACH_MSG_TYPE_MOVE_SEND, &port,
                                  (mach_msg_type_name_t[]){0}),
          KERN_SUCCESS);
    UT_EQ(port, back);

    /* Without a request, destroying it is final (our send right goes too). */
    UT_KR(mach_port_destroy(self, back), KERN_SUCCESS);
    UT_KR(mach_port_type(self, back, &type), KERN_INVALID_NAME);
    UT_KR(ut_rcv(notify, &m, 0), MACH_RCV_TIMED_OUT);

    UT_KR(mach_port_destroy(self, notify), KERN_SUCCESS);
    ut_child_end(child);
    ut_stats_settle_baseline();
    return ut_pass();
}

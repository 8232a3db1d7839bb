/* SPDX-License-Identifier: MIT */
/*
 * Arming a notification that is already armed replaces the request and
 * hands back the previous send-once right (a right in our space to the old
 * notify port); MACH_PORT_NULL cancels and also hands it back.  The handed
 * back right, deallocated unused, sends its send-once notification to the
 * old notify port.  Unknown notification ids are KERN_INVALID_VALUE.
 */
#include "ut_ports.h"

int
main(void)
{
    mach_port_t self = mach_task_self();
    mach_port_name_t port, n1, n2, send = MACH_PORT_NULL;
    mach_port_t previous;
    mach_msg_type_name_t t;
    task_t child;
    ut_msg_t m;

    ut_stats_begin();
    port = ut_port();
    n1 = ut_port();
    n2 = ut_port();

    /* no-senders (on a receive right). */
    UT_KR(mach_port_insert_right(self, port, port, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
    ut_notify_request(self, port, MACH_NOTIFY_NO_SENDERS, 0, n1);
    UT_KR(mach_port_request_notification(self, port, MACH_NOTIFY_NO_SENDERS, 0, n2,
                                         MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous),
          KERN_SUCCESS);
    UT_ASSERT(MACH_PORT_VALID(previous));
    UT_EQ(ut_type(previous), MACH_PORT_TYPE_SEND_ONCE);
    UT_EQ(ut_status(n1).mps_sorights, 1);
    UT_EQ(ut_status(n2).mps_sorights, 1);
    UT_KR(mach_port_deallocate(self, previous), KERN_SUCCESS);
    UT_KR(ut_rcv(n1, &m, 1000), MACH_MSG_SUCCESS);
    ut_expect_notification(&m, n1, MACH_NOTIFY_SEND_ONCE, sizeof(mach_send_once_notification_t));

    /* The new request is the one that fires. */
    UT_KR(mach_port_deallocate(self, port), KERN_SUCCESS);
    UT_KR(ut_rcv(n2, &m, 1000), MACH_MSG_SUCCESS);
    UT_EQ(m.hdr.msgh_id, MACH_NOTIFY_NO_SENDERS);
    UT_KR(ut_rcv(n1, &m, 0), MACH_RCV_TIMED_OUT);

    /* dead-name (on a send right whose receive right is in a child). */
    child = ut_child_task();
    mach_port_name_t crecv;
    UT_KR(mach_port_allocate(child, MACH_PORT_RIGHT_RECEIVE, &crecv), KERN_SUCCESS);
    UT_KR(mach_port_extract_right(child, crecv, MACH_MSG_TYPE_MAKE_SEND, &send, &t), KERN_SUCCESS);
    ut_notify_request(self, send, MACH_NOTIFY_DEAD_NAME, 0, n1);
    UT_KR(mach_port_request_notification(self, send, MACH_NOTIFY_DEAD_NAME, 0, MACH_PORT_NULL,
                                         MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous),
          KERN_SUCCESS);
    UT_EQ(ut_type(previous), MACH_PORT_TYPE_SEND_ONCE);
    UT_EQ(ut_status(n1).mps_sorights, 1);
    UT_KR(mach_port_deallocate(self, previous), KERN_SUCCESS);
    UT_KR(ut_rcv(n1, &m, 1000), MACH_MSG_SUCCESS);
    UT_EQ(m.hdr.msgh_id, MACH_NOTIFY_SEND_ONCE);
    /* Cancelled: the port dies, no dead-name notification, no extra ref. */
    UT_KR(mach_port_destroy(child, crecv), KERN_SUCCESS);
    UT_EQ(ut_type(send), MACH_PORT_TYPE_DEAD_NAME);
    UT_EQ(ut_refs(send, MACH_PORT_RIGHT_DEAD_NAME), 1);
    UT_KR(ut_rcv(n1, &m, 0), MACH_RCV_TIMED_OUT);

    /* Ids the call does not know. */
    UT_KR(mach_port_request_notification(self, port, MACH_NOTIFY_SEND_ONCE, 0, MACH_PORT_NULL,
                                         MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous),
          KERN_INVALID_VALUE);
    UT_KR(mach_port_request_notification(self, port, 12345, 0, MACH_PORT_NULL,
                                         MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous),
          KERN_INVALID_VALUE);
    /* port-destroyed needs sync 0. */
    UT_KR(mach_port_request_notification(self, port, MACH_NOTIFY_PORT_DESTROYED, 1, MACH_PORT_NULL,
                                         MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous),
          KERN_INVALID_VALUE);

    UT_KR(mach_port_deallocate(self, send), KERN_SUCCESS);
    UT_KR(mach_port_destroy(self, port), KERN_SUCCESS);
    UT_KR(mach_port_destroy(self, n1), KERN_SUCCESS);
    UT_KR(mach_port_destroy(self, n2), KERN_SUCCESS);
    ut_child_end(child);
    ut_stats_settle_baseline();
    return ut_pass();
}

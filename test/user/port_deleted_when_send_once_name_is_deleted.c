/* SPDX-License-Identifier: MIT */
/*
 * A dead-name request on a send-once right's name turns into a port-deleted
 * notification when the name goes away while the port lives: used up by a
 * message, or deallocated (which also sends the right's own send-once
 * notification to its port).  MACH_NOTIFY_PORT_DELETED carries the name.
 */
#include "ut_ports.h"

int
main(void)
{
    mach_port_t self = mach_task_self();
    mach_port_name_t port, notify, so1, so2, send;
    mach_msg_type_name_t t;
    mach_port_type_t type;
    task_t child;
    ut_msg_t m;

    ut_stats_begin();
    port = ut_port();
    notify = ut_port();
    UT_KR(mach_port_extract_right(self, port, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so1, &t),
          KERN_SUCCESS);
    UT_KR(mach_port_extract_right(self, port, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so2, &t),
          KERN_SUCCESS);
    ut_notify_request(self, so1, MACH_NOTIFY_DEAD_NAME, 0, notify);
    ut_notify_request(self, so2, MACH_NOTIFY_DEAD_NAME, 0, notify);

    /* Used by a message: the name goes, port-deleted names it. */
    UT_KR(ut_send(so1, MACH_MSG_TYPE_MOVE_SEND_ONCE, 500), MACH_MSG_SUCCESS);
    UT_KR(mach_port_type(self, so1, &type), KERN_INVALID_NAME);
    UT_KR(ut_rcv(notify, &m, 1000), MACH_MSG_SUCCESS);
    ut_expect_notification(&m, notify, MACH_NOTIFY_PORT_DELETED,
                           sizeof(mach_port_deleted_notification_t));
    UT_EQ(m.port_deleted.not_port, so1);
    UT_KR(ut_rcv(port, &m, 0), MACH_MSG_SUCCESS);
    UT_EQ(m.hdr.msgh_id, 500);

    /* Deallocated: port-deleted to notify, send-once to the port. */
    UT_KR(mach_port_deallocate(self, so2), KERN_SUCCESS);
    UT_KR(ut_rcv(notify, &m, 1000), MACH_MSG_SUCCESS);
    ut_expect_notification(&m, notify, MACH_NOTIFY_PORT_DELETED,
                           sizeof(mach_port_deleted_notification_t));
    UT_EQ(m.port_deleted.not_port, so2);
    UT_KR(ut_rcv(port, &m, 1000), MACH_MSG_SUCCESS);
    ut_expect_notification(&m, port, MACH_NOTIFY_SEND_ONCE, sizeof(mach_send_once_notification_t));

    /* The same for a send right whose last reference goes (receive right in
     * a child task, so the name holds the send right alone). */
    child = ut_child_task();
    mach_port_name_t crecv;
    UT_KR(mach_port_allocate(child, MACH_PORT_RIGHT_RECEIVE, &crecv), KERN_SUCCESS);
    UT_KR(mach_port_extract_right(child, crecv, MACH_MSG_TYPE_MAKE_SEND, &send, &t), KERN_SUCCESS);
    ut_notify_request(self, send, MACH_NOTIFY_DEAD_NAME, 0, notify);
    UT_KR(mach_port_deallocate(self, send), KERN_SUCCESS);
    UT_KR(ut_rcv(notify, &m, 1000), MACH_MSG_SUCCESS);
    ut_expect_notification(&m, notify, MACH_NOTIFY_PORT_DELETED,
                           sizeof(mach_port_deleted_notification_t));
    UT_EQ(m.port_deleted.not_port, send);

    UT_EQ(ut_status(notify).mps_sorights, 0);
    UT_KR(ut_rcv(notify, &m, 0), MACH_RCV_TIMED_OUT);
    UT_KR(mach_port_destroy(self, port), KERN_SUCCESS);
    UT_KR(mach_port_destroy(self, notify), KERN_SUCCESS);
    ut_child_end(child);
    ut_stats_settle_baseline();
    return ut_pass();
}

/* SPDX-License-Identifier: MIT */
/*
 * A dead-name request on a send right fires when the port's receive right
 * is destroyed elsewhere (here in a child task): the notify port receives
 * MACH_NOTIFY_DEAD_NAME carrying our name, and the name has become a dead
 * name holding one extra user reference for the notification.
 */
#include "ut_ports.h"

int
main(void)
{
    mach_port_t self = mach_task_self();
    mach_port_name_t notify, crecv, send;
    mach_msg_type_name_t t;
    mach_port_type_t type;
    task_t child;
    ut_msg_t m;

    ut_stats_begin();
    child = ut_child_task();
    notify = ut_port();
    UT_KR(mach_port_allocate(child, MACH_PORT_RIGHT_RECEIVE, &crecv), KERN_SUCCESS);
    UT_KR(mach_port_extract_right(child, crecv, MACH_MSG_TYPE_MAKE_SEND, &send, &t), KERN_SUCCESS);
    UT_KR(mach_port_mod_refs(self, send, MACH_PORT_RIGHT_SEND, 1), KERN_SUCCESS);
    UT_EQ(ut_type(send), MACH_PORT_TYPE_SEND);

    ut_notify_request(self, send, MACH_NOTIFY_DEAD_NAME, 0, notify);
    UT_EQ(ut_status(notify).mps_sorights, 1);
    UT_KR(ut_rcv(notify, &m, 0), MACH_RCV_TIMED_OUT);

    UT_KR(mach_port_destroy(child, crecv), KERN_SUCCESS);

    UT_KR(ut_rcv(notify, &m, 1000), MACH_MSG_SUCCESS);
    ut_expect_notification(&m, notify, MACH_NOTIFY_DEAD_NAME,
                           sizeof(mach_dead_name_notification_t));
    UT_EQ(m.dead_name.not_port, send);
    UT_EQ(ut_status(notify).mps_sorights, 0);

    /* Two references of ours, one more for the notification. */
    UT_EQ(ut_type(send), MACH_PORT_TYPE_DEAD_NAME);
    UT_EQ(ut_refs(send, MACH_PORT_RIGHT_DEAD_NAME), 3);
    UT_KR(mach_port_mod_refs(self, send, MACH_PORT_RIGHT_DEAD_NAME, -3), KERN_SUCCESS);
    UT_KR(mach_port_type(self, send, &type), KERN_INVALID_NAME);

    /* Once fired, the request is gone: nothing more arrives. */
    UT_KR(ut_rcv(notify, &m, 0), MACH_RCV_TIMED_OUT);
    UT_KR(mach_port_destroy(self, notify), KERN_SUCCESS);
    ut_child_end(child);
    ut_stats_settle_baseline();
    return ut_pass();
}

/* SPDX-License-Identifier: MIT */
/*
 * task_terminate ends a task and destroys its ports: a dead-name request on
 * our send right to the task's port fires (MACH_NOTIFY_DEAD_NAME with that
 * name), the name is a dead name, rights the task held are released
 * (a receive right it had dies, so our send right to that port dies too),
 * and the kernel's task count drops back.
 */
#include "ut_ports.h"

int
main(void)
{
    mach_port_t self = mach_task_self();
    mach_port_name_t notify, crecv, send;
    mach_msg_type_name_t t;
    task_t child;
    ut_msg_t m;

    ut_stats_begin();
    notify = ut_port();
    child = ut_child_task();
    UT_KR(mach_port_allocate(child, MACH_PORT_RIGHT_RECEIVE, &crecv), KERN_SUCCESS);
    UT_KR(mach_port_extract_right(child, crecv, MACH_MSG_TYPE_MAKE_SEND, &send, &t), KERN_SUCCESS);
    ut_notify_request(self, child, MACH_NOTIFY_DEAD_NAME, 0, notify);
    ut_notify_request(self, send, MACH_NOTIFY_DEAD_NAME, 0, notify);

    UT_KR(task_terminate(child), KERN_SUCCESS);

    /* Two dead-name notifications, in either order. */
    int seen_child = 0, seen_send = 0;
    for (int i = 0; i < 2; i++) {
        UT_KR(ut_rcv(notify, &m, 1000), MACH_MSG_SUCCESS);
        ut_expect_notification(&m, notify, MACH_NOTIFY_DEAD_NAME,
                               sizeof(mach_dead_name_notification_t));
        seen_child += m.dead_name.not_port == child;
        seen_send += m.dead_name.not_port == send;
    }
    UT_EQ(seen_child, 1);
    UT_EQ(seen_send, 1);
    UT_KR(ut_rcv(notify, &m, 0), MACH_RCV_TIMED_OUT);

    UT_EQ(ut_type(child), MACH_PORT_TYPE_DEAD_NAME);
    UT_EQ(ut_refs(child, MACH_PORT_RIGHT_DEAD_NAME), 2);
    UT_EQ(ut_type(send), MACH_PORT_TYPE_DEAD_NAME);
    UT_EQ(ut_refs(send, MACH_PORT_RIGHT_DEAD_NAME), 2);
    UT_KR(task_suspend(child), MACH_SEND_INVALID_DEST);

    UT_KR(mach_port_mod_refs(self, child, MACH_PORT_RIGHT_DEAD_NAME, -2), KERN_SUCCESS);
    UT_KR(mach_port_mod_refs(self, send, MACH_PORT_RIGHT_DEAD_NAME, -2), KERN_SUCCESS);
    UT_KR(mach_port_destroy(self, notify), KERN_SUCCESS);
    ut_stats_settle_baseline();
    return ut_pass();
}

/* SPDX-License-Identifier: MIT */
/*
 * A send-once right promises one message.  Destroyed unused (deallocated,
 * or its name destroyed) it sends that message itself: a send-once
 * notification (MACH_NOTIFY_SEND_ONCE, header only) to its port.
 */
#include "ut_ports.h"

int
main(void)
{
    mach_port_t self = mach_task_self();
    mach_port_name_t port, so1, so2;
    mach_msg_type_name_t t;
    ut_msg_t m;

    ut_stats_begin();
    port = ut_port();

    UT_KR(mach_port_extract_right(self, port, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so1, &t),
          KERN_SUCCESS);
    UT_KR(mach_port_extract_right(self, port, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so2, &t),
          KERN_SUCCESS);
    UT_KR(ut_rcv(port, &m, 0), MACH_RCV_TIMED_OUT);

    UT_KR(mach_port_deallocate(self, so1), KERN_SUCCESS);
    UT_EQ(ut_status(port).mps_msgcount, 1);
    UT_KR(ut_rcv(port, &m, 1000), MACH_MSG_SUCCESS);
    ut_expect_notification(&m, port, MACH_NOTIFY_SEND_ONCE, sizeof(mach_send_once_notification_t));

    UT_KR(mach_port_destroy(self, so2), KERN_SUCCESS);
    UT_KR(ut_rcv(port, &m, 1000), MACH_MSG_SUCCESS);
    ut_expect_notification(&m, port, MACH_NOTIFY_SEND_ONCE, sizeof(mach_send_once_notification_t));

    UT_EQ(ut_status(port).mps_sorights, 0);
    UT_KR(ut_rcv(port, &m, 0), MACH_RCV_TIMED_OUT);
    UT_KR(mach_port_destroy(self, port), KERN_SUCCESS);
    ut_stats_expect_baseline();
    return ut_pass();
}

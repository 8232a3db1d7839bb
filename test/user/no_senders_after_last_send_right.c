/* SPDX-License-Identifier: MIT */
/*
 * A no-senders request fires when the port's last send right goes away,
 * wherever the send rights were (here in our space and in a child task's),
 * and carries the port's make-send count.  While any send right remains,
 * nothing is sent; once sent, the request is disarmed.
 */
#include "ut_ports.h"

#define C_SEND 0xd101u

int
main(void)
{
    mach_port_t self = mach_task_self();
    mach_port_name_t port, notify;
    task_t child;
    ut_msg_t m;

    ut_stats_begin();
    child = ut_child_task();
    port = ut_port_send(); /* make-send count 1 */
    UT_KR(mach_port_insert_right(self, port, port, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
    UT_KR(mach_port_insert_right(child, C_SEND, port, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
    notify = ut_port();

    ut_notify_request(self, port, MACH_NOTIFY_NO_SENDERS, 0, notify);
    UT_EQ(ut_status(port).mps_nsrequest, TRUE);
    UT_KR(ut_rcv(notify, &m, 0), MACH_RCV_TIMED_OUT);

    /* Our two references go: the child's right remains. */
    UT_KR(mach_port_deallocate(self, port), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(self, port), KERN_SUCCESS);
    UT_EQ(ut_type(port), MACH_PORT_TYPE_RECEIVE);
    UT_KR(ut_rcv(notify, &m, 0), MACH_RCV_TIMED_OUT);
    UT_EQ(ut_status(port).mps_srights, TRUE);

    /* The child's goes: no more senders. */
    UT_KR(mach_port_deallocate(child, C_SEND), KERN_SUCCESS);
    UT_KR(ut_rcv(notify, &m, 1000), MACH_MSG_SUCCESS);
    ut_expect_notification(&m, notify, MACH_NOTIFY_NO_SENDERS,
                           sizeof(mach_no_senders_notification_t));
    UT_EQ(m.no_senders.not_count, 3);
    mach_port_status_t st = ut_status(port);
    UT_EQ(st.mps_srights, FALSE);
    UT_EQ(st.mps_nsrequest, FALSE);
    UT_EQ(st.mps_mscount, 3);

    /* Disarmed: a new send right coming and going sends nothing. */
    UT_KR(mach_port_insert_right(self, port, port, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(self, port), KERN_SUCCESS);
    UT_KR(ut_rcv(notify, &m, 0), MACH_RCV_TIMED_OUT);

    /* Armed again while there are no senders and sync 0 <= mscount: at once. */
    ut_notify_request(self, port, MACH_NOTIFY_NO_SENDERS, 0, notify);
    UT_KR(ut_rcv(notify, &m, 0), MACH_MSG_SUCCESS);
    UT_EQ(m.hdr.msgh_id, MACH_NOTIFY_NO_SENDERS);
    UT_EQ(m.no_senders.not_count, 4);

    UT_KR(mach_port_destroy(self, port), KERN_SUCCESS);
    UT_KR(mach_port_destroy(self, notify), KERN_SUCCESS);
    ut_child_end(child);
    ut_stats_settle_baseline();
    return ut_pass();
}

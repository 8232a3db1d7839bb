/* SPDX-License-Identifier: MIT */
/*
 * A no-senders request on a port that has no send rights is answered at
 * once if the make-send count has reached sync (sync <= mscount); with a
 * larger sync it waits until send rights have been made up to sync and
 * have all gone again.
 */
#include "ut_ports.h"

int
main(void)
{
    mach_port_t self = mach_task_self();
    mach_port_name_t port, notify;
    ut_msg_t m;

    ut_stats_begin();
    port = ut_port();
    notify = ut_port();

    /* mscount 0, sync 0: at once, with count 0. */
    ut_notify_request(self, port, MACH_NOTIFY_NO_SENDERS, 0, notify);
    UT_KR(ut_rcv(notify, &m, 1000), MACH_MSG_SUCCESS);
    ut_expect_notification(&m, notify, MACH_NOTIFY_NO_SENDERS,
                           sizeof(mach_no_senders_notification_t));
    UT_EQ(m.no_senders.not_count, 0);
    UT_EQ(ut_status(port).mps_nsrequest, FALSE);

    /* One send right made and gone: mscount 1.  sync 2 is not reached. */
    UT_KR(mach_port_insert_right(self, port, port, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(self, port), KERN_SUCCESS);
    ut_notify_request(self, port, MACH_NOTIFY_NO_SENDERS, 2, notify);
    UT_KR(ut_rcv(notify, &m, 0), MACH_RCV_TIMED_OUT);
    UT_EQ(ut_status(port).mps_nsrequest, TRUE);

    /* A second send right (mscount 2) and its end: now it fires. */
    UT_KR(mach_port_insert_right(self, port, port, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
    UT_KR(ut_rcv(notify, &m, 0), MACH_RCV_TIMED_OUT);
    UT_KR(mach_port_deallocate(self, port), KERN_SUCCESS);
    UT_KR(ut_rcv(notify, &m, 1000), MACH_MSG_SUCCESS);
    ut_expect_notification(&m, notify, MACH_NOTIFY_NO_SENDERS,
                           sizeof(mach_no_senders_notification_t));
    UT_EQ(m.no_senders.not_count, 2);

    /* sync equal to mscount with no senders: at once again. */
    ut_notify_request(self, port, MACH_NOTIFY_NO_SENDERS, 2, notify);
    UT_KR(ut_rcv(notify, &m, 1000), MACH_MSG_SUCCESS);
    UT_EQ(m.hdr.msgh_id, MACH_NOTIFY_NO_SENDERS);
    UT_EQ(m.no_senders.not_count, 2);

    UT_KR(ut_rcv(notify, &m, 0), MACH_RCV_TIMED_OUT);
    UT_KR(mach_port_destroy(self, port), KERN_SUCCESS);
    UT_KR(mach_port_destroy(self, notify), KERN_SUCCESS);
    ut_stats_expect_baseline();
    return ut_pass();
}

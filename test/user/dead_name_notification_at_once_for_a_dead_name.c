/* SPDX-License-Identifier: MIT */
/*
 * A dead-name request on a name that is already dead is sent at once when
 * sync is non-zero (with an extra user reference on the dead name for the
 * notification) and refused with KERN_INVALID_RIGHT when sync is zero, in
 * which case the send-once right is not consumed.
 */
#include "ut_ports.h"

int
main(void)
{
    mach_port_t self = mach_task_self();
    mach_port_name_t notify, dead;
    mach_port_t previous = 0x5a5au;
    mach_port_type_t type;
    ut_msg_t m;

    ut_stats_begin();
    notify = ut_port();
    UT_KR(mach_port_allocate(self, MACH_PORT_RIGHT_DEAD_NAME, &dead), KERN_SUCCESS);

    UT_KR(mach_port_request_notification(self, dead, MACH_NOTIFY_DEAD_NAME, 0, notify,
                                         MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous),
          KERN_INVALID_RIGHT);
    UT_EQ(previous, 0x5a5au);
    UT_EQ(ut_refs(dead, MACH_PORT_RIGHT_DEAD_NAME), 1);
    /* The refused request's send-once right was destroyed, not kept: its
     * send-once notification travels on the right itself, which exists
     * until the notification is received (classic Mach). */
    UT_KR(ut_rcv(notify, &m, 1000), MACH_MSG_SUCCESS);
    UT_EQ(m.hdr.msgh_id, MACH_NOTIFY_SEND_ONCE);
    UT_EQ(ut_status(notify).mps_sorights, 0);

    ut_notify_request(self, dead, MACH_NOTIFY_DEAD_NAME, 1, notify);
    UT_KR(ut_rcv(notify, &m, 1000), MACH_MSG_SUCCESS);
    ut_expect_notification(&m, notify, MACH_NOTIFY_DEAD_NAME,
                           sizeof(mach_dead_name_notification_t));
    UT_EQ(m.dead_name.not_port, dead);
    UT_EQ(ut_refs(dead, MACH_PORT_RIGHT_DEAD_NAME), 2);

    UT_KR(mach_port_mod_refs(self, dead, MACH_PORT_RIGHT_DEAD_NAME, -2), KERN_SUCCESS);
    UT_KR(mach_port_type(self, dead, &type), KERN_INVALID_NAME);
    UT_KR(ut_rcv(notify, &m, 0), MACH_RCV_TIMED_OUT);
    UT_KR(mach_port_destroy(self, notify), KERN_SUCCESS);
    ut_stats_expect_baseline();
    return ut_pass();
}

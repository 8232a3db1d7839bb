/* SPDX-License-Identifier: MIT */
/*
 * A send-once right never shares a name: each one made from a receive right
 * gets a new name of type SEND_ONCE with exactly one reference (mod_refs
 * takes only 0 or -1), and the port counts them in mps_sorights.
 */
#include "ut_ports.h"

int
main(void)
{
    mach_port_t self = mach_task_self();
    mach_port_name_t port, so1, so2;
    mach_msg_type_name_t t1, t2;
    mach_port_type_t type;
    ut_msg_t m;

    ut_stats_begin();
    port = ut_port_send();

    UT_KR(mach_port_extract_right(self, port, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so1, &t1),
          KERN_SUCCESS);
    UT_KR(mach_port_extract_right(self, port, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so2, &t2),
          KERN_SUCCESS);
    UT_EQ(t1, MACH_MSG_TYPE_PORT_SEND_ONCE);
    UT_EQ(t2, MACH_MSG_TYPE_PORT_SEND_ONCE);
    UT_ASSERT(MACH_PORT_VALID(so1) && MACH_PORT_VALID(so2));
    UT_ASSERT(so1 != port && so2 != port && so1 != so2);

    UT_EQ(ut_type(so1), MACH_PORT_TYPE_SEND_ONCE);
    UT_EQ(ut_refs(so1, MACH_PORT_RIGHT_SEND_ONCE), 1);
    UT_EQ(ut_refs(so1, MACH_PORT_RIGHT_SEND), 0);
    UT_EQ(ut_type(port), MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND);
    UT_EQ(ut_refs(port, MACH_PORT_RIGHT_SEND), 1);
    UT_EQ(ut_status(port).mps_sorights, 2);
    UT_EQ(ut_status(port).mps_mscount, 1); /* send-once rights are not counted here */

    /* One reference, always. */
    UT_KR(mach_port_mod_refs(self, so1, MACH_PORT_RIGHT_SEND_ONCE, 1), KERN_INVALID_VALUE);
    UT_KR(mach_port_mod_refs(self, so1, MACH_PORT_RIGHT_SEND, 1), KERN_INVALID_RIGHT);
    UT_KR(mach_port_mod_refs(self, so1, MACH_PORT_RIGHT_SEND_ONCE, 0), KERN_SUCCESS);
    UT_EQ(ut_refs(so1, MACH_PORT_RIGHT_SEND_ONCE), 1);

    /* Using one consumes it: the name is gone, the message arrives.  The
     * right travels in the message until it is received (classic Mach). */
    UT_KR(ut_send(so1, MACH_MSG_TYPE_MOVE_SEND_ONCE, 4242), MACH_MSG_SUCCESS);
    UT_KR(mach_port_type(self, so1, &type), KERN_INVALID_NAME);
    UT_EQ(ut_status(port).mps_sorights, 2);
    UT_KR(ut_rcv(port, &m, 0), MACH_MSG_SUCCESS);
    UT_EQ(m.hdr.msgh_id, 4242);
    UT_EQ(ut_status(port).mps_sorights, 1);

    /* mod_refs -1 destroys the other (its send-once notification goes to
     * the port on that right: see
     * send_once_notification_when_right_is_destroyed_unused). */
    UT_KR(mach_port_mod_refs(self, so2, MACH_PORT_RIGHT_SEND_ONCE, -1), KERN_SUCCESS);
    UT_KR(mach_port_type(self, so2, &type), KERN_INVALID_NAME);
    UT_KR(ut_rcv(port, &m, 0), MACH_MSG_SUCCESS);
    UT_EQ(m.hdr.msgh_id, MACH_NOTIFY_SEND_ONCE);
    UT_EQ(ut_status(port).mps_sorights, 0);

    UT_KR(mach_port_destroy(self, port), KERN_SUCCESS);
    ut_stats_expect_baseline();
    return ut_pass();
}

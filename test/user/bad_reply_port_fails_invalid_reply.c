/* SPDX-License-Identifier: MIT
 *
 * MACH_SEND_INVALID_REPLY when msgh_local_port names no right its
 * disposition can take (an unknown name, a receive right sent COPY_SEND, a
 * send right sent MAKE_SEND_ONCE, a port set, a dead name sent MOVE_RECEIVE),
 * and MACH_SEND_INVALID_HEADER when the reply disposition is not a port
 * disposition at all.  Either way the destination's moved send right is
 * still the sender's and nothing is queued.
 */
#include "ut_msg.h"

int
main(void)
{
    mach_port_name_t dest, r, set, dead;
    unsigned names;

    ut_stats_begin();
    dest = ut_port_send();
    r = ut_port();
    dead = ut_port_send();
    UT_KR(mach_port_mod_refs(mach_task_self(), dead, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
    UT_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set), KERN_SUCCESS);
    names = ut_names();

    UT_KR(ut_send(dest, MACH_MSG_TYPE_MOVE_SEND, 0x7654321, MACH_MSG_TYPE_MAKE_SEND_ONCE, 1),
          MACH_SEND_INVALID_REPLY);
    UT_KR(ut_send(dest, MACH_MSG_TYPE_MOVE_SEND, r, MACH_MSG_TYPE_COPY_SEND, 1),
          MACH_SEND_INVALID_REPLY);
    UT_KR(ut_send(dest, MACH_MSG_TYPE_MOVE_SEND, r, MACH_MSG_TYPE_MOVE_SEND_ONCE, 1),
          MACH_SEND_INVALID_REPLY);
    UT_KR(ut_send(dest, MACH_MSG_TYPE_MOVE_SEND, set, MACH_MSG_TYPE_MAKE_SEND, 1),
          MACH_SEND_INVALID_REPLY);
    UT_KR(ut_send(dest, MACH_MSG_TYPE_MOVE_SEND, dead, MACH_MSG_TYPE_MOVE_RECEIVE, 1),
          MACH_SEND_INVALID_REPLY);

    UT_KR(ut_send(dest, MACH_MSG_TYPE_MOVE_SEND, r, 0, 1), MACH_SEND_INVALID_HEADER);
    UT_KR(ut_send(dest, MACH_MSG_TYPE_MOVE_SEND, r, MACH_MSG_TYPE_COPY_RECEIVE, 1),
          MACH_SEND_INVALID_HEADER);
    UT_KR(ut_send(dest, MACH_MSG_TYPE_MOVE_SEND, r, 14, 1), MACH_SEND_INVALID_HEADER);

    UT_EQ(ut_refs(dest, MACH_PORT_RIGHT_SEND), 1);
    UT_EQ(ut_status(dest).mps_msgcount, 0);
    UT_EQ(ut_status(r).mps_mscount, 0);
    UT_EQ(ut_status(r).mps_sorights, 0);
    UT_EQ(ut_refs(dead, MACH_PORT_RIGHT_DEAD_NAME), 1);
    UT_EQ(ut_names(), names);

    UT_KR(mach_port_deallocate(mach_task_self(), dead), KERN_SUCCESS);
    ut_port_destroy(set);
    ut_port_destroy(r);
    ut_port_destroy(dest);
    ut_stats_expect_baseline();
    return ut_pass();
}

/* SPDX-License-Identifier: MIT
 *
 * Sending to a dead name fails with MACH_SEND_INVALID_DEST whatever the
 * disposition, and changes nothing: the dead name keeps its user
 * references, and a send right the message would have moved is still the
 * sender's.
 */
#include "ut_msg.h"

int
main(void)
{
    mach_port_name_t dead, q;
    unsigned names;

    ut_stats_begin();
    dead = ut_port_send();
    UT_KR(mach_port_mod_refs(mach_task_self(), dead, MACH_PORT_RIGHT_SEND, 1), KERN_SUCCESS);
    UT_KR(mach_port_mod_refs(mach_task_self(), dead, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
    UT_EQ(ut_type(dead), MACH_PORT_TYPE_DEAD_NAME);
    UT_EQ(ut_refs(dead, MACH_PORT_RIGHT_DEAD_NAME), 2);
    q = ut_port_send();
    names = ut_names();

    UT_KR(ut_send(dead, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 1), MACH_SEND_INVALID_DEST);
    UT_KR(ut_send(dead, MACH_MSG_TYPE_MOVE_SEND, MACH_PORT_NULL, 0, 1), MACH_SEND_INVALID_DEST);
    UT_KR(ut_send(dead, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 1),
          MACH_SEND_INVALID_DEST);
    UT_KR(ut_send(dead, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 1), MACH_SEND_INVALID_DEST);
    UT_EQ(ut_refs(dead, MACH_PORT_RIGHT_DEAD_NAME), 2);

    /* With rights in the message: reply and descriptor both stay. */
    UT_KR(ut_send(dead, MACH_MSG_TYPE_COPY_SEND, q, MACH_MSG_TYPE_MOVE_SEND, 1),
          MACH_SEND_INVALID_DEST);
    UT_KR(ut_send_port(dead, q, MACH_MSG_TYPE_MOVE_SEND, 1), MACH_SEND_INVALID_DEST);
    UT_KR(ut_send_port(dead, q, MACH_MSG_TYPE_MOVE_RECEIVE, 1), MACH_SEND_INVALID_DEST);
    UT_EQ(ut_type(q), MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND);
    UT_EQ(ut_refs(q, MACH_PORT_RIGHT_SEND), 1);
    UT_EQ(ut_refs(dead, MACH_PORT_RIGHT_DEAD_NAME), 2);
    UT_EQ(ut_names(), names);

    UT_KR(mach_port_mod_refs(mach_task_self(), dead, MACH_PORT_RIGHT_DEAD_NAME, -2), KERN_SUCCESS);
    ut_port_destroy(q);
    ut_stats_expect_baseline();
    return ut_pass();
}

/* SPDX-License-Identifier: MIT
 *
 * MACH_SEND_INVALID_DEST for a destination that names no usable right:
 * MACH_PORT_NULL, MACH_PORT_DEAD, a name not in the space, a receive right
 * without send rights sent COPY_SEND or MOVE_SEND, a port set, and a
 * send-once right sent MAKE_SEND_ONCE.  Nothing in the space changes.
 */
#include "ut_msg.h"

int
main(void)
{
    mach_port_name_t r, set, q, so;
    unsigned names;

    ut_stats_begin();
    r = ut_port();
    q = ut_port_send();
    so = ut_sonce(r);
    UT_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set), KERN_SUCCESS);
    names = ut_names();

    UT_KR(ut_send(MACH_PORT_NULL, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 1),
          MACH_SEND_INVALID_DEST);
    UT_KR(ut_send(MACH_PORT_DEAD, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 1),
          MACH_SEND_INVALID_DEST);
    UT_KR(ut_send(0x7654321, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 1),
          MACH_SEND_INVALID_DEST);
    UT_KR(ut_send(r, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 1), MACH_SEND_INVALID_DEST);
    UT_KR(ut_send(r, MACH_MSG_TYPE_MOVE_SEND, MACH_PORT_NULL, 0, 1), MACH_SEND_INVALID_DEST);
    UT_KR(ut_send(set, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 1), MACH_SEND_INVALID_DEST);
    UT_KR(ut_send(set, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 1), MACH_SEND_INVALID_DEST);
    UT_KR(ut_send(so, MACH_MSG_TYPE_MAKE_SEND_ONCE, MACH_PORT_NULL, 0, 1), MACH_SEND_INVALID_DEST);

    /* The reply's right stays where it was. */
    UT_KR(ut_send(MACH_PORT_NULL, MACH_MSG_TYPE_COPY_SEND, q, MACH_MSG_TYPE_MOVE_SEND, 1),
          MACH_SEND_INVALID_DEST);
    UT_KR(ut_send(0x7654321, MACH_MSG_TYPE_COPY_SEND, so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 1),
          MACH_SEND_INVALID_DEST);
    UT_EQ(ut_refs(q, MACH_PORT_RIGHT_SEND), 1);
    UT_EQ(ut_type(so), MACH_PORT_TYPE_SEND_ONCE);
    UT_EQ(ut_type(r), MACH_PORT_TYPE_RECEIVE);
    UT_EQ(ut_status(r).mps_msgcount, 0);
    UT_EQ(ut_status(r).mps_mscount, 0);
    UT_EQ(ut_names(), names);

    UT_KR(ut_send(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 2), MACH_MSG_SUCCESS);
    ut_port_destroy(set);
    ut_port_destroy(q);
    ut_port_destroy(r);
    ut_stats_expect_baseline();
    return ut_pass();
}

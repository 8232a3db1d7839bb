/* SPDX-License-Identifier: MIT
 *
 * MACH_MSG_TYPE_MOVE_SEND in msgh_remote_port takes one user reference from
 * the sender's name; moving the last one removes the send right from the
 * name (the receive right stays).  The port still has senders while the
 * messages are queued, and none once they are received.
 */
#include "ut_msg.h"

int
main(void)
{
    mach_port_name_t p;
    ut_msg_buf_t buf;

    ut_stats_begin();
    p = ut_port_send();
    UT_KR(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_SEND, 1), KERN_SUCCESS);
    UT_EQ(ut_refs(p, MACH_PORT_RIGHT_SEND), 2);

    UT_KR(ut_send(p, MACH_MSG_TYPE_MOVE_SEND, MACH_PORT_NULL, 0, 1), MACH_MSG_SUCCESS);
    UT_EQ(ut_refs(p, MACH_PORT_RIGHT_SEND), 1);
    UT_KR(ut_send(p, MACH_MSG_TYPE_MOVE_SEND, MACH_PORT_NULL, 0, 2), MACH_MSG_SUCCESS);
    UT_EQ(ut_type(p), MACH_PORT_TYPE_RECEIVE);
    UT_EQ(ut_refs(p, MACH_PORT_RIGHT_SEND), 0);
    UT_EQ(ut_status(p).mps_srights, TRUE); /* the queued messages hold them */
    UT_EQ(ut_status(p).mps_msgcount, 2);

    /* Nothing left to move. */
    UT_KR(ut_send(p, MACH_MSG_TYPE_MOVE_SEND, MACH_PORT_NULL, 0, 3), MACH_SEND_INVALID_DEST);

    ut_recv(p, &buf);
    UT_EQ(buf.h.msgh_bits, MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND));
    UT_EQ(buf.h.msgh_id, 1);
    UT_EQ(buf.h.msgh_local_port, p);
    ut_recv(p, &buf);
    UT_EQ(buf.h.msgh_id, 2);
    UT_EQ(ut_type(p), MACH_PORT_TYPE_RECEIVE);
    UT_EQ(ut_status(p).mps_srights, FALSE);
    UT_EQ(ut_status(p).mps_msgcount, 0);

    ut_port_destroy(p);
    ut_stats_expect_baseline();
    return ut_pass();
}

/* SPDX-License-Identifier: MIT
 *
 * MACH_MSG_TYPE_MAKE_SEND in msgh_remote_port makes a send right from the
 * sender's receive right for the message only: the make-send count rises by
 * one per message, the sender's name gains no send right, and the receiver
 * sees MACH_MSG_TYPE_PORT_SEND.  MAKE_SEND needs the receive right.
 */
#include "ut_msg.h"

int
main(void)
{
    mach_port_name_t p, s, c;
    ut_msg_buf_t buf;

    ut_stats_begin();
    p = ut_port();
    UT_EQ(ut_status(p).mps_mscount, 0);
    UT_EQ(ut_status(p).mps_srights, FALSE);

    UT_KR(ut_send(p, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 1), MACH_MSG_SUCCESS);
    UT_EQ(ut_status(p).mps_mscount, 1);
    UT_EQ(ut_type(p), MACH_PORT_TYPE_RECEIVE);
    UT_EQ(ut_status(p).mps_srights, TRUE);
    UT_KR(ut_send(p, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 2), MACH_MSG_SUCCESS);
    UT_EQ(ut_status(p).mps_mscount, 2);

    ut_recv(p, &buf);
    UT_EQ(buf.h.msgh_bits, MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND));
    UT_EQ(buf.h.msgh_local_port, p);
    ut_recv(p, &buf);
    UT_EQ(buf.h.msgh_id, 2);
    UT_EQ(ut_status(p).mps_mscount, 2);
    UT_EQ(ut_status(p).mps_srights, FALSE);
    UT_EQ(ut_type(p), MACH_PORT_TYPE_RECEIVE);

    /* A send right alone cannot make send rights: park S's receive right in
     * a message queued on C, leaving only the send right under S. */
    c = ut_port_send();
    s = ut_port_send();
    UT_KR(ut_send_port(c, s, MACH_MSG_TYPE_MOVE_RECEIVE, 9), MACH_MSG_SUCCESS);
    UT_EQ(ut_type(s), MACH_PORT_TYPE_SEND);
    UT_KR(ut_send(s, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 3), MACH_SEND_INVALID_DEST);
    UT_KR(ut_send(s, MACH_MSG_TYPE_MAKE_SEND_ONCE, MACH_PORT_NULL, 0, 3), MACH_SEND_INVALID_DEST);
    UT_EQ(ut_refs(s, MACH_PORT_RIGHT_SEND), 1);
    /* Destroying C destroys the parked receive right: S becomes a dead name. */
    ut_port_destroy(c);
    UT_EQ(ut_type(s), MACH_PORT_TYPE_DEAD_NAME);
    UT_KR(mach_port_deallocate(mach_task_self(), s), KERN_SUCCESS);

    ut_port_destroy(p);
    ut_stats_expect_baseline();
    return ut_pass();
}

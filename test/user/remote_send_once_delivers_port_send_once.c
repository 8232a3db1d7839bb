/* SPDX-License-Identifier: MIT
 *
 * MACH_MSG_TYPE_MAKE_SEND_ONCE and MACH_MSG_TYPE_MOVE_SEND_ONCE in
 * msgh_remote_port: the receiver sees MACH_MSG_TYPE_PORT_SEND_ONCE; making
 * one adds no name to the sender's space, moving one removes its name; the
 * port counts the send-once right while the message is queued and not after
 * the receive has used it up.  A send-once right cannot be copied.
 */
#include "ut_msg.h"

int
main(void)
{
    mach_port_name_t p, so;
    ut_msg_buf_t buf;
    unsigned names;

    ut_stats_begin();
    p = ut_port();
    names = ut_names();

    UT_KR(ut_send(p, MACH_MSG_TYPE_MAKE_SEND_ONCE, MACH_PORT_NULL, 0, 1), MACH_MSG_SUCCESS);
    UT_EQ(ut_names(), names);
    UT_EQ(ut_type(p), MACH_PORT_TYPE_RECEIVE);
    UT_EQ(ut_status(p).mps_sorights, 1);
    ut_recv(p, &buf);
    UT_EQ(buf.h.msgh_bits, MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE));
    UT_EQ(buf.h.msgh_local_port, p);
    UT_EQ(buf.h.msgh_id, 1);
    UT_EQ(ut_status(p).mps_sorights, 0);

    so = ut_sonce(p);
    UT_EQ(ut_type(so), MACH_PORT_TYPE_SEND_ONCE);
    UT_EQ(ut_refs(so, MACH_PORT_RIGHT_SEND_ONCE), 1);
    UT_EQ(ut_status(p).mps_sorights, 1);
    UT_EQ(ut_names(), names + 1);

    /* Copying or moving it as a send right is refused, and changes nothing. */
    UT_KR(ut_send(so, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 2), MACH_SEND_INVALID_DEST);
    UT_KR(ut_send(so, MACH_MSG_TYPE_MOVE_SEND, MACH_PORT_NULL, 0, 2), MACH_SEND_INVALID_DEST);
    UT_EQ(ut_type(so), MACH_PORT_TYPE_SEND_ONCE);

    UT_KR(ut_send(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 3), MACH_MSG_SUCCESS);
    UT_EQ(ut_type(so), MACH_PORT_TYPE_NONE);
    UT_EQ(ut_names(), names);
    UT_EQ(ut_status(p).mps_sorights, 1);
    UT_KR(ut_send(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 4), MACH_SEND_INVALID_DEST);

    ut_recv(p, &buf);
    UT_EQ(buf.h.msgh_bits, MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE));
    UT_EQ(buf.h.msgh_id, 3);
    UT_EQ(ut_status(p).mps_sorights, 0);
    ut_expect_empty(p);

    ut_port_destroy(p);
    ut_stats_expect_baseline();
    return ut_pass();
}

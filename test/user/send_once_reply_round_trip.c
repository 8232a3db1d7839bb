/* SPDX-License-Identifier: MIT
 *
 * The classic request/reply exchange on a send-once right: the client sends
 * with MAKE_SEND_ONCE of its reply port, the server finds a send-once right
 * (one reference, its own name) in msgh_remote_port and answers by moving it;
 * the right is then gone from the server, cannot be used twice, and the
 * client's reply port counts no send-once rights once the reply is in.
 */
#include "ut_msg.h"

int
main(void)
{
    mach_port_name_t srv, rp, so;
    ut_msg_buf_t buf;
    ut_simple_msg_t *got = (ut_simple_msg_t *)&buf;

    ut_stats_begin();
    srv = ut_port_send();
    rp = ut_port();

    /* Client. */
    UT_KR(
        ut_send_opt(srv, MACH_MSG_TYPE_COPY_SEND, rp, MACH_MSG_TYPE_MAKE_SEND_ONCE, 400, 21, 0, 0),
        MACH_MSG_SUCCESS);
    UT_EQ(ut_status(rp).mps_sorights, 1);
    UT_EQ(ut_type(rp), MACH_PORT_TYPE_RECEIVE);

    /* Server. */
    ut_recv(srv, &buf);
    UT_EQ(buf.h.msgh_bits, MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND));
    UT_EQ(buf.h.msgh_id, 400);
    so = buf.h.msgh_remote_port;
    UT_ASSERT(MACH_PORT_VALID(so) && so != rp && so != srv);
    UT_EQ(ut_type(so), MACH_PORT_TYPE_SEND_ONCE);
    UT_EQ(ut_refs(so, MACH_PORT_RIGHT_SEND_ONCE), 1);
    UT_KR(ut_send_opt(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 500, got->data[0] * 2, 0,
                      0),
          MACH_MSG_SUCCESS);
    UT_EQ(ut_type(so), MACH_PORT_TYPE_NONE);
    UT_KR(ut_send(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 500),
          MACH_SEND_INVALID_DEST);

    /* Client. */
    ut_recv(rp, &buf);
    UT_EQ(buf.h.msgh_bits, MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE));
    UT_EQ(buf.h.msgh_local_port, rp);
    UT_EQ(buf.h.msgh_remote_port, MACH_PORT_NULL);
    UT_EQ(buf.h.msgh_id, 500);
    UT_EQ(got->data[0], 42);
    UT_EQ(ut_status(rp).mps_sorights, 0);
    ut_expect_empty(rp);

    ut_port_destroy(rp);
    ut_port_destroy(srv);
    ut_stats_expect_baseline();
    return ut_pass();
}

/* SPDX-License-Identifier: MIT
 *
 * A message sent with MACH_MSG_TYPE_COPY_SEND in msgh_remote_port leaves the
 * sender's user references as they were; the receiver sees the destination
 * as MACH_MSG_TYPE_PORT_SEND in the local bits, the receive right's name in
 * msgh_local_port, no reply, the size it was sent with, and its data.
 */
#include "ut_msg.h"

int
main(void)
{
    mach_port_name_t p;
    ut_msg_buf_t buf;
    ut_simple_msg_t *got = (ut_simple_msg_t *)&buf;

    ut_stats_begin();
    p = ut_port_send();
    UT_EQ(ut_refs(p, MACH_PORT_RIGHT_SEND), 1);

    UT_KR(ut_send_opt(p, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 1234, 0xfeedface, 0, 0),
          MACH_MSG_SUCCESS);
    UT_EQ(ut_refs(p, MACH_PORT_RIGHT_SEND), 1);
    UT_EQ(ut_status(p).mps_msgcount, 1);
    UT_EQ(ut_status(p).mps_mscount, 1);

    ut_recv(p, &buf);
    UT_EQ(buf.h.msgh_bits, MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND));
    UT_EQ(buf.h.msgh_size, sizeof(ut_simple_msg_t));
    UT_EQ(buf.h.msgh_remote_port, MACH_PORT_NULL);
    UT_EQ(buf.h.msgh_local_port, p);
    UT_EQ(buf.h.msgh_id, 1234);
    UT_EQ(got->data[0], 0xfeedface);

    /* The message's own send right was used up by the receive. */
    UT_EQ(ut_refs(p, MACH_PORT_RIGHT_SEND), 1);
    UT_EQ(ut_type(p), MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND);
    UT_EQ(ut_status(p).mps_msgcount, 0);
    UT_EQ(ut_status(p).mps_srights, TRUE);

    ut_port_destroy(p);
    ut_stats_expect_baseline();
    return ut_pass();
}

/* SPDX-License-Identifier: MIT
 *
 * A received message carries no trailer unless the receiver asks for one
 * (DESIGN.md): the kernel writes exactly msgh_size bytes into the buffer, so
 * a buffer of exactly the message's size is enough and the bytes after the
 * message are untouched.  Asking for the seqno trailer writes it; asking for
 * more (format 0 with the sender element) writes the format-0 trailer.
 */
#include "ut_msg.h"

int
main(void)
{
    mach_port_name_t p;
    ut_msg_buf_t buf;
    const size_t n = sizeof(ut_simple_msg_t);
    mach_msg_format_0_trailer_t tr;

    ut_stats_begin();
    p = ut_port_send();

    UT_KR(ut_send(p, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 1), MACH_MSG_SUCCESS);
    memset(&buf, 0xa5, sizeof(buf));
    UT_KR(ut_recv_opt(p, &buf, (mach_msg_size_t)n, MACH_RCV_TIMEOUT, 0), MACH_MSG_SUCCESS);
    UT_EQ(buf.h.msgh_size, n);
    UT_EQ(buf.h.msgh_id, 1);
    for (size_t i = n; i < n + sizeof(mach_msg_format_0_trailer_t); i++)
        UT_EQ((unsigned char)buf.bytes[i], 0xa5);

    /* The same with a big buffer. */
    UT_KR(ut_send(p, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 2), MACH_MSG_SUCCESS);
    memset(&buf, 0xa5, sizeof(buf));
    UT_KR(ut_recv_opt(p, &buf, sizeof(buf), MACH_RCV_TIMEOUT, 0), MACH_MSG_SUCCESS);
    UT_EQ(buf.h.msgh_size, n);
    for (size_t i = n; i < n + sizeof(mach_msg_format_0_trailer_t); i++)
        UT_EQ((unsigned char)buf.bytes[i], 0xa5);

    /* The full format-0 trailer when the sender element is asked for. */
    UT_KR(ut_send(p, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 3), MACH_MSG_SUCCESS);
    memset(&buf, 0xa5, sizeof(buf));
    UT_KR(ut_recv_opt(p, &buf, sizeof(buf),
                      MACH_RCV_TIMEOUT | MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
                          MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SENDER),
                      0),
          MACH_MSG_SUCCESS);
    UT_EQ(buf.h.msgh_size, n);
    memcpy(&tr, buf.bytes + n, sizeof(tr));
    UT_EQ(tr.msgh_trailer_type, MACH_MSG_TRAILER_FORMAT_0);
    UT_EQ(tr.msgh_trailer_size, sizeof(mach_msg_format_0_trailer_t));
    UT_EQ(tr.msgh_seqno, 2);

    ut_port_destroy(p);
    ut_stats_expect_baseline();
    return ut_pass();
}

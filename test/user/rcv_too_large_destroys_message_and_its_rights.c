/* SPDX-License-Identifier: MIT
 *
 * Without MACH_RCV_LARGE, a message larger than the receive buffer is
 * dequeued and destroyed: the receive returns MACH_RCV_TOO_LARGE, the queue
 * is empty, the send right the message carried is released (the port's
 * no-senders notification fires with the make-send count), its send-once
 * right is destroyed (a send-once notification arrives), and the rights
 * added to the receiver's space are none.
 */
#include "ut_msg.h"

typedef struct {
    mach_msg_header_t h;
    mach_msg_body_t body;
    mach_msg_port_descriptor_t port[2];
    uint32_t data[32];
} big_msg_t;

int
main(void)
{
    mach_port_name_t p, n, k, so;
    big_msg_t m;
    ut_msg_buf_t buf;
    unsigned names;

    ut_stats_begin();
    p = ut_port_send();
    n = ut_port();  /* its only send right travels in the message */
    k = ut_port();  /* notifications arrive here */
    so = ut_port(); /* a send-once right to it travels in the message */
    ut_arm_no_senders(n, k);

    memset(&m, 0, sizeof(m));
    m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
    m.h.msgh_size = sizeof(m);
    m.h.msgh_remote_port = p;
    m.body.msgh_descriptor_count = 2;
    m.port[0].name = n;
    m.port[0].disposition = MACH_MSG_TYPE_MAKE_SEND;
    m.port[0].type = MACH_MSG_PORT_DESCRIPTOR;
    m.port[1].name = so;
    m.port[1].disposition = MACH_MSG_TYPE_MAKE_SEND_ONCE;
    m.port[1].type = MACH_MSG_PORT_DESCRIPTOR;
    UT_KR(mach_msg(&m.h, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
          MACH_MSG_SUCCESS);
    UT_EQ(ut_status(n).mps_srights, TRUE);
    UT_EQ(ut_status(so).mps_sorights, 1);
    names = ut_names();

    UT_KR(ut_recv_opt(p, &buf, sizeof(mach_msg_header_t) + 16, MACH_RCV_TIMEOUT, 0),
          MACH_RCV_TOO_LARGE);
    UT_EQ(ut_status(p).mps_msgcount, 0);
    ut_expect_empty(p);
    UT_EQ(ut_names(), names);

    UT_EQ(ut_status(n).mps_srights, FALSE);
    ut_expect_notification(k, MACH_NOTIFY_NO_SENDERS, &buf);
    UT_EQ(ut_no_senders_mscount(&buf), 1);
    /* The notification travels on the destroyed send-once right itself. */
    ut_expect_notification(so, MACH_NOTIFY_SEND_ONCE, &buf);
    UT_EQ(buf.h.msgh_size, sizeof(mach_msg_header_t));
    UT_EQ(ut_status(so).mps_sorights, 0);

    ut_port_destroy(so);
    ut_port_destroy(k);
    ut_port_destroy(n);
    ut_port_destroy(p);
    ut_stats_expect_baseline();
    return ut_pass();
}

/* SPDX-License-Identifier: MIT
 *
 * MACH_RCV_LARGE: a message larger than the receive buffer stays queued, the
 * receive returns MACH_RCV_TOO_LARGE and writes the size it needs into
 * msgh_size (the message plus the trailer asked for), taking nothing and
 * using no sequence number; a receive with a big enough buffer then gets it,
 * rights and all.
 */
#include "ut_msg.h"

typedef struct {
    mach_msg_header_t h;
    mach_msg_body_t body;
    mach_msg_port_descriptor_t port;
    uint32_t data[16];
} big_msg_t;

int
main(void)
{
    mach_port_name_t p, q;
    big_msg_t m;
    ut_msg_buf_t buf;
    big_msg_t *in = (big_msg_t *)&buf;
    mach_msg_seqno_trailer_t tr;
    const mach_msg_option_t seqno_trailer = MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
                                            MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO);

    ut_stats_begin();
    p = ut_port_send();
    q = ut_port();

    memset(&m, 0, sizeof(m));
    m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
    m.h.msgh_size = sizeof(m);
    m.h.msgh_remote_port = p;
    m.h.msgh_id = 31;
    m.body.msgh_descriptor_count = 1;
    m.port.name = q;
    m.port.disposition = MACH_MSG_TYPE_MAKE_SEND;
    m.port.type = MACH_MSG_PORT_DESCRIPTOR;
    for (int i = 0; i < 16; i++)
        m.data[i] = 0x1000u + (uint32_t)i;
    UT_KR(mach_msg(&m.h, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
          MACH_MSG_SUCCESS);

    memset(&buf, 0, sizeof(buf));
    UT_KR(ut_recv_opt(p, &buf, sizeof(mach_msg_header_t) + 8, MACH_RCV_LARGE | MACH_RCV_TIMEOUT, 0),
          MACH_RCV_TOO_LARGE);
    UT_EQ(buf.h.msgh_size, sizeof(big_msg_t));
    UT_EQ(ut_status(p).mps_msgcount, 1);
    UT_EQ(ut_status(p).mps_seqno, 0);
    UT_EQ(ut_type(q), MACH_PORT_TYPE_RECEIVE); /* the right is still in the message */

    /* The trailer counts: room for the message alone is not enough. */
    memset(&buf, 0, sizeof(buf));
    UT_KR(ut_recv_opt(p, &buf, sizeof(big_msg_t), MACH_RCV_LARGE | MACH_RCV_TIMEOUT | seqno_trailer,
                      0),
          MACH_RCV_TOO_LARGE);
    UT_EQ(buf.h.msgh_size, sizeof(big_msg_t) + sizeof(mach_msg_seqno_trailer_t));
    UT_EQ(ut_status(p).mps_msgcount, 1);

    memset(&buf, 0, sizeof(buf));
    UT_KR(ut_recv_opt(p, &buf, sizeof(big_msg_t) + sizeof(mach_msg_seqno_trailer_t),
                      MACH_RCV_LARGE | MACH_RCV_TIMEOUT | seqno_trailer, 0),
          MACH_MSG_SUCCESS);
    UT_EQ(buf.h.msgh_size, sizeof(big_msg_t));
    UT_EQ(buf.h.msgh_id, 31);
    UT_EQ(in->port.disposition, MACH_MSG_TYPE_PORT_SEND);
    UT_EQ(in->port.name, q);
    for (int i = 0; i < 16; i++)
        UT_EQ(in->data[i], 0x1000u + (uint32_t)i);
    memcpy(&tr, buf.bytes + sizeof(big_msg_t), sizeof(tr));
    UT_EQ(tr.msgh_seqno, 0);
    UT_EQ(ut_type(q), MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND);
    UT_EQ(ut_status(p).mps_msgcount, 0);

    ut_port_destroy(q);
    ut_port_destroy(p);
    ut_stats_expect_baseline();
    return ut_pass();
}

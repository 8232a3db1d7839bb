/* SPDX-License-Identifier: MIT
 *
 * One message carries six port descriptors, one per disposition.  The
 * sender's space changes as each disposition says (MOVE_* take the right or
 * a uref, COPY_SEND and MAKE_* leave it, MAKE_SEND raises the make-send
 * count), and the receiver finds the received types PORT_RECEIVE, PORT_SEND,
 * PORT_SEND_ONCE, PORT_SEND, PORT_SEND, PORT_SEND_ONCE; the send rights join
 * the names of the receive rights the task holds, the send-once rights get
 * new names.
 */
#include "ut_msg.h"

typedef struct {
    mach_msg_header_t h;
    mach_msg_body_t body;
    mach_msg_port_descriptor_t d[6];
    uint32_t trailing_data;
} six_msg_t;

int
main(void)
{
    mach_port_name_t carrier, r1, p2, p3, so3, p4, p5, p6, got;
    static const mach_msg_type_name_t sent[6] = {
        MACH_MSG_TYPE_MOVE_RECEIVE, MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MOVE_SEND_ONCE,
        MACH_MSG_TYPE_COPY_SEND,    MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE,
    };
    static const mach_msg_type_name_t received[6] = {
        MACH_MSG_TYPE_PORT_RECEIVE, MACH_MSG_TYPE_PORT_SEND, MACH_MSG_TYPE_PORT_SEND_ONCE,
        MACH_MSG_TYPE_PORT_SEND,    MACH_MSG_TYPE_PORT_SEND, MACH_MSG_TYPE_PORT_SEND_ONCE,
    };
    mach_port_name_t names[6];
    six_msg_t m;
    ut_msg_buf_t buf;
    six_msg_t *in = (six_msg_t *)&buf;
    unsigned before;

    ut_stats_begin();
    carrier = ut_port_send();
    r1 = ut_port();
    p2 = ut_port_send();
    UT_KR(mach_port_mod_refs(mach_task_self(), p2, MACH_PORT_RIGHT_SEND, 1), KERN_SUCCESS);
    p3 = ut_port();
    so3 = ut_sonce(p3);
    p4 = ut_port_send();
    p5 = ut_port();
    p6 = ut_port();
    names[0] = r1;
    names[1] = p2;
    names[2] = so3;
    names[3] = p4;
    names[4] = p5;
    names[5] = p6;
    before = ut_names();

    memset(&m, 0, sizeof(m));
    m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
    m.h.msgh_size = sizeof(m);
    m.h.msgh_remote_port = carrier;
    m.h.msgh_id = 6;
    m.body.msgh_descriptor_count = 6;
    for (int i = 0; i < 6; i++) {
        m.d[i].name = names[i];
        m.d[i].disposition = sent[i];
        m.d[i].type = MACH_MSG_PORT_DESCRIPTOR;
    }
    m.trailing_data = 0x600d600d;
    UT_KR(mach_msg(&m.h, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
          MACH_MSG_SUCCESS);

    /* The sender's side while the message is queued. */
    UT_EQ(ut_type(r1), MACH_PORT_TYPE_NONE);
    UT_EQ(ut_refs(p2, MACH_PORT_RIGHT_SEND), 1);
    UT_EQ(ut_type(so3), MACH_PORT_TYPE_NONE);
    UT_EQ(ut_status(p3).mps_sorights, 1);
    UT_EQ(ut_refs(p4, MACH_PORT_RIGHT_SEND), 1);
    UT_EQ(ut_type(p5), MACH_PORT_TYPE_RECEIVE);
    UT_EQ(ut_status(p5).mps_mscount, 1);
    UT_EQ(ut_status(p5).mps_srights, TRUE);
    UT_EQ(ut_status(p6).mps_sorights, 1);
    UT_EQ(ut_names(), before - 2);

    ut_recv(carrier, &buf);
    UT_EQ(buf.h.msgh_size, sizeof(six_msg_t));
    UT_EQ(in->body.msgh_descriptor_count, 6);
    for (int i = 0; i < 6; i++) {
        UT_EQ(in->d[i].type, MACH_MSG_PORT_DESCRIPTOR);
        UT_EQ(in->d[i].disposition, received[i]);
        UT_ASSERT(MACH_PORT_VALID(in->d[i].name));
    }
    UT_EQ(in->trailing_data, 0x600d600d);

    got = in->d[0].name;
    UT_EQ(ut_type(got), MACH_PORT_TYPE_RECEIVE);
    UT_EQ(in->d[1].name, p2);
    UT_EQ(ut_refs(p2, MACH_PORT_RIGHT_SEND), 2);
    UT_EQ(ut_type(in->d[2].name), MACH_PORT_TYPE_SEND_ONCE);
    UT_EQ(in->d[3].name, p4);
    UT_EQ(ut_refs(p4, MACH_PORT_RIGHT_SEND), 2);
    UT_EQ(in->d[4].name, p5);
    UT_EQ(ut_type(p5), MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND);
    UT_EQ(ut_refs(p5, MACH_PORT_RIGHT_SEND), 1);
    UT_EQ(ut_type(in->d[5].name), MACH_PORT_TYPE_SEND_ONCE);
    UT_EQ(ut_names(), before + 1); /* R1 under a new name, two new send-once names */

    /* The send-once rights still reach their ports. */
    UT_KR(ut_send(in->d[2].name, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 3),
          MACH_MSG_SUCCESS);
    UT_KR(ut_send(in->d[5].name, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 6),
          MACH_MSG_SUCCESS);
    ut_recv(p3, &buf);
    UT_EQ(buf.h.msgh_id, 3);
    ut_recv(p6, &buf);
    UT_EQ(buf.h.msgh_id, 6);

    ut_port_destroy(got);
    ut_port_destroy(p2);
    ut_port_destroy(p3);
    ut_port_destroy(p4);
    ut_port_destroy(p5);
    ut_port_destroy(p6);
    ut_port_destroy(carrier);
    ut_stats_expect_baseline();
    return ut_pass();
}

/* SPDX-License-Identifier: MIT
 *
 * Decode, then commit: a descriptor naming a right it cannot take fails the
 * send with MACH_SEND_INVALID_RIGHT, and nothing of the message moved: the
 * destination's only send right (sent MOVE_SEND in the header), the reply
 * right, and the rights of the descriptors before the bad one (MOVE_SEND,
 * MOVE_RECEIVE) are all where they were, no make-send or send-once right was
 * made, and nothing is queued.  The same for a bad name inside an
 * out-of-line port array, and for a message that moves more urefs of one
 * name than it has.
 */
#include "ut_msg.h"

typedef struct {
    mach_msg_header_t h;
    mach_msg_body_t body;
    mach_msg_port_descriptor_t d[4];
    mach_msg_ool_ports_descriptor_t arr;
} bad_msg_t;

static mach_port_name_t dest, reply, q, r, m, c;

static mach_msg_return_t
send_with(mach_port_name_t bad_name, mach_msg_type_name_t bad_disp, mach_port_name_t *array)
{
    bad_msg_t msg;
    const mach_port_name_t names[3] = {q, r, m};
    const mach_msg_type_name_t disps[3] = {MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MOVE_RECEIVE,
                                           MACH_MSG_TYPE_MAKE_SEND};

    memset(&msg, 0, sizeof(msg));
    msg.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE) |
                      MACH_MSGH_BITS_COMPLEX;
    msg.h.msgh_size = sizeof(msg);
    msg.h.msgh_remote_port = dest;
    msg.h.msgh_local_port = reply;
    msg.body.msgh_descriptor_count = 5;
    for (int i = 0; i < 3; i++) {
        msg.d[i].name = names[i];
        msg.d[i].disposition = disps[i];
        msg.d[i].type = MACH_MSG_PORT_DESCRIPTOR;
    }
    msg.d[3].name = bad_name;
    msg.d[3].disposition = bad_disp;
    msg.d[3].type = MACH_MSG_PORT_DESCRIPTOR;
    msg.arr.address = array;
    msg.arr.count = 2;
    msg.arr.disposition = MACH_MSG_TYPE_COPY_SEND;
    msg.arr.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
    return mach_msg(&msg.h, MACH_SEND_MSG, sizeof(msg), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

static void
expect_untouched(unsigned names)
{
    UT_EQ(ut_type(dest), MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND);
    UT_EQ(ut_refs(dest, MACH_PORT_RIGHT_SEND), 1);
    UT_EQ(ut_status(dest).mps_msgcount, 0);
    UT_EQ(ut_status(reply).mps_sorights, 0);
    UT_EQ(ut_refs(q, MACH_PORT_RIGHT_SEND), 1);
    UT_EQ(ut_type(r), MACH_PORT_TYPE_RECEIVE);
    UT_EQ(ut_status(m).mps_mscount, 0);
    UT_EQ(ut_status(m).mps_srights, FALSE);
    UT_EQ(ut_refs(c, MACH_PORT_RIGHT_SEND), 1);
    UT_EQ(ut_names(), names);
}

int
main(void)
{
    mach_port_name_t good[2], bad[2], onlyrecv;
    unsigned names;
    ut_msg_buf_t buf;

    ut_stats_begin();
    dest = ut_port_send();
    reply = ut_port();
    q = ut_port_send();
    r = ut_port();
    m = ut_port();
    onlyrecv = ut_port();
    c = ut_port_send(); /* copied twice by the out-of-line array */
    good[0] = c;
    good[1] = c;
    bad[0] = c;
    bad[1] = 0x7654321;
    names = ut_names();

    UT_KR(send_with(0x7654321, MACH_MSG_TYPE_COPY_SEND, good), MACH_SEND_INVALID_RIGHT);
    expect_untouched(names);
    UT_KR(send_with(onlyrecv, MACH_MSG_TYPE_MOVE_SEND, good), MACH_SEND_INVALID_RIGHT);
    expect_untouched(names);
    UT_KR(send_with(q, MACH_MSG_TYPE_MOVE_SEND_ONCE, good), MACH_SEND_INVALID_RIGHT);
    expect_untouched(names);
    /* Q's one uref is moved by d[0]; moving it again is one too many. */
    UT_KR(send_with(q, MACH_MSG_TYPE_MOVE_SEND, good), MACH_SEND_INVALID_RIGHT);
    expect_untouched(names);
    /* R's receive right cannot move twice. */
    UT_KR(send_with(r, MACH_MSG_TYPE_MOVE_RECEIVE, good), MACH_SEND_INVALID_RIGHT);
    expect_untouched(names);
    UT_KR(send_with(onlyrecv, MACH_MSG_TYPE_MAKE_SEND, bad), MACH_SEND_INVALID_RIGHT);
    expect_untouched(names);

    /* The same message with a good last descriptor goes through. */
    UT_KR(send_with(onlyrecv, MACH_MSG_TYPE_MAKE_SEND, good), MACH_MSG_SUCCESS);
    UT_EQ(ut_type(r), MACH_PORT_TYPE_NONE);
    ut_recv(dest, &buf);
    /* Received here, Q's send right is back under its name ... */
    UT_EQ(ut_type(q), MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND);
    /* ... until mach_msg_destroy releases every right the message held. */
    mach_msg_destroy(&buf.h);
    UT_EQ(ut_type(dest), MACH_PORT_TYPE_RECEIVE);
    UT_EQ(ut_type(q), MACH_PORT_TYPE_RECEIVE);

    UT_EQ(ut_refs(c, MACH_PORT_RIGHT_SEND), 1);
    ut_port_destroy(c);
    ut_port_destroy(onlyrecv);
    ut_port_destroy(m);
    ut_port_destroy(q);
    ut_port_destroy(reply);
    ut_port_destroy(dest);
    ut_stats_expect_baseline();
    return ut_pass();
}

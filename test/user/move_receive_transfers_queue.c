/* SPDX-License-Identifier: MIT
 *
 * A receive right sent with MACH_MSG_TYPE_MOVE_RECEIVE in a port descriptor
 * leaves the sender's space at once and arrives as MACH_MSG_TYPE_PORT_RECEIVE
 * with every message that was queued on it, in order, with its queue
 * attributes (qlimit) intact.
 */
#include "ut_msg.h"

typedef struct {
    mach_msg_header_t h;
    mach_msg_body_t body;
    mach_msg_port_descriptor_t port;
} carry_msg_t;

int
main(void)
{
    mach_port_name_t a, b, moved;
    ut_msg_buf_t buf;
    carry_msg_t m;
    mach_port_status_t st;
    unsigned names;

    ut_stats_begin();
    a = ut_port_send();
    b = ut_port_send();
    UT_KR(mach_port_set_qlimit(mach_task_self(), a, 3), KERN_SUCCESS);
    UT_KR(ut_send(a, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 1), MACH_MSG_SUCCESS);
    UT_KR(ut_send(a, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 2), MACH_MSG_SUCCESS);
    /* Drop our send right to A: only the receive right (with its queue) moves. */
    UT_KR(mach_port_deallocate(mach_task_self(), a), KERN_SUCCESS);
    UT_EQ(ut_type(a), MACH_PORT_TYPE_RECEIVE);
    names = ut_names();

    memset(&m, 0, sizeof(m));
    m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
    m.h.msgh_size = sizeof(m);
    m.h.msgh_remote_port = b;
    m.h.msgh_id = 77;
    m.body.msgh_descriptor_count = 1;
    m.port.name = a;
    m.port.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
    m.port.type = MACH_MSG_PORT_DESCRIPTOR;
    UT_KR(mach_msg(&m.h, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
          MACH_MSG_SUCCESS);

    /* In transit: the name is gone from our space. */
    UT_EQ(ut_type(a), MACH_PORT_TYPE_NONE);
    UT_EQ(ut_names(), names - 1);

    ut_recv(b, &buf);
    UT_EQ(buf.h.msgh_id, 77);
    UT_ASSERT(buf.h.msgh_bits & MACH_MSGH_BITS_COMPLEX);
    UT_EQ(buf.h.msgh_size, sizeof(carry_msg_t));
    UT_EQ(((mach_msg_body_t *)(&buf.h + 1))->msgh_descriptor_count, 1);
    UT_EQ(ut_port_desc(&buf.h, 0)->type, MACH_MSG_PORT_DESCRIPTOR);
    UT_EQ(ut_port_desc(&buf.h, 0)->disposition, MACH_MSG_TYPE_PORT_RECEIVE);
    moved = ut_port_desc(&buf.h, 0)->name;
    UT_ASSERT(MACH_PORT_VALID(moved));
    UT_EQ(ut_type(moved), MACH_PORT_TYPE_RECEIVE);
    UT_EQ(ut_names(), names);

    st = ut_status(moved);
    UT_EQ(st.mps_msgcount, 2);
    UT_EQ(st.mps_qlimit, 3);
    /* Each queued message still holds the send right it was sent with
     * (classic Mach): send rights exist until both are received. */
    UT_EQ(st.mps_srights, TRUE);

    ut_recv(moved, &buf);
    UT_EQ(buf.h.msgh_id, 1);
    UT_EQ(buf.h.msgh_local_port, moved);
    ut_recv(moved, &buf);
    UT_EQ(buf.h.msgh_id, 2);
    ut_expect_empty(moved);
    UT_EQ(ut_status(moved).mps_srights, FALSE);

    ut_port_destroy(moved);
    ut_port_destroy(b);
    ut_stats_expect_baseline();
    return ut_pass();
}

/* SPDX-License-Identifier: MIT
 *
 * A port destroyed with messages queued destroys them with every right they
 * carry: a send right made for a second port (its no-senders notification
 * fires), send-once rights in a descriptor and in the reply field (each
 * produces a send-once notification on its port), a receive right (its port
 * dies: our send right to it becomes a dead name), and out-of-line memory.
 * A message sent to the port after it died is destroyed the same way: the
 * send right has become a dead name, so the send is refused.
 */
#include "ut_msg.h"

typedef struct {
    mach_msg_header_t h;
    mach_msg_body_t body;
    mach_msg_port_descriptor_t port[3];
    mach_msg_ool_descriptor_t ool;
} rich_msg_t;

int
main(void)
{
    mach_port_name_t a, b, k, c, e, d;
    rich_msg_t m;
    ut_msg_buf_t buf;
    static char data[3 * UT_PAGE];

    ut_stats_begin();
    a = ut_port_send();
    b = ut_port(); /* no-senders armed, to k */
    k = ut_port();
    c = ut_port();      /* a send-once right to it rides in a descriptor */
    e = ut_port();      /* and one in the reply field */
    d = ut_port_send(); /* its receive right rides along; we keep a send right */
    ut_arm_no_senders(b, k);
    memset(data, 0x3c, sizeof(data));

    memset(&m, 0, sizeof(m));
    m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE) |
                    MACH_MSGH_BITS_COMPLEX;
    m.h.msgh_size = sizeof(m);
    m.h.msgh_remote_port = a;
    m.h.msgh_local_port = e;
    m.body.msgh_descriptor_count = 4;
    m.port[0].name = b;
    m.port[0].disposition = MACH_MSG_TYPE_MAKE_SEND;
    m.port[0].type = MACH_MSG_PORT_DESCRIPTOR;
    m.port[1].name = c;
    m.port[1].disposition = MACH_MSG_TYPE_MAKE_SEND_ONCE;
    m.port[1].type = MACH_MSG_PORT_DESCRIPTOR;
    m.port[2].name = d;
    m.port[2].disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
    m.port[2].type = MACH_MSG_PORT_DESCRIPTOR;
    m.ool.address = data;
    m.ool.size = sizeof(data);
    m.ool.copy = MACH_MSG_VIRTUAL_COPY;
    m.ool.type = MACH_MSG_OOL_DESCRIPTOR;
    UT_KR(mach_msg(&m.h, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
          MACH_MSG_SUCCESS);
    UT_KR(ut_send(a, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 2), MACH_MSG_SUCCESS);
    UT_EQ(ut_status(a).mps_msgcount, 2);
    UT_EQ(ut_type(d), MACH_PORT_TYPE_SEND);

    /* Destroy the receive right of A; our send right becomes a dead name. */
    UT_KR(mach_port_mod_refs(mach_task_self(), a, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
    UT_EQ(ut_type(a), MACH_PORT_TYPE_DEAD_NAME);

    ut_expect_notification(k, MACH_NOTIFY_NO_SENDERS, &buf);
    UT_EQ(ut_no_senders_mscount(&buf), 1);
    UT_EQ(ut_status(b).mps_srights, FALSE);
    ut_expect_notification(c, MACH_NOTIFY_SEND_ONCE, &buf);
    ut_expect_notification(e, MACH_NOTIFY_SEND_ONCE, &buf);
    UT_EQ(ut_status(c).mps_sorights, 0);
    UT_EQ(ut_status(e).mps_sorights, 0);
    UT_EQ(ut_type(d), MACH_PORT_TYPE_DEAD_NAME);
    ut_expect_empty(k);
    ut_expect_empty(c);
    ut_expect_empty(e);

    /* Our buffer was not given away. */
    UT_EQ(data[0], 0x3c);

    UT_KR(ut_send(a, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 3), MACH_SEND_INVALID_DEST);

    UT_KR(mach_port_deallocate(mach_task_self(), a), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), d), KERN_SUCCESS);
    ut_port_destroy(b);
    ut_port_destroy(k);
    ut_port_destroy(c);
    ut_port_destroy(e);
    ut_stats_expect_baseline();
    return ut_pass();
}

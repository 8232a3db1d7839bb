/* SPDX-License-Identifier: MIT
 *
 * A task can send to itself: one mach_msg call with MACH_SEND_MSG |
 * MACH_RCV_MSG to a port whose receive right it holds, receiving on that same
 * port, gets its own message back in the same buffer, with the header
 * swapped (the reply send-once right in msgh_remote_port, the port in
 * msgh_local_port).
 */
#include "ut_msg.h"

int
main(void)
{
    mach_port_name_t p, so;
    union {
        ut_simple_msg_t m;
        ut_msg_buf_t buf;
    } u;

    ut_stats_begin();
    p = ut_port_send();

    memset(&u, 0, sizeof(u));
    u.m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
    u.m.h.msgh_size = sizeof(u.m);
    u.m.h.msgh_remote_port = p;
    u.m.h.msgh_local_port = p;
    u.m.h.msgh_id = 7;
    u.m.data[0] = 1;
    u.m.data[3] = 4;
    UT_KR(mach_msg(&u.m.h, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, sizeof(u.m),
                   sizeof(u.buf), p, 1000, MACH_PORT_NULL),
          MACH_MSG_SUCCESS);
    UT_EQ(u.m.h.msgh_bits, MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND));
    UT_EQ(u.m.h.msgh_size, sizeof(u.m));
    UT_EQ(u.m.h.msgh_local_port, p);
    UT_EQ(u.m.h.msgh_id, 7);
    UT_EQ(u.m.data[0], 1);
    UT_EQ(u.m.data[3], 4);
    so = u.m.h.msgh_remote_port;
    UT_EQ(ut_type(so), MACH_PORT_TYPE_SEND_ONCE);
    UT_EQ(ut_refs(p, MACH_PORT_RIGHT_SEND), 1);

    /* Answer ourselves on the send-once right, again in one call. */
    memset(&u, 0, sizeof(u));
    u.m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
    u.m.h.msgh_size = sizeof(u.m);
    u.m.h.msgh_remote_port = so;
    u.m.h.msgh_id = 107;
    UT_KR(mach_msg(&u.m.h, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, sizeof(u.m),
                   sizeof(u.buf), p, 1000, MACH_PORT_NULL),
          MACH_MSG_SUCCESS);
    UT_EQ(u.m.h.msgh_bits, MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE));
    UT_EQ(u.m.h.msgh_id, 107);
    UT_EQ(ut_type(so), MACH_PORT_TYPE_NONE);
    UT_EQ(ut_status(p).mps_sorights, 0);

    ut_port_destroy(p);
    ut_stats_expect_baseline();
    return ut_pass();
}

/* SPDX-License-Identifier: MIT
 *
 * A receive on a port set returns a message from any member, with
 * msgh_local_port naming the member it came through; messages queued before
 * a port joined the set are received through the set too.  While a port is
 * in a set it cannot be received on by itself (MACH_RCV_IN_SET); taken out,
 * it can again.  An empty set times out like a port.
 */
#include "ut_msg.h"

int
main(void)
{
    mach_port_name_t set, a, b;
    ut_msg_buf_t buf;

    ut_stats_begin();
    a = ut_port_send();
    b = ut_port_send();
    UT_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set), KERN_SUCCESS);
    ut_expect_empty(set);

    UT_KR(ut_send(a, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 1), MACH_MSG_SUCCESS);
    UT_KR(mach_port_move_member(mach_task_self(), a, set), KERN_SUCCESS);
    UT_KR(mach_port_move_member(mach_task_self(), b, set), KERN_SUCCESS);
    UT_KR(ut_recv_opt(a, &buf, sizeof(buf), MACH_RCV_TIMEOUT, 0), MACH_RCV_IN_SET);
    UT_EQ(ut_status(a).mps_pset, set);

    /* Queued before it joined: still delivered, through the set. */
    ut_recv(set, &buf);
    UT_EQ(buf.h.msgh_id, 1);
    UT_EQ(buf.h.msgh_local_port, a);
    UT_EQ(MACH_MSGH_BITS_LOCAL(buf.h.msgh_bits), MACH_MSG_TYPE_PORT_SEND);

    UT_KR(ut_send(b, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 2), MACH_MSG_SUCCESS);
    ut_recv(set, &buf);
    UT_EQ(buf.h.msgh_id, 2);
    UT_EQ(buf.h.msgh_local_port, b);

    UT_KR(ut_send(a, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 3), MACH_MSG_SUCCESS);
    UT_KR(ut_send(b, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 4), MACH_MSG_SUCCESS);
    ut_recv(set, &buf);
    UT_EQ(buf.h.msgh_id, 3);
    UT_EQ(buf.h.msgh_local_port, a);
    ut_recv(set, &buf);
    UT_EQ(buf.h.msgh_id, 4);
    UT_EQ(buf.h.msgh_local_port, b);
    ut_expect_empty(set);

    /* Out of the set, a port is received on directly again and its queue
     * goes with it. */
    UT_KR(ut_send(b, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 5), MACH_MSG_SUCCESS);
    UT_KR(mach_port_move_member(mach_task_self(), b, MACH_PORT_NULL), KERN_SUCCESS);
    ut_expect_empty(set);
    ut_recv(b, &buf);
    UT_EQ(buf.h.msgh_id, 5);
    UT_EQ(buf.h.msgh_local_port, b);

    ut_port_destroy(set);
    UT_EQ(ut_status(a).mps_pset, MACH_PORT_NULL);
    ut_port_destroy(a);
    ut_port_destroy(b);
    ut_stats_expect_baseline();
    return ut_pass();
}

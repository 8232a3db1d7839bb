/* SPDX-License-Identifier: MIT */
/*
 * mach_port_extract_right takes a right out of a child task's space as a
 * message would carry it: COPY_SEND leaves the child's references alone,
 * MOVE_SEND takes one, MAKE_SEND and MAKE_SEND_ONCE need the receive right
 * there, MOVE_RECEIVE moves the receive right to us; a right the name does
 * not hold is KERN_INVALID_RIGHT and a bad disposition KERN_INVALID_VALUE.
 * Rights to one port merge with ours under our name for it.
 */
#include "ut_ports.h"

#define C_SEND 0x8101u

int
main(void)
{
    mach_port_t self = mach_task_self();
    mach_port_name_t port, got, crecv, so;
    mach_msg_type_name_t t;
    mach_port_type_t type;
    task_t child;

    ut_stats_begin();
    child = ut_child_task();
    port = ut_port();
    UT_KR(mach_port_insert_right(child, C_SEND, port, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
    UT_KR(mach_port_mod_refs(child, C_SEND, MACH_PORT_RIGHT_SEND, 1), KERN_SUCCESS);

    UT_KR(mach_port_extract_right(child, C_SEND, MACH_MSG_TYPE_COPY_SEND, &got, &t), KERN_SUCCESS);
    UT_EQ(got, port); /* merged with our receive right */
    UT_EQ(t, MACH_MSG_TYPE_PORT_SEND);
    UT_EQ(ut_refs_in(child, C_SEND, MACH_PORT_RIGHT_SEND), 2);
    UT_EQ(ut_refs(port, MACH_PORT_RIGHT_SEND), 1);

    UT_KR(mach_port_extract_right(child, C_SEND, MACH_MSG_TYPE_MOVE_SEND, &got, &t), KERN_SUCCESS);
    UT_EQ(got, port);
    UT_EQ(t, MACH_MSG_TYPE_PORT_SEND);
    UT_EQ(ut_refs_in(child, C_SEND, MACH_PORT_RIGHT_SEND), 1);
    UT_EQ(ut_refs(port, MACH_PORT_RIGHT_SEND), 2);

    /* Rights only a receiver can make, and a bad disposition. */
    UT_KR(mach_port_extract_right(child, C_SEND, MACH_MSG_TYPE_MAKE_SEND, &got, &t),
          KERN_INVALID_RIGHT);
    UT_KR(mach_port_extract_right(child, C_SEND, MACH_MSG_TYPE_MOVE_RECEIVE, &got, &t),
          KERN_INVALID_RIGHT);
    UT_KR(mach_port_extract_right(child, C_SEND, MACH_MSG_TYPE_MOVE_SEND_ONCE, &got, &t),
          KERN_INVALID_RIGHT);
    UT_KR(mach_port_extract_right(child, C_SEND, 99, &got, &t), KERN_INVALID_VALUE);
    UT_KR(mach_port_extract_right(child, 0x8f01u, MACH_MSG_TYPE_COPY_SEND, &got, &t),
          KERN_INVALID_NAME);
    UT_EQ(ut_refs_in(child, C_SEND, MACH_PORT_RIGHT_SEND), 1);

    /* The last MOVE_SEND empties the child's name. */
    UT_KR(mach_port_extract_right(child, C_SEND, MACH_MSG_TYPE_MOVE_SEND, &got, &t), KERN_SUCCESS);
    UT_KR(mach_port_type(child, C_SEND, &type), KERN_INVALID_NAME);
    UT_EQ(ut_refs(port, MACH_PORT_RIGHT_SEND), 3);

    /* A receive right the child allocated: make rights from it, then move it. */
    UT_KR(mach_port_allocate(child, MACH_PORT_RIGHT_RECEIVE, &crecv), KERN_SUCCESS);
    UT_KR(mach_port_extract_right(child, crecv, MACH_MSG_TYPE_MAKE_SEND, &got, &t), KERN_SUCCESS);
    UT_EQ(t, MACH_MSG_TYPE_PORT_SEND);
    UT_EQ(ut_type(got), MACH_PORT_TYPE_SEND);
    UT_KR(mach_port_extract_right(child, crecv, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &t),
          KERN_SUCCESS);
    UT_EQ(t, MACH_MSG_TYPE_PORT_SEND_ONCE);
    UT_EQ(ut_type(so), MACH_PORT_TYPE_SEND_ONCE);
    UT_ASSERT(so != got);
    mach_port_status_t st;
    UT_KR(mach_port_get_receive_status(child, crecv, &st), KERN_SUCCESS);
    UT_EQ(st.mps_mscount, 1);
    UT_EQ(st.mps_sorights, 1);

    mach_port_name_t recv;
    UT_KR(mach_port_extract_right(child, crecv, MACH_MSG_TYPE_MOVE_RECEIVE, &recv, &t),
          KERN_SUCCESS);
    UT_EQ(t, MACH_MSG_TYPE_PORT_RECEIVE);
    UT_EQ(recv, got); /* joins our send right's name */
    UT_EQ(ut_type(recv), MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND);
    UT_KR(mach_port_type(child, crecv, &type), KERN_INVALID_NAME);
    UT_EQ(ut_status(recv).mps_sorights, 1);

    UT_KR(mach_port_destroy(self, so), KERN_SUCCESS);
    UT_KR(mach_port_destroy(self, recv), KERN_SUCCESS);
    UT_KR(mach_port_destroy(self, port), KERN_SUCCESS);
    UT_EQ(ut_name_count(child), 0);
    ut_child_end(child);
    ut_stats_settle_baseline();
    return ut_pass();
}

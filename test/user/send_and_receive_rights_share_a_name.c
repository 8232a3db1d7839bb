/* SPDX-License-Identifier: MIT */
/*
 * Send and receive rights to one port share one name in a space: a send
 * right made from the receive right lands on the receive right's name (as
 * more user references each time), never under a second name, free or in
 * use (KERN_RIGHT_EXISTS: Mach looks for the port's own name first), and a
 * name holding another right cannot take a right it cannot merge with
 * (KERN_NAME_EXISTS, shown with send-once rights, which never merge).
 */
#include "ut_ports.h"

int
main(void)
{
    mach_port_t self = mach_task_self();
    mach_port_name_t port, other, dead;
    mach_port_status_t st;

    ut_stats_begin();
    port = ut_port();
    other = ut_port();
    UT_KR(mach_port_allocate(self, MACH_PORT_RIGHT_DEAD_NAME, &dead), KERN_SUCCESS);

    UT_KR(mach_port_insert_right(self, port, port, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
    UT_EQ(ut_type(port), MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND);
    UT_EQ(ut_refs(port, MACH_PORT_RIGHT_SEND), 1);
    UT_EQ(ut_refs(port, MACH_PORT_RIGHT_RECEIVE), 1);
    st = ut_status(port);
    UT_EQ(st.mps_mscount, 1);
    UT_EQ(st.mps_srights, TRUE);

    /* A second MAKE_SEND and a COPY_SEND add user references. */
    UT_KR(mach_port_insert_right(self, port, port, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
    UT_EQ(ut_refs(port, MACH_PORT_RIGHT_SEND), 2);
    UT_KR(mach_port_insert_right(self, port, port, MACH_MSG_TYPE_COPY_SEND), KERN_SUCCESS);
    UT_EQ(ut_refs(port, MACH_PORT_RIGHT_SEND), 3);
    UT_EQ(ut_status(port).mps_mscount, 2);

    /* Not under another name: free, or holding another right. */
    UT_KR(mach_port_insert_right(self, 0x7e01u, port, MACH_MSG_TYPE_MAKE_SEND), KERN_RIGHT_EXISTS);
    mach_port_type_t type;
    UT_KR(mach_port_type(self, 0x7e01u, &type), KERN_INVALID_NAME);
    UT_KR(mach_port_insert_right(self, other, port, MACH_MSG_TYPE_MAKE_SEND), KERN_RIGHT_EXISTS);
    UT_KR(mach_port_insert_right(self, dead, port, MACH_MSG_TYPE_MAKE_SEND), KERN_RIGHT_EXISTS);
    /* A refused send-once right is destroyed: each sends its send-once
     * notification to PORT, which the mach_port_destroy below discards. */
    UT_KR(mach_port_insert_right(self, other, port, MACH_MSG_TYPE_MAKE_SEND_ONCE),
          KERN_NAME_EXISTS);
    UT_KR(mach_port_insert_right(self, dead, port, MACH_MSG_TYPE_MAKE_SEND_ONCE), KERN_NAME_EXISTS);
    UT_EQ(ut_type(other), MACH_PORT_TYPE_RECEIVE);
    UT_EQ(ut_type(dead), MACH_PORT_TYPE_DEAD_NAME);
    UT_KR(mach_port_insert_right(self, MACH_PORT_NULL, port, MACH_MSG_TYPE_MAKE_SEND),
          KERN_INVALID_VALUE);
    UT_KR(mach_port_insert_right(self, MACH_PORT_DEAD, port, MACH_MSG_TYPE_MAKE_SEND),
          KERN_INVALID_VALUE);
    /* None of the failures left a reference behind.  (The make-send count
     * did move: the request message made each send right before the kernel
     * refused to insert it, as in Mach.) */
    UT_EQ(ut_refs(port, MACH_PORT_RIGHT_SEND), 3);

    /* Dropping every send right leaves the receive right under the name. */
    UT_KR(mach_port_mod_refs(self, port, MACH_PORT_RIGHT_SEND, -3), KERN_SUCCESS);
    UT_EQ(ut_type(port), MACH_PORT_TYPE_RECEIVE);
    UT_EQ(ut_status(port).mps_srights, FALSE);

    UT_KR(mach_port_destroy(self, port), KERN_SUCCESS);
    UT_KR(mach_port_destroy(self, other), KERN_SUCCESS);
    UT_KR(mach_port_destroy(self, dead), KERN_SUCCESS);
    ut_stats_expect_baseline();
    return ut_pass();
}

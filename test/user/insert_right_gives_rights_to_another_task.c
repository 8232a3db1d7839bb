/* SPDX-License-Identifier: MIT */
/*
 * mach_port_insert_right on a child task's port puts rights into the
 * child's space under the name we choose: send rights merge (user
 * references add up), a receive right moves over with its queue, a
 * send-once right gets its own name; a name in use is KERN_NAME_EXISTS and
 * a second name for the same port KERN_RIGHT_EXISTS.
 */
#include "ut_ports.h"

#define C_SEND 0x7101u
#define C_RECV 0x7202u
#define C_SO   0x7303u
#define C_FREE 0x7404u

int
main(void)
{
    mach_port_t self = mach_task_self();
    mach_port_name_t port, moved;
    mach_port_type_t type;
    mach_port_status_t st;
    mach_msg_type_name_t t;
    task_t child;

    ut_stats_begin();
    child = ut_child_task();
    port = ut_port();
    moved = ut_port();
    UT_KR(ut_send(moved, MACH_MSG_TYPE_MAKE_SEND, 55), MACH_MSG_SUCCESS);

    /* Send rights: two inserts, one name with two references. */
    UT_KR(mach_port_insert_right(child, C_SEND, port, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
    UT_KR(mach_port_insert_right(child, C_SEND, port, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
    UT_EQ(ut_type_in(child, C_SEND), MACH_PORT_TYPE_SEND);
    UT_EQ(ut_refs_in(child, C_SEND, MACH_PORT_RIGHT_SEND), 2);
    st = ut_status(port);
    UT_EQ(st.mps_mscount, 2);
    UT_EQ(st.mps_srights, TRUE);
    UT_EQ(ut_type(port), MACH_PORT_TYPE_RECEIVE); /* we made them, we hold none */

    /* The same port under a second name, or a name in use. */
    UT_KR(mach_port_insert_right(child, C_FREE, port, MACH_MSG_TYPE_MAKE_SEND), KERN_RIGHT_EXISTS);
    UT_KR(mach_port_type(child, C_FREE, &type), KERN_INVALID_NAME);
    UT_KR(mach_port_insert_right(child, C_SEND, moved, MACH_MSG_TYPE_MAKE_SEND), KERN_NAME_EXISTS);
    UT_EQ(ut_refs_in(child, C_SEND, MACH_PORT_RIGHT_SEND), 2);

    /* A receive right moves over: gone from us, the message goes with it. */
    UT_KR(mach_port_insert_right(child, C_RECV, moved, MACH_MSG_TYPE_MOVE_RECEIVE), KERN_SUCCESS);
    UT_KR(mach_port_type(self, moved, &type), KERN_INVALID_NAME);
    UT_EQ(ut_type_in(child, C_RECV), MACH_PORT_TYPE_RECEIVE);
    st.mps_msgcount = 99;
    UT_KR(mach_port_get_receive_status(child, C_RECV, &st), KERN_SUCCESS);
    UT_EQ(st.mps_msgcount, 1);

    /* A send-once right gets its own name, one reference. */
    UT_KR(mach_port_insert_right(child, C_SO, port, MACH_MSG_TYPE_MAKE_SEND_ONCE), KERN_SUCCESS);
    UT_EQ(ut_type_in(child, C_SO), MACH_PORT_TYPE_SEND_ONCE);
    UT_EQ(ut_refs_in(child, C_SO, MACH_PORT_RIGHT_SEND_ONCE), 1);
    UT_EQ(ut_status(port).mps_sorights, 1);
    UT_EQ(ut_name_count(child), 3);

    /* Take the receive right back (with its message), then clean up. */
    UT_KR(mach_port_extract_right(child, C_RECV, MACH_MSG_TYPE_MOVE_RECEIVE, &moved, &t),
          KERN_SUCCESS);
    UT_EQ(t, MACH_MSG_TYPE_PORT_RECEIVE);
    UT_EQ(ut_type(moved), MACH_PORT_TYPE_RECEIVE);
    UT_EQ(ut_status(moved).mps_msgcount, 1);
    UT_KR(mach_port_destroy(self, moved), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(child, C_SO), KERN_SUCCESS); /* sends a send-once notification */
    UT_KR(mach_port_mod_refs(child, C_SEND, MACH_PORT_RIGHT_SEND, -2), KERN_SUCCESS);
    UT_EQ(ut_status(port).mps_srights, FALSE);
    /* The queued notification travels on the destroyed send-once right, so
     * the right exists until the notification is received (classic Mach). */
    UT_EQ(ut_status(port).mps_sorights, 1);
    UT_EQ(ut_status(port).mps_msgcount, 1);
    UT_EQ(ut_name_count(child), 0);

    UT_KR(mach_port_destroy(self, port), KERN_SUCCESS); /* and the queued notification */
    ut_child_end(child);
    ut_stats_settle_baseline();
    return ut_pass();
}

/* SPDX-License-Identifier: MIT */
/*
 * mach_port_rename moves every right of a name (with its references and
 * queued messages) to a new name: the old name then denotes nothing.  A new
 * name in use is KERN_NAME_EXISTS, an old name that denotes nothing is
 * KERN_INVALID_NAME, MACH_PORT_NULL/DEAD as new name KERN_INVALID_VALUE.
 */
#include "ut_ports.h"

#define NEW_NAME   0x6101u
#define NEW_NAME_2 0x6202u

int
main(void)
{
    mach_port_t self = mach_task_self();
    mach_port_name_t port, other, pset;
    mach_port_type_t type;
    ut_msg_t m;

    ut_stats_begin();
    port = ut_port_send();
    UT_KR(mach_port_mod_refs(self, port, MACH_PORT_RIGHT_SEND, 2), KERN_SUCCESS);
    UT_KR(ut_send(port, MACH_MSG_TYPE_COPY_SEND, 777), MACH_MSG_SUCCESS);
    other = ut_port();
    UT_KR(mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &pset), KERN_SUCCESS);

    UT_KR(mach_port_rename(self, port, NEW_NAME), KERN_SUCCESS);
    UT_KR(mach_port_type(self, port, &type), KERN_INVALID_NAME);
    UT_EQ(ut_type(NEW_NAME), MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND);
    UT_EQ(ut_refs(NEW_NAME, MACH_PORT_RIGHT_SEND), 3);
    UT_EQ(ut_status(NEW_NAME).mps_msgcount, 1);
    UT_KR(ut_rcv(NEW_NAME, &m, 0), MACH_MSG_SUCCESS);
    UT_EQ(m.hdr.msgh_id, 777);
    UT_EQ(m.hdr.msgh_local_port, NEW_NAME);

    /* Errors change nothing. */
    UT_KR(mach_port_rename(self, NEW_NAME, other), KERN_NAME_EXISTS);
    UT_KR(mach_port_rename(self, port, NEW_NAME_2), KERN_INVALID_NAME);
    UT_KR(mach_port_rename(self, NEW_NAME, MACH_PORT_NULL), KERN_INVALID_VALUE);
    UT_KR(mach_port_rename(self, NEW_NAME, MACH_PORT_DEAD), KERN_INVALID_VALUE);
    UT_EQ(ut_type(NEW_NAME), MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND);
    UT_EQ(ut_type(other), MACH_PORT_TYPE_RECEIVE);
    UT_KR(mach_port_type(self, NEW_NAME_2, &type), KERN_INVALID_NAME);

    /* A port set renames too, and a member stays in it. */
    UT_KR(mach_port_move_member(self, other, pset), KERN_SUCCESS);
    UT_KR(mach_port_rename(self, pset, NEW_NAME_2), KERN_SUCCESS);
    UT_EQ(ut_type(NEW_NAME_2), MACH_PORT_TYPE_PORT_SET);
    UT_EQ(ut_status(other).mps_pset, NEW_NAME_2);

    UT_KR(mach_port_destroy(self, NEW_NAME), KERN_SUCCESS);
    UT_KR(mach_port_destroy(self, other), KERN_SUCCESS);
    UT_KR(mach_port_destroy(self, NEW_NAME_2), KERN_SUCCESS);
    ut_stats_expect_baseline();
    return ut_pass();
}

/* SPDX-License-Identifier: MIT */
/*
 * Destroying a receive right kills its port: every send right to it in
 * other spaces becomes a dead name that keeps its user references, and
 * sending to it fails with MACH_SEND_INVALID_DEST.  Here the send rights
 * live in a child task's space (task_create), under a name we chose.
 */
#include "ut_ports.h"

#define CHILD_NAME 0x5301u

int
main(void)
{
    mach_port_t self = mach_task_self();
    mach_port_name_t port, sent;
    mach_msg_type_name_t sent_type;
    task_t child;
    mach_port_type_t type;

    ut_stats_begin();
    child = ut_child_task();
    port = ut_port();

    UT_KR(mach_port_insert_right(child, CHILD_NAME, port, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
    UT_KR(mach_port_insert_right(child, CHILD_NAME, port, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
    UT_EQ(ut_type_in(child, CHILD_NAME), MACH_PORT_TYPE_SEND);
    UT_EQ(ut_refs_in(child, CHILD_NAME, MACH_PORT_RIGHT_SEND), 2);
    UT_EQ(ut_status(port).mps_srights, TRUE);

    UT_KR(mach_port_destroy(self, port), KERN_SUCCESS);
    UT_KR(mach_port_type(self, port, &type), KERN_INVALID_NAME);

    /* The child's name is now a dead name with the same two references. */
    UT_EQ(ut_type_in(child, CHILD_NAME), MACH_PORT_TYPE_DEAD_NAME);
    UT_EQ(ut_refs_in(child, CHILD_NAME, MACH_PORT_RIGHT_DEAD_NAME), 2);
    UT_EQ(ut_refs_in(child, CHILD_NAME, MACH_PORT_RIGHT_SEND), 0);

    /* Taken out of the child, it comes to us as a dead name, and a message
     * to it cannot be sent. */
    UT_KR(mach_port_extract_right(child, CHILD_NAME, MACH_MSG_TYPE_COPY_SEND, &sent, &sent_type),
          KERN_SUCCESS);
    UT_EQ(sent, MACH_PORT_DEAD);
    UT_EQ(ut_refs_in(child, CHILD_NAME, MACH_PORT_RIGHT_DEAD_NAME), 2);
    UT_KR(mach_port_mod_refs(child, CHILD_NAME, MACH_PORT_RIGHT_DEAD_NAME, -2), KERN_SUCCESS);
    UT_KR(mach_port_type(child, CHILD_NAME, &type), KERN_INVALID_NAME);

    /* In our own space: a dead name we allocate cannot be sent to. */
    mach_port_name_t dead;
    UT_KR(mach_port_allocate(self, MACH_PORT_RIGHT_DEAD_NAME, &dead), KERN_SUCCESS);
    UT_KR(ut_send(dead, MACH_MSG_TYPE_COPY_SEND, 1), MACH_SEND_INVALID_DEST);
    UT_EQ(ut_refs(dead, MACH_PORT_RIGHT_DEAD_NAME), 1);
    UT_KR(mach_port_deallocate(self, dead), KERN_SUCCESS);

    ut_child_end(child);
    ut_stats_settle_baseline();
    return ut_pass();
}

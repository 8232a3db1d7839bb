/* SPDX-License-Identifier: MIT */
/*
 * The mach_port calls name the space by a task port.  A dead name or
 * MACH_PORT_NULL there cannot carry the request (MACH_SEND_INVALID_DEST
 * from mach_msg, as the stub returns it); a live kernel port that is not a
 * task (the host port, a thread port) is KERN_INVALID_TASK; a terminated
 * task's port is dead.
 */
#include "ut_ports.h"

int
main(void)
{
    mach_port_t self = mach_task_self();
    mach_port_name_t name = 0x1234u, dead;
    mach_port_type_t type = 0x77u;
    host_t host;
    thread_t thread;
    task_t child;

    ut_stats_begin();
    host = mach_host_self();
    thread = mach_thread_self();
    UT_KR(mach_port_allocate(self, MACH_PORT_RIGHT_DEAD_NAME, &dead), KERN_SUCCESS);

    UT_KR(mach_port_allocate(MACH_PORT_NULL, MACH_PORT_RIGHT_RECEIVE, &name),
          MACH_SEND_INVALID_DEST);
    UT_KR(mach_port_allocate(dead, MACH_PORT_RIGHT_RECEIVE, &name), MACH_SEND_INVALID_DEST);
    UT_KR(mach_port_allocate(host, MACH_PORT_RIGHT_RECEIVE, &name), KERN_INVALID_TASK);
    UT_KR(mach_port_allocate(thread, MACH_PORT_RIGHT_RECEIVE, &name), KERN_INVALID_TASK);
    UT_KR(mach_port_type(host, self, &type), KERN_INVALID_TASK);
    UT_EQ(name, 0x1234u);
    UT_EQ(type, 0x77u);

    /* A task that has ended: its port is dead, so is our right to it. */
    child = ut_child_task();
    UT_KR(task_terminate(child), KERN_SUCCESS);
    UT_EQ(ut_type(child), MACH_PORT_TYPE_DEAD_NAME);
    UT_KR(mach_port_allocate(child, MACH_PORT_RIGHT_RECEIVE, &name), MACH_SEND_INVALID_DEST);
    UT_KR(task_terminate(child), MACH_SEND_INVALID_DEST);
    UT_EQ(name, 0x1234u);
    UT_EQ(ut_refs(dead, MACH_PORT_RIGHT_DEAD_NAME), 1); /* a failed send keeps the right */

    UT_KR(mach_port_deallocate(self, child), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(self, dead), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(self, thread), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(self, host), KERN_SUCCESS);
    ut_stats_settle_baseline();
    return ut_pass();
}

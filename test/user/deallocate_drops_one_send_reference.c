/* SPDX-License-Identifier: MIT */
/*
 * mach_port_deallocate releases one user reference of a send right (the
 * last one removes the right, leaving a receive right under the name) or of
 * a dead name; it is KERN_INVALID_RIGHT for a receive right alone or a port
 * set, and KERN_INVALID_NAME for a name that denotes nothing.
 */
#include "ut_ports.h"

int
main(void)
{
    mach_port_t self = mach_task_self();
    mach_port_name_t port, pset, dead;
    mach_port_type_t type;

    ut_stats_begin();
    port = ut_port_send();
    UT_KR(mach_port_mod_refs(self, port, MACH_PORT_RIGHT_SEND, 2), KERN_SUCCESS);
    UT_KR(mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &pset), KERN_SUCCESS);
    UT_KR(mach_port_allocate(self, MACH_PORT_RIGHT_DEAD_NAME, &dead), KERN_SUCCESS);
    UT_KR(mach_port_mod_refs(self, dead, MACH_PORT_RIGHT_DEAD_NAME, 1), KERN_SUCCESS);

    UT_EQ(ut_refs(port, MACH_PORT_RIGHT_SEND), 3);
    UT_KR(mach_port_deallocate(self, port), KERN_SUCCESS);
    UT_EQ(ut_refs(port, MACH_PORT_RIGHT_SEND), 2);
    UT_KR(mach_port_deallocate(self, port), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(self, port), KERN_SUCCESS);
    UT_EQ(ut_type(port), MACH_PORT_TYPE_RECEIVE);
    UT_EQ(ut_refs(port, MACH_PORT_RIGHT_SEND), 0);
    UT_EQ(ut_status(port).mps_srights, FALSE);

    /* Nothing left to deallocate: the receive right is untouched. */
    UT_KR(mach_port_deallocate(self, port), KERN_INVALID_RIGHT);
    UT_EQ(ut_type(port), MACH_PORT_TYPE_RECEIVE);
    UT_KR(mach_port_deallocate(self, pset), KERN_INVALID_RIGHT);
    UT_EQ(ut_type(pset), MACH_PORT_TYPE_PORT_SET);

    UT_KR(mach_port_deallocate(self, dead), KERN_SUCCESS);
    UT_EQ(ut_refs(dead, MACH_PORT_RIGHT_DEAD_NAME), 1);
    UT_KR(mach_port_deallocate(self, dead), KERN_SUCCESS);
    UT_KR(mach_port_type(self, dead, &type), KERN_INVALID_NAME);
    UT_KR(mach_port_deallocate(self, dead), KERN_INVALID_NAME);

    UT_KR(mach_port_destroy(self, port), KERN_SUCCESS);
    UT_KR(mach_port_destroy(self, pset), KERN_SUCCESS);
    ut_stats_expect_baseline();
    return ut_pass();
}

/* SPDX-License-Identifier: MIT */
/*
 * mach_port_allocate makes a receive right, a port set or a dead name under
 * a fresh name each time, with the type and user references Mach gives
 * them; SEND and SEND_ONCE cannot be allocated (KERN_INVALID_VALUE).
 */
#include "ut_ports.h"

int
main(void)
{
    mach_port_t self = mach_task_self();
    mach_port_name_t recv, recv2, pset, dead, none = 0x12345678;

    ut_stats_begin();

    UT_KR(mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &recv), KERN_SUCCESS);
    UT_KR(mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &recv2), KERN_SUCCESS);
    UT_KR(mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &pset), KERN_SUCCESS);
    UT_KR(mach_port_allocate(self, MACH_PORT_RIGHT_DEAD_NAME, &dead), KERN_SUCCESS);
    UT_ASSERT(MACH_PORT_VALID(recv) && MACH_PORT_VALID(recv2));
    UT_ASSERT(MACH_PORT_VALID(pset) && MACH_PORT_VALID(dead));
    UT_ASSERT(recv != recv2 && recv != pset && recv != dead && pset != dead);

    UT_EQ(ut_type(recv), MACH_PORT_TYPE_RECEIVE);
    UT_EQ(ut_refs(recv, MACH_PORT_RIGHT_RECEIVE), 1);
    UT_EQ(ut_refs(recv, MACH_PORT_RIGHT_SEND), 0);
    UT_EQ(ut_refs(recv, MACH_PORT_RIGHT_SEND_ONCE), 0);
    UT_EQ(ut_type(pset), MACH_PORT_TYPE_PORT_SET);
    UT_EQ(ut_refs(pset, MACH_PORT_RIGHT_PORT_SET), 1);
    UT_EQ(ut_refs(pset, MACH_PORT_RIGHT_RECEIVE), 0);
    UT_EQ(ut_type(dead), MACH_PORT_TYPE_DEAD_NAME);
    UT_EQ(ut_refs(dead, MACH_PORT_RIGHT_DEAD_NAME), 1);

    /* Rights that only come from an existing port cannot be allocated. */
    UT_KR(mach_port_allocate(self, MACH_PORT_RIGHT_SEND, &none), KERN_INVALID_VALUE);
    UT_KR(mach_port_allocate(self, MACH_PORT_RIGHT_SEND_ONCE, &none), KERN_INVALID_VALUE);
    UT_KR(mach_port_allocate(self, MACH_PORT_RIGHT_NUMBER, &none), KERN_INVALID_VALUE);
    UT_EQ(none, 0x12345678); /* out-parameters are written only on success */
    /* get_refs of a right kind that does not exist */
    mach_port_urefs_t refs = 77;
    UT_KR(mach_port_get_refs(self, recv, MACH_PORT_RIGHT_NUMBER, &refs), KERN_INVALID_VALUE);
    UT_EQ(refs, 77);

    UT_KR(mach_port_destroy(self, recv), KERN_SUCCESS);
    UT_KR(mach_port_mod_refs(self, recv2, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
    UT_KR(mach_port_destroy(self, pset), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(self, dead), KERN_SUCCESS);
    mach_port_type_t type;
    UT_KR(mach_port_type(self, recv, &type), KERN_INVALID_NAME);
    UT_KR(mach_port_type(self, recv2, &type), KERN_INVALID_NAME);
    UT_KR(mach_port_type(self, pset, &type), KERN_INVALID_NAME);
    UT_KR(mach_port_type(self, dead, &type), KERN_INVALID_NAME);

    ut_stats_expect_baseline();
    return ut_pass();
}

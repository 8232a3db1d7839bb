/* SPDX-License-Identifier: MIT */
/*
 * mach_port_allocate_name puts a new right under the caller's name: a name
 * in use fails with KERN_NAME_EXISTS (the existing right untouched), and
 * MACH_PORT_NULL / MACH_PORT_DEAD are never names (KERN_INVALID_VALUE).
 * Names are index << 8 | generation in Quay; the ones used here are valid.
 */
#include "ut_ports.h"

#define NAME_RECV 0x4a01u
#define NAME_PSET 0x4b02u
#define NAME_DEAD 0x4c03u

int
main(void)
{
    mach_port_t self = mach_task_self();
    mach_port_status_t st;

    ut_stats_begin();

    UT_KR(mach_port_allocate_name(self, MACH_PORT_RIGHT_RECEIVE, NAME_RECV), KERN_SUCCESS);
    UT_KR(mach_port_allocate_name(self, MACH_PORT_RIGHT_PORT_SET, NAME_PSET), KERN_SUCCESS);
    UT_KR(mach_port_allocate_name(self, MACH_PORT_RIGHT_DEAD_NAME, NAME_DEAD), KERN_SUCCESS);
    UT_EQ(ut_type(NAME_RECV), MACH_PORT_TYPE_RECEIVE);
    UT_EQ(ut_type(NAME_PSET), MACH_PORT_TYPE_PORT_SET);
    UT_EQ(ut_type(NAME_DEAD), MACH_PORT_TYPE_DEAD_NAME);
    UT_EQ(ut_refs(NAME_DEAD, MACH_PORT_RIGHT_DEAD_NAME), 1);

    /* Reuse of a name in use, whatever the right asked for. */
    UT_KR(mach_port_allocate_name(self, MACH_PORT_RIGHT_RECEIVE, NAME_RECV), KERN_NAME_EXISTS);
    UT_KR(mach_port_allocate_name(self, MACH_PORT_RIGHT_PORT_SET, NAME_RECV), KERN_NAME_EXISTS);
    UT_KR(mach_port_allocate_name(self, MACH_PORT_RIGHT_DEAD_NAME, NAME_PSET), KERN_NAME_EXISTS);
    UT_KR(mach_port_allocate_name(self, MACH_PORT_RIGHT_RECEIVE, NAME_DEAD), KERN_NAME_EXISTS);
    UT_EQ(ut_type(NAME_RECV), MACH_PORT_TYPE_RECEIVE);
    UT_EQ(ut_type(NAME_DEAD), MACH_PORT_TYPE_DEAD_NAME);
    UT_EQ(ut_refs(NAME_DEAD, MACH_PORT_RIGHT_DEAD_NAME), 1);
    st = ut_status(NAME_RECV);
    UT_EQ(st.mps_msgcount, 0);

    /* The reserved names. */
    UT_KR(mach_port_allocate_name(self, MACH_PORT_RIGHT_RECEIVE, MACH_PORT_NULL),
          KERN_INVALID_VALUE);
    UT_KR(mach_port_allocate_name(self, MACH_PORT_RIGHT_RECEIVE, MACH_PORT_DEAD),
          KERN_INVALID_VALUE);
    UT_KR(mach_port_allocate_name(self, MACH_PORT_RIGHT_DEAD_NAME, MACH_PORT_NULL),
          KERN_INVALID_VALUE);
    /* A right that cannot be allocated. */
    UT_KR(mach_port_allocate_name(self, MACH_PORT_RIGHT_SEND, 0x4d04u), KERN_INVALID_VALUE);
    mach_port_type_t type;
    UT_KR(mach_port_type(self, 0x4d04u, &type), KERN_INVALID_NAME);

    /* A freed name can be allocated again. */
    UT_KR(mach_port_destroy(self, NAME_RECV), KERN_SUCCESS);
    UT_KR(mach_port_allocate_name(self, MACH_PORT_RIGHT_RECEIVE, NAME_RECV), KERN_SUCCESS);
    UT_EQ(ut_type(NAME_RECV), MACH_PORT_TYPE_RECEIVE);

    UT_KR(mach_port_destroy(self, NAME_RECV), KERN_SUCCESS);
    UT_KR(mach_port_destroy(self, NAME_PSET), KERN_SUCCESS);
    UT_KR(mach_port_destroy(self, NAME_DEAD), KERN_SUCCESS);
    ut_stats_expect_baseline();
    return ut_pass();
}

/* SPDX-License-Identifier: MIT */
/*
 * A name holds at most MACH_PORT_UREFS_MAX user references of a send right
 * or dead name: mod_refs, insert_right and a received right that would go
 * past it fail with KERN_UREFS_OVERFLOW and leave the count at the limit.
 */
#include "ut_ports.h"

int
main(void)
{
    mach_port_t self = mach_task_self();
    mach_port_name_t port, dead;
    mach_port_type_t type;

    ut_stats_begin();
    port = ut_port_send();
    UT_KR(mach_port_allocate(self, MACH_PORT_RIGHT_DEAD_NAME, &dead), KERN_SUCCESS);

    UT_KR(mach_port_mod_refs(self, port, MACH_PORT_RIGHT_SEND, MACH_PORT_UREFS_MAX - 1),
          KERN_SUCCESS);
    UT_EQ(ut_refs(port, MACH_PORT_RIGHT_SEND), MACH_PORT_UREFS_MAX);
    UT_KR(mach_port_mod_refs(self, port, MACH_PORT_RIGHT_SEND, 1), KERN_UREFS_OVERFLOW);
    UT_EQ(ut_refs(port, MACH_PORT_RIGHT_SEND), MACH_PORT_UREFS_MAX);
    UT_KR(mach_port_insert_right(self, port, port, MACH_MSG_TYPE_MAKE_SEND), KERN_UREFS_OVERFLOW);
    UT_KR(mach_port_insert_right(self, port, port, MACH_MSG_TYPE_COPY_SEND), KERN_UREFS_OVERFLOW);
    UT_EQ(ut_refs(port, MACH_PORT_RIGHT_SEND), MACH_PORT_UREFS_MAX);

    UT_KR(mach_port_mod_refs(self, dead, MACH_PORT_RIGHT_DEAD_NAME, MACH_PORT_UREFS_MAX - 1),
          KERN_SUCCESS);
    UT_EQ(ut_refs(dead, MACH_PORT_RIGHT_DEAD_NAME), MACH_PORT_UREFS_MAX);
    UT_KR(mach_port_mod_refs(self, dead, MACH_PORT_RIGHT_DEAD_NAME, 1), KERN_UREFS_OVERFLOW);
    UT_KR(mach_port_mod_refs(self, dead, MACH_PORT_RIGHT_DEAD_NAME, 0x10000), KERN_UREFS_OVERFLOW);
    UT_EQ(ut_refs(dead, MACH_PORT_RIGHT_DEAD_NAME), MACH_PORT_UREFS_MAX);

    /* At the limit the whole count still comes off in one call. */
    UT_KR(mach_port_mod_refs(self, port, MACH_PORT_RIGHT_SEND, -(int)MACH_PORT_UREFS_MAX),
          KERN_SUCCESS);
    UT_EQ(ut_type(port), MACH_PORT_TYPE_RECEIVE);
    UT_KR(mach_port_mod_refs(self, dead, MACH_PORT_RIGHT_DEAD_NAME, -(int)MACH_PORT_UREFS_MAX),
          KERN_SUCCESS);
    UT_KR(mach_port_type(self, dead, &type), KERN_INVALID_NAME);

    UT_KR(mach_port_destroy(self, port), KERN_SUCCESS);
    ut_stats_expect_baseline();
    return ut_pass();
}

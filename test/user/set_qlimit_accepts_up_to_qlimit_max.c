/* SPDX-License-Identifier: MIT */
/*
 * A new port's queue limit is MACH_PORT_QLIMIT_DEFAULT; mach_port_set_qlimit
 * takes any value from 0 to MACH_PORT_QLIMIT_MAX and refuses more with
 * KERN_INVALID_VALUE (the limit unchanged); it needs a receive right
 * (KERN_INVALID_RIGHT otherwise).
 */
#include "ut_ports.h"

int
main(void)
{
    mach_port_t self = mach_task_self();
    mach_port_name_t port, pset, so;
    mach_msg_type_name_t t;

    ut_stats_begin();
    port = ut_port();
    UT_KR(mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &pset), KERN_SUCCESS);
    UT_KR(mach_port_extract_right(self, port, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &t), KERN_SUCCESS);

    UT_EQ(ut_status(port).mps_qlimit, MACH_PORT_QLIMIT_DEFAULT);
    UT_KR(mach_port_set_qlimit(self, port, 1), KERN_SUCCESS);
    UT_EQ(ut_status(port).mps_qlimit, 1);
    UT_KR(mach_port_set_qlimit(self, port, MACH_PORT_QLIMIT_MAX), KERN_SUCCESS);
    UT_EQ(ut_status(port).mps_qlimit, MACH_PORT_QLIMIT_MAX);
    UT_KR(mach_port_set_qlimit(self, port, MACH_PORT_QLIMIT_MAX + 1), KERN_INVALID_VALUE);
    UT_KR(mach_port_set_qlimit(self, port, 0xffffffffu), KERN_INVALID_VALUE);
    UT_EQ(ut_status(port).mps_qlimit, MACH_PORT_QLIMIT_MAX);
    UT_KR(mach_port_set_qlimit(self, port, MACH_PORT_QLIMIT_ZERO), KERN_SUCCESS);
    UT_EQ(ut_status(port).mps_qlimit, 0);

    UT_KR(mach_port_set_qlimit(self, pset, 3), KERN_INVALID_RIGHT);
    UT_KR(mach_port_set_qlimit(self, so, 3), KERN_INVALID_RIGHT);
    UT_KR(mach_port_set_qlimit(self, 0xa101u, 3), KERN_INVALID_NAME);
    UT_EQ(ut_status(port).mps_qlimit, 0);

    /* The port first (the send-once right becomes a dead name), so that no
     * send-once notification meets the zero queue limit. */
    UT_KR(mach_port_destroy(self, port), KERN_SUCCESS);
    UT_EQ(ut_type(so), MACH_PORT_TYPE_DEAD_NAME);
    UT_KR(mach_port_destroy(self, so), KERN_SUCCESS);
    UT_KR(mach_port_destroy(self, pset), KERN_SUCCESS);
    ut_stats_expect_baseline();
    return ut_pass();
}

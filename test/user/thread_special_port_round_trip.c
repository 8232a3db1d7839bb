/* SPDX-License-Identifier: MIT */
/*
 * thread_get_special_port / thread_set_special_port (GNU Mach's classic
 * calls, mach.defs 2018/2019): THREAD_KERNEL_PORT is the thread's own port
 * (the name mach_thread_self() gives); THREAD_EXCEPTION_PORT starts empty,
 * holds the send right it is given (a copy: our uref count is unchanged)
 * until it is reset, which releases it.  THREAD_KERNEL_PORT cannot be set
 * and unknown slots are KERN_INVALID_ARGUMENT; nothing changes then.
 */
#include "ut_ports.h"
#include <mach/task_special_ports.h>

int
main(void)
{
    mach_port_t self, got, port;

    ut_stats_begin();
    self = mach_thread_self();
    port = ut_port_send();

    UT_KR(thread_get_special_port(self, THREAD_KERNEL_PORT, &got), KERN_SUCCESS);
    UT_EQ(got, self);
    UT_EQ(ut_refs(self, MACH_PORT_RIGHT_SEND), 2);
    UT_KR(mach_port_deallocate(mach_task_self(), got), KERN_SUCCESS);

    UT_KR(thread_get_special_port(self, THREAD_EXCEPTION_PORT, &got), KERN_SUCCESS);
    UT_EQ(got, MACH_PORT_NULL);
    UT_KR(thread_set_special_port(self, THREAD_EXCEPTION_PORT, port), KERN_SUCCESS);
    UT_EQ(ut_refs(port, MACH_PORT_RIGHT_SEND), 1);
    UT_KR(thread_get_special_port(self, THREAD_EXCEPTION_PORT, &got), KERN_SUCCESS);
    UT_EQ(got, port);
    UT_EQ(ut_refs(port, MACH_PORT_RIGHT_SEND), 2);
    UT_KR(mach_port_deallocate(mach_task_self(), got), KERN_SUCCESS);

    UT_KR(thread_set_special_port(self, THREAD_KERNEL_PORT, port), KERN_INVALID_ARGUMENT);
    UT_KR(thread_set_special_port(self, 99, port), KERN_INVALID_ARGUMENT);
    UT_KR(thread_get_special_port(self, 99, &got), KERN_INVALID_ARGUMENT);
    UT_KR(thread_get_special_port(mach_task_self(), THREAD_KERNEL_PORT, &got),
          KERN_INVALID_ARGUMENT);
    UT_EQ(ut_refs(port, MACH_PORT_RIGHT_SEND), 1);

    /* Reset: the kernel's right goes, so the port has only ours. */
    UT_KR(thread_set_special_port(self, THREAD_EXCEPTION_PORT, MACH_PORT_NULL), KERN_SUCCESS);
    UT_KR(thread_get_special_port(self, THREAD_EXCEPTION_PORT, &got), KERN_SUCCESS);
    UT_EQ(got, MACH_PORT_NULL);
    UT_EQ(ut_status(port).mps_srights, TRUE);
    UT_KR(mach_port_deallocate(mach_task_self(), port), KERN_SUCCESS);
    UT_EQ(ut_status(port).mps_srights, FALSE);

    UT_KR(mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), self), KERN_SUCCESS);
    ut_stats_settle_baseline();
    return ut_pass();
}

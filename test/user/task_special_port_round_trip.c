/* SPDX-License-Identifier: MIT */
/*
 * task_set_special_port stores a send right as one of a task's special
 * ports and task_get_special_port hands out a new send right to it: our
 * bootstrap port set to a port of ours comes back under that port's name,
 * and the original comes back when restored.  TASK_KERNEL_PORT is the
 * task's own port.  An unknown special port is KERN_INVALID_ARGUMENT.
 */
#include "ut_ports.h"

int
main(void)
{
    mach_port_t self = mach_task_self();
    mach_port_t orig, got, kport;
    mach_port_name_t port;
    mach_port_urefs_t self_refs;

    ut_stats_begin();
    UT_KR(task_get_special_port(self, TASK_BOOTSTRAP_PORT, &orig), KERN_SUCCESS);
    port = ut_port_send();

    UT_KR(task_set_special_port(self, TASK_BOOTSTRAP_PORT, port), KERN_SUCCESS);
    UT_EQ(ut_refs(port, MACH_PORT_RIGHT_SEND), 1); /* the kernel copied it */
    UT_EQ(ut_status(port).mps_srights, TRUE);
    UT_KR(task_get_special_port(self, TASK_BOOTSTRAP_PORT, &got), KERN_SUCCESS);
    UT_EQ(got, port);
    UT_EQ(ut_refs(port, MACH_PORT_RIGHT_SEND), 2);
    UT_KR(mach_port_deallocate(self, got), KERN_SUCCESS);

    /* Our own task port. */
    self_refs = ut_refs(self, MACH_PORT_RIGHT_SEND);
    UT_KR(task_get_special_port(self, TASK_KERNEL_PORT, &kport), KERN_SUCCESS);
    UT_EQ(kport, self);
    UT_EQ(ut_refs(self, MACH_PORT_RIGHT_SEND), self_refs + 1);
    UT_KR(mach_port_deallocate(self, kport), KERN_SUCCESS);

    /* Unknown special ports. */
    UT_KR(task_get_special_port(self, 999, &got), KERN_INVALID_ARGUMENT);
    UT_KR(task_set_special_port(self, 999, port), KERN_INVALID_ARGUMENT);
    UT_EQ(ut_refs(port, MACH_PORT_RIGHT_SEND), 1);

    /* Restore the original: the kernel lets go of our port. */
    UT_KR(task_set_special_port(self, TASK_BOOTSTRAP_PORT, orig), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(self, port), KERN_SUCCESS);
    UT_EQ(ut_status(port).mps_srights, FALSE);
    UT_KR(task_get_special_port(self, TASK_BOOTSTRAP_PORT, &got), KERN_SUCCESS);
    UT_EQ(got, orig);
    if (MACH_PORT_VALID(got)) {
        UT_KR(mach_port_deallocate(self, got), KERN_SUCCESS);
        UT_KR(mach_port_deallocate(self, orig), KERN_SUCCESS);
    }

    UT_KR(mach_port_destroy(self, port), KERN_SUCCESS);
    ut_stats_expect_baseline();
    return ut_pass();
}

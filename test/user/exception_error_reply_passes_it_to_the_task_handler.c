/* SPDX-License-Identifier: MIT */
/*
 * An error reply from the thread's exception handler passes the exception
 * on to the task's: an int3 is raised first on THREAD_EXCEPTION_PORT,
 * whose handler answers KERN_FAILURE, then on TASK_EXCEPTION_PORT, whose
 * handler answers KERN_SUCCESS, and the thread continues after the int3.
 * One handler thread serves both ports through a port set.  The rights of
 * the refused request are released by the server stub (docs/mig.md), so
 * the thread's port keeps one user reference.
 */
#include "ut_exc.h"

static mach_port_t thread_port, task_port;

static kern_return_t
ut_exc_handle(const struct ut_exc_seen *e)
{
    return e->port == thread_port ? KERN_FAILURE : KERN_SUCCESS;
}

int
main(void)
{
    struct ut_exc_server srv;
    mach_port_t set, self;

    ut_stats_begin();
    self = mach_thread_self();
    thread_port = ut_port_send();
    task_port = ut_port_send();
    UT_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set), KERN_SUCCESS);
    UT_KR(mach_port_move_member(mach_task_self(), thread_port, set), KERN_SUCCESS);
    UT_KR(mach_port_move_member(mach_task_self(), task_port, set), KERN_SUCCESS);
    ut_exc_set_thread_port(thread_port);
    UT_KR(task_set_special_port(mach_task_self(), TASK_EXCEPTION_PORT, task_port), KERN_SUCCESS);
    ut_exc_serve(&srv, set, 2);

    __asm__ volatile("int3");
    ut_exc_join(&srv);
    ut_exc_expect_kernel_reply_port();

    UT_EQ(ut_exc_count, 2);
    UT_EQ(ut_exc_seen[0].port, thread_port);
    UT_EQ(ut_exc_seen[1].port, task_port);
    for (unsigned i = 0; i < 2; i++) {
        UT_EQ(ut_exc_seen[i].exc, EXC_BREAKPOINT);
        UT_EQ(ut_exc_seen[i].code[0], EXC_I386_BPT);
        UT_EQ(ut_exc_seen[i].thread, self);
    }
    UT_EQ(ut_refs(self, MACH_PORT_RIGHT_SEND), 1);

    ut_exc_set_thread_port(MACH_PORT_NULL);
    UT_KR(task_set_special_port(mach_task_self(), TASK_EXCEPTION_PORT, MACH_PORT_NULL),
          KERN_SUCCESS);
    UT_KR(mach_port_mod_refs(mach_task_self(), set, MACH_PORT_RIGHT_PORT_SET, -1), KERN_SUCCESS);
    UT_KR(mach_port_mod_refs(mach_task_self(), thread_port, MACH_PORT_RIGHT_RECEIVE, -1),
          KERN_SUCCESS);
    UT_KR(mach_port_mod_refs(mach_task_self(), task_port, MACH_PORT_RIGHT_RECEIVE, -1),
          KERN_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), thread_port), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), task_port), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), self), KERN_SUCCESS);
    ut_stats_settle_baseline();
    return ut_pass();
}

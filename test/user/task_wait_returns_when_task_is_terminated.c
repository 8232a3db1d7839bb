/* SPDX-License-Identifier: MIT */
/*
 * A task_wait on a task that someone else terminates returns KERN_SUCCESS
 * once the task has ended (the status is the one the kernel documents for
 * task_terminate; not checked here).  Several waiters are all answered.
 */
#include "ut_ports.h"
#include <quay/threads.h>

#define WAITERS 3

static task_t child;
static volatile thread_t waiter_port[WAITERS];
static volatile kern_return_t wait_kr[WAITERS];

static void *
waiter(void *arg)
{
    uintptr_t i = (uintptr_t)arg;
    int status;

    waiter_port[i] = mach_thread_self();
    wait_kr[i] = task_wait(child, &status);
    return NULL;
}

int
main(void)
{
    mach_port_t self = mach_task_self();
    quay_thread_t w[WAITERS];

    ut_stats_begin();
    child = ut_child_task();
    for (uintptr_t i = 0; i < WAITERS; i++) {
        wait_kr[i] = -1;
        UT_KR(quay_thread_create(waiter, (void *)i, &w[i]), KERN_SUCCESS);
    }
    for (int i = 0; i < WAITERS; i++) {
        while (waiter_port[i] == MACH_PORT_NULL)
            (void)swtch();
        ut_wait_blocked(waiter_port[i]);
        UT_EQ(wait_kr[i], -1);
    }

    UT_KR(task_terminate(child), KERN_SUCCESS);
    for (int i = 0; i < WAITERS; i++) {
        UT_KR(quay_thread_join(w[i], NULL), KERN_SUCCESS);
        UT_EQ(wait_kr[i], KERN_SUCCESS);
        UT_KR(mach_port_deallocate(self, waiter_port[i]), KERN_SUCCESS);
    }

    UT_EQ(ut_type(child), MACH_PORT_TYPE_DEAD_NAME);
    UT_KR(mach_port_deallocate(self, child), KERN_SUCCESS);
    ut_stats_settle_baseline();
    return ut_pass();
}

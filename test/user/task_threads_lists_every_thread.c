/* SPDX-License-Identifier: MIT */
/*
 * task_threads returns a send right to each thread of the task: here our
 * first thread (the port mach_thread_self() names) and two more made with
 * the threads library, each listed once; the rights merge with names we
 * already hold for those ports.
 */
#include "ut_ports.h"
#include <quay/threads.h>

static volatile uint32_t release;
static thread_t ports[2];

static void *
waiter(void *arg)
{
    ports[(uintptr_t)arg] = mach_thread_self();
    while (release == 0)
        (void)quay_wait(&release, 0, 0);
    return NULL;
}

int
main(void)
{
    mach_port_t self = mach_task_self();
    thread_array_t threads;
    mach_msg_type_number_t n;
    quay_thread_t th[2];
    thread_t me;

    ut_stats_begin();
    me = mach_thread_self();
    mach_port_urefs_t refs = ut_refs(me, MACH_PORT_RIGHT_SEND);
    UT_KR(task_threads(self, &threads, &n), KERN_SUCCESS);
    UT_EQ(n, 1);
    UT_EQ(threads[0], me);
    UT_EQ(ut_refs(me, MACH_PORT_RIGHT_SEND), refs + 1);
    UT_KR(mach_port_deallocate(self, threads[0]), KERN_SUCCESS);
    UT_KR(vm_deallocate(self, (vm_address_t)threads, n * sizeof(*threads)), KERN_SUCCESS);

    for (uintptr_t i = 0; i < 2; i++)
        UT_KR(quay_thread_create(waiter, (void *)i, &th[i]), KERN_SUCCESS);
    for (int i = 0; i < 2; i++) {
        while (ports[i] == MACH_PORT_NULL)
            (void)swtch();
        ut_wait_blocked(ports[i]);
    }

    UT_KR(task_threads(self, &threads, &n), KERN_SUCCESS);
    UT_EQ(n, 3);
    int seen_me = 0, seen0 = 0, seen1 = 0;
    for (mach_msg_type_number_t i = 0; i < n; i++) {
        UT_EQ(ut_type(threads[i]), MACH_PORT_TYPE_SEND);
        seen_me += threads[i] == me;
        seen0 += threads[i] == ports[0];
        seen1 += threads[i] == ports[1];
        UT_KR(mach_port_deallocate(self, threads[i]), KERN_SUCCESS);
    }
    UT_EQ(seen_me, 1);
    UT_EQ(seen0, 1);
    UT_EQ(seen1, 1);
    UT_KR(vm_deallocate(self, (vm_address_t)threads, n * sizeof(*threads)), KERN_SUCCESS);

    release = 1;
    UT_KR(quay_wake(&release, 10), 2);
    for (int i = 0; i < 2; i++) {
        UT_KR(quay_thread_join(th[i], NULL), KERN_SUCCESS);
        UT_KR(mach_port_deallocate(self, ports[i]), KERN_SUCCESS);
    }
    UT_KR(mach_port_deallocate(self, me), KERN_SUCCESS);

    UT_KR(task_threads(self, &threads, &n), KERN_SUCCESS);
    UT_EQ(n, 1);
    UT_KR(mach_port_deallocate(self, threads[0]), KERN_SUCCESS);
    UT_KR(vm_deallocate(self, (vm_address_t)threads, n * sizeof(*threads)), KERN_SUCCESS);
    ut_stats_settle_baseline();
    return ut_pass();
}

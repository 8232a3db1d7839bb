/* SPDX-License-Identifier: MIT */
/*
 * thread_create makes a suspended thread with no user state in our task;
 * thread_set_state (x86_THREAD_STATE64: rip, rsp, rdi) gives it a function,
 * a stack and an argument, and thread_resume runs it: it increments a
 * counter in our memory by its argument and quay_wake()s us.  The new
 * thread counts in task_threads and in the kernel's thread count until it
 * is terminated.
 */
#include "ut_ports.h"

static volatile uint32_t counter;

static __attribute__((noreturn)) void
bump(uint64_t by)
{
    counter += (uint32_t)by;
    (void)quay_wake(&counter, 1);
    ut_park();
}

static mach_msg_type_number_t
thread_count(void)
{
    thread_array_t threads;
    mach_msg_type_number_t n;

    UT_KR(task_threads(mach_task_self(), &threads, &n), KERN_SUCCESS);
    for (mach_msg_type_number_t i = 0; i < n; i++)
        UT_KR(mach_port_deallocate(mach_task_self(), threads[i]), KERN_SUCCESS);
    UT_KR(vm_deallocate(mach_task_self(), (vm_address_t)threads, n * sizeof(*threads)),
          KERN_SUCCESS);
    return n;
}

int
main(void)
{
    struct ut_raw_thread t;
    mach_msg_type_number_t before;

    ut_stats_begin();
    before = thread_count();

    ut_raw_thread_start(&t, bump, 5, 0);
    UT_EQ(ut_type(t.port), MACH_PORT_TYPE_SEND);
    UT_EQ(thread_count(), before + 1);
    /* Created suspended: nothing has run yet. */
    ut_sleep_ms(20);
    UT_EQ(counter, 0);
    UT_EQ(ut_thread_state(t.port).suspend_count, 1);

    UT_KR(thread_resume(t.port), KERN_SUCCESS);
    ut_wait_change(&counter, 0);
    UT_EQ(counter, 5);
    UT_EQ(ut_thread_state(t.port).suspend_count, 0);
    UT_KR(thread_resume(t.port), KERN_FAILURE); /* not suspended */

    ut_raw_thread_end(&t);
    UT_EQ(thread_count(), before);
    ut_stats_settle_baseline();
    return ut_pass();
}

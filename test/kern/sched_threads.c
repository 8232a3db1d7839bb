// SPDX-License-Identifier: MIT
//
// Tests of kernel threads and the scheduler: life cycle and stack
// reclamation, priority preemption, round robin, yield, suspension.  The
// ktest thread runs at PRI_KERNEL_DEFAULT; spinning workers are bounded in
// time so a scheduler bug fails a test instead of hanging the run.

#include <debug/ktest.h>
#include <kern/clock.h>
#include <kern/sched.h>
#include <kern/thread.h>
#include <vm/kmem.h>
#include "exec_util.h"

static volatile bool flag_a, flag_b, stop;
static volatile uint64_t count_a, count_b;

static void
set_flag_a(void *arg)
{
    (void)arg;
    flag_a = true;
}

KTEST(thread, kernel_thread_runs_and_terminates)
{
    flag_a = false;
    struct thread *t = kernel_thread_create(set_flag_a, NULL, PRI_KERNEL_DEFAULT, "kt-run");
    KT_ASSERT(t != NULL);
    KT_EQ(thread_wait_terminated(t), THREAD_AWAKENED);
    KT_ASSERT(flag_a);
    KT_ASSERT(t->th_state & TH_HALTED);
    thread_deallocate(t);
}

KTEST(thread, stacks_are_freed_after_termination)
{
    struct kmem_stats s0, s1;
    struct thread *t[4];

    kmem_get_stats(&s0);
    for (int i = 0; i < 4; i++) {
        t[i] = kernel_thread_create(set_flag_a, NULL, PRI_KERNEL_DEFAULT - 1, "kt-stack");
        KT_ASSERT(t[i] != NULL);
    }
    kmem_get_stats(&s1);
    KT_ASSERT(s1.ks_blocks >= s0.ks_blocks + 4);
    for (int i = 0; i < 4; i++) {
        KT_EQ(thread_wait_terminated(t[i]), THREAD_AWAKENED);
        thread_deallocate(t[i]);
    }
    kmem_get_stats(&s1);
    KT_EQ(s1.ks_blocks, s0.ks_blocks);
    KT_EQ(s1.ks_pages, s0.ks_pages);
}

// Spins (never blocking or yielding) until `stop` or 2 s.
static void
spin_count(void *arg)
{
    volatile uint64_t *count = arg;
    uint64_t end = clock_now_ns() + 2000 * MS;

    while (!stop && clock_now_ns() < end)
        (*count)++;
}

static void
high_wakes_up(void *arg)
{
    (void)arg;
    thread_sleep_ns(20 * MS);
    count_b = count_a; // the spinner's progress when we got the CPU
    flag_b = true;
}

KTEST(sched, higher_priority_thread_preempts_a_spinning_lower_one)
{
    stop = flag_b = false;
    count_a = count_b = 0;
    struct thread *lo = kernel_thread_create(spin_count, (void *)&count_a, 40, "kt-low");
    struct thread *hi = kernel_thread_create(high_wakes_up, NULL, 90, "kt-high");
    KT_ASSERT(lo != NULL && hi != NULL);
    bool ran = ut_wait_flag(&flag_b, 500); // we (80) also preempt the spinner
    uint64_t seen = count_b;
    stop = true;
    thread_wait_terminated(lo);
    thread_wait_terminated(hi);
    thread_deallocate(lo);
    thread_deallocate(hi);
    KT_ASSERT(ran);
    KT_ASSERT(seen > 0); // it woke while the low thread was running
}

KTEST(sched, equal_priority_threads_share_the_cpu_round_robin)
{
    stop = false;
    count_a = count_b = 0;
    struct thread *a = kernel_thread_create(spin_count, (void *)&count_a, 50, "kt-rr-a");
    struct thread *b = kernel_thread_create(spin_count, (void *)&count_b, 50, "kt-rr-b");
    KT_ASSERT(a != NULL && b != NULL);
    thread_sleep_ns(8 * SCHED_QUANTUM_TICKS * 10 * MS); // several time slices
    uint64_t ca = count_a, cb = count_b;
    stop = true;
    thread_wait_terminated(a);
    thread_wait_terminated(b);
    thread_deallocate(a);
    thread_deallocate(b);
    KT_ASSERT(ca > 0);
    KT_ASSERT(cb > 0);
}

KTEST(sched, thread_yield_runs_a_ready_thread_of_equal_priority)
{
    flag_a = false;
    int pri = current_thread()->th_priority;
    struct thread *t = kernel_thread_create(set_flag_a, NULL, pri, "kt-yield");
    KT_ASSERT(t != NULL);
    KT_ASSERT(!flag_a); // equal priority: no preemption
    thread_yield();
    KT_ASSERT(flag_a);
    thread_wait_terminated(t);
    thread_deallocate(t);
}

KTEST(sched, lower_priority_thread_waits_for_the_cpu)
{
    flag_a = false;
    struct thread *t = kernel_thread_create(set_flag_a, NULL, 10, "kt-lower");
    KT_ASSERT(t != NULL);
    thread_yield();
    KT_ASSERT(!flag_a);        // yield does not give way to lower priorities
    thread_wait_terminated(t); // blocking does
    KT_ASSERT(flag_a);
    thread_deallocate(t);
}

// Counts, passing a suspension point each round.
static void
count_with_suspension_point(void *arg)
{
    (void)arg;
    while (!stop) {
        count_a++;
        thread_suspend_point();
        thread_sleep_ns(MS);
    }
}

KTEST(thread, suspended_thread_stops_until_resumed)
{
    stop = false;
    count_a = 0;
    struct thread *t = kernel_thread_create(count_with_suspension_point, NULL, 85, "kt-susp");
    KT_ASSERT(t != NULL);
    thread_sleep_ns(10 * MS);
    KT_EQ(thread_suspend(t), KERN_SUCCESS);
    thread_sleep_ns(10 * MS); // it reaches its suspension point and stops
    KT_ASSERT(thread_is_stopped(t));
    uint64_t c1 = count_a;
    thread_sleep_ns(30 * MS);
    uint64_t c2 = count_a;
    KT_EQ(thread_resume(t), KERN_SUCCESS);
    KT_EQ(thread_resume(t), KERN_FAILURE); // not suspended any more
    thread_sleep_ns(20 * MS);
    uint64_t c3 = count_a;
    stop = true;
    thread_wait_terminated(t);
    thread_deallocate(t);
    KT_EQ(c2, c1);
    KT_ASSERT(c3 > c2);
}

KTEST(thread, terminate_ends_a_suspended_thread)
{
    stop = false;
    struct thread *t = kernel_thread_create(count_with_suspension_point, NULL, 85, "kt-term");
    KT_ASSERT(t != NULL);
    KT_EQ(thread_suspend(t), KERN_SUCCESS);
    thread_sleep_ns(5 * MS);
    KT_EQ(thread_terminate(t), KERN_SUCCESS);
    KT_EQ(thread_terminate(t), KERN_TERMINATED);
    KT_EQ(thread_wait_terminated(t), THREAD_AWAKENED);
    thread_deallocate(t);
}

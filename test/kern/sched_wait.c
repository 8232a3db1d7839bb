// SPDX-License-Identifier: MIT
//
// Tests of blocking and waking (kern/sched_prim.h): hand-off, no lost
// wake-ups, timeouts, clear_wait and its interruptibility rule.

#include <debug/ktest.h>
#include <kern/clock.h>
#include <kern/sched.h>
#include <kern/sched_prim.h>
#include <kern/spinlock.h>
#include <kern/thread.h>
#include "exec_util.h"

static struct spinlock obj_lock = SPINLOCK_INIT("ktest obj", LOCK_RANK_TEST_OUTER);
static bool obj_ready; // protected by obj_lock
static volatile wait_result_t result;
static volatile bool waiter_blocking;

static void
wait_for_obj(void *arg)
{
    (void)arg;
    wait_result_t r = THREAD_AWAKENED;

    spin_lock(&obj_lock);
    while (!obj_ready) {
        assert_wait((event_t)&obj_ready, false);
        spin_unlock(&obj_lock);
        r = thread_block();
        spin_lock(&obj_lock);
    }
    spin_unlock(&obj_lock);
    result = r;
}

KTEST(sched_prim, wakeup_hands_the_condition_to_a_blocked_waiter)
{
    obj_ready = false;
    result = -5;
    struct thread *t = kernel_thread_create(wait_for_obj, NULL, 90, "kt-waiter");
    KT_ASSERT(t != NULL);
    KT_ASSERT(t->th_state & TH_WAIT); // higher priority: it ran and blocked
    spin_lock(&obj_lock);
    obj_ready = true;
    spin_unlock(&obj_lock);
    thread_wakeup((event_t)&obj_ready);
    KT_EQ(thread_wait_terminated(t), THREAD_AWAKENED);
    KT_EQ(result, THREAD_AWAKENED);
    thread_deallocate(t);
}

KTEST(sched_prim, wakeup_between_assert_wait_and_block_is_not_lost)
{
    static int event;

    assert_wait((event_t)&event, false);
    thread_wakeup((event_t)&event);
    KT_EQ(thread_block(), THREAD_AWAKENED); // returns at once
}

KTEST(sched_prim, wakeup_one_wakes_a_single_waiter)
{
    static int event;

    KT_ASSERT(!thread_wakeup_one((event_t)&event));
    assert_wait((event_t)&event, false);
    KT_ASSERT(thread_wakeup_one((event_t)&event));
    KT_EQ(thread_block(), THREAD_AWAKENED);
}

KTEST(sched_prim, timeout_ends_the_wait_with_timed_out)
{
    static int event;
    uint64_t t0 = clock_now_ns();

    assert_wait((event_t)&event, false);
    thread_set_timeout(20 * MS);
    KT_EQ(thread_block(), THREAD_TIMED_OUT);
    KT_ASSERT(clock_now_ns() - t0 >= 20 * MS);
}

KTEST(sched_prim, wakeup_before_the_timeout_cancels_it)
{
    static int event;

    assert_wait((event_t)&event, false);
    thread_set_timeout(10 * MS);
    thread_wakeup((event_t)&event);
    KT_EQ(thread_block(), THREAD_AWAKENED);
    thread_sleep_ns(20 * MS); // the old timeout must not end this wait early
    assert_wait((event_t)&event, false);
    thread_set_timeout(30 * MS);
    uint64_t t0 = clock_now_ns();
    KT_EQ(thread_block(), THREAD_TIMED_OUT);
    KT_ASSERT(clock_now_ns() - t0 >= 30 * MS);
}

static void
wait_long(void *arg)
{
    static int event;

    assert_wait((event_t)&event, arg != NULL);
    thread_set_timeout(100 * MS);
    waiter_blocking = true;
    result = thread_block();
}

KTEST(sched_prim, clear_wait_interrupts_an_interruptible_wait)
{
    waiter_blocking = false;
    struct thread *t = kernel_thread_create(wait_long, (void *)1, 90, "kt-intr");
    KT_ASSERT(t != NULL && waiter_blocking);
    clear_wait(t, THREAD_INTERRUPTED);
    thread_wait_terminated(t);
    KT_EQ(result, THREAD_INTERRUPTED);
    thread_deallocate(t);
}

KTEST(sched_prim, clear_wait_leaves_an_uninterruptible_wait_alone)
{
    waiter_blocking = false;
    struct thread *t = kernel_thread_create(wait_long, NULL, 90, "kt-nointr");
    KT_ASSERT(t != NULL && waiter_blocking);
    clear_wait(t, THREAD_INTERRUPTED);
    KT_EQ(thread_abort(t), KERN_SUCCESS);
    thread_wait_terminated(t);
    KT_EQ(result, THREAD_TIMED_OUT);
    thread_deallocate(t);
}

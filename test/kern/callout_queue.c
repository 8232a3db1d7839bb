// SPDX-License-Identifier: MIT
//
// Tests of timer callouts: deadline order, cancellation, rescheduling,
// self re-arming, many at once, and the context a callout runs in.  Every
// test cancels or drains its callouts before its first check can return,
// so nothing is left on a queue pointing at a finished test.

#include <debug/ktest.h>
#include <kern/callout.h>
#include <kern/clock.h>
#include <kern/cpu.h>
#include <kern/spinlock.h>
#include <machine/cpufunc.h>
#include "clock_wait.h"

#define MS        1000000ull
#define WAIT_LONG (5 * NS_PER_SEC) /* bound on any wait: never reached when all is well */
#define NMANY     100

// What the callouts did, in the order they did it.  Written by callout
// functions (interrupts off on this CPU), read by the tests.
static struct {
    volatile int n;
    int id[NMANY];
    uint64_t deadline[NMANY];
} fired;

static struct callout co[NMANY];

static void
record(void *arg)
{
    int id = (int)(uintptr_t)arg;

    if (fired.n < NMANY) {
        fired.id[fired.n] = id;
        fired.deadline[fired.n] = co[id].c_deadline;
    }
    fired.n++;
}

static void
reset(int n)
{
    fired.n = 0;
    for (int i = 0; i < n; i++)
        callout_init(&co[i], record, (void *)(uintptr_t)i);
}

static void
drain_all(int n)
{
    for (int i = 0; i < n; i++)
        callout_drain(&co[i]);
}

static bool
fired_at_least(void *arg)
{
    return fired.n >= *(int *)arg;
}

static bool
wait_fired(int n)
{
    return kt_wait_until(fired_at_least, &n, WAIT_LONG);
}

KTEST(callout, callouts_scheduled_out_of_order_fire_in_deadline_order)
{
    static const int delay_ms[4] = {30, 10, 40, 20};
    uint64_t base = clock_now_ns();

    reset(4);
    for (int i = 0; i < 4; i++)
        callout_schedule(&co[i], base + delay_ms[i] * MS);
    bool all = wait_fired(4);
    drain_all(4);
    KT_ASSERT(all);
    KT_EQ(fired.n, 4);
    KT_EQ(fired.id[0], 1);
    KT_EQ(fired.id[1], 3);
    KT_EQ(fired.id[2], 0);
    KT_EQ(fired.id[3], 2);
}

KTEST(callout, equal_deadlines_fire_in_scheduling_order)
{
    uint64_t deadline = clock_now_ns() + 10 * MS;

    reset(3);
    callout_schedule(&co[2], deadline);
    callout_schedule(&co[0], deadline);
    callout_schedule(&co[1], deadline);
    bool all = wait_fired(3);
    drain_all(3);
    KT_ASSERT(all);
    KT_EQ(fired.id[0], 2);
    KT_EQ(fired.id[1], 0);
    KT_EQ(fired.id[2], 1);
}

KTEST(callout, cancelled_callout_never_fires)
{
    reset(2);
    callout_schedule_after(&co[0], 10 * MS);
    callout_schedule_after(&co[1], 30 * MS);
    bool cancelled = callout_cancel(&co[0]);
    bool again = callout_cancel(&co[0]);
    bool later = wait_fired(1);
    bool after_fire = callout_cancel(&co[1]);
    drain_all(2);
    KT_ASSERT(cancelled);
    KT_ASSERT(!again);
    KT_ASSERT(later);
    KT_EQ(fired.n, 1); // co[1] fired at 30 ms, long after co[0] would have
    KT_EQ(fired.id[0], 1);
    KT_ASSERT(!after_fire);
}

KTEST(callout, cancel_of_an_unscheduled_callout_returns_false)
{
    reset(1);
    KT_ASSERT(!callout_cancel(&co[0]));
    KT_ASSERT(!callout_pending(&co[0]));
}

KTEST(callout, rescheduling_a_pending_callout_moves_it_and_it_fires_once)
{
    reset(2);
    callout_schedule_after(&co[0], 60 * NS_PER_SEC);
    callout_schedule_after(&co[0], 10 * MS);
    callout_schedule_after(&co[1], 30 * MS);
    bool both = wait_fired(2);
    bool pending = callout_pending(&co[0]);
    drain_all(2);
    KT_ASSERT(both);
    KT_EQ(fired.n, 2);
    KT_EQ(fired.id[0], 0);
    KT_ASSERT(!pending);
}

KTEST(callout, deadline_in_the_past_fires_at_the_next_tick)
{
    reset(1);
    callout_schedule(&co[0], 0);
    bool done = wait_fired(1);
    drain_all(1);
    KT_ASSERT(done);
    KT_EQ(fired.n, 1);
}

// Deadlines from a small linear congruential generator, spread over 40 ms
// so that many fall into the same tick.
KTEST(callout, many_callouts_fire_once_each_in_deadline_order)
{
    uint64_t base = clock_now_ns();
    uint32_t x = 12345;

    reset(NMANY);
    for (int i = 0; i < NMANY; i++) {
        x = x * 1103515245u + 12345u;
        callout_schedule(&co[i], base + (x >> 8) % (40 * MS));
    }
    bool all = wait_fired(NMANY);
    drain_all(NMANY);
    KT_ASSERT(all);
    KT_EQ(fired.n, NMANY);
    bool seen[NMANY] = {false};
    for (int i = 0; i < NMANY; i++) {
        KT_ASSERT(!seen[fired.id[i]]);
        seen[fired.id[i]] = true;
        if (i > 0)
            KT_ASSERT(fired.deadline[i - 1] <= fired.deadline[i]);
    }
}

static struct callout rearm_co;
static volatile int rearm_count;

static void
rearm(void *arg)
{
    (void)arg;
    if (++rearm_count < 3)
        callout_schedule_after(&rearm_co, 0); // the next tick, not this one
}

static bool
rearmed_thrice(void *arg)
{
    (void)arg;
    return rearm_count >= 3;
}

KTEST(callout, callout_can_rearm_itself_from_its_function)
{
    rearm_count = 0;
    callout_init(&rearm_co, rearm, NULL);
    callout_schedule_after(&rearm_co, 0);
    bool done = kt_wait_until(rearmed_thrice, NULL, WAIT_LONG);
    callout_drain(&rearm_co);
    KT_ASSERT(done);
    KT_EQ(rearm_count, 3);
    KT_ASSERT(!callout_pending(&rearm_co));
}

// Callouts run in the tick interrupt with the queue lock dropped: with
// interrupts off, and free to take a lock ranked below the queue's.
static struct spinlock ctx_lock = SPINLOCK_INIT("test outer", LOCK_RANK_TEST_OUTER);
static volatile int ctx_intr_on = -1, ctx_nheld = -1;

static void
context_probe(void *arg)
{
    (void)arg;
    ctx_intr_on = intr_enabled();
    ctx_nheld = cpu_current()->nheld;
    spin_lock(&ctx_lock); // would panic the checker under the queue lock
    spin_unlock(&ctx_lock);
    fired.n++;
}

KTEST(callout, callout_runs_with_interrupts_off_and_no_lock_held)
{
    fired.n = 0;
    callout_init(&co[0], context_probe, NULL);
    callout_schedule_after(&co[0], 0);
    bool done = wait_fired(1);
    callout_drain(&co[0]);
    KT_ASSERT(done);
    KT_EQ(ctx_intr_on, 0);
#ifdef QUAY_DEBUG
    KT_EQ(ctx_nheld, 0);
#endif
}

KTEST(callout, drain_of_a_pending_callout_cancels_it)
{
    reset(1);
    callout_schedule_after(&co[0], 20 * MS);
    bool was = callout_drain(&co[0]);
    bool again = callout_drain(&co[0]);
    KT_ASSERT(was);
    KT_ASSERT(!again);
    KT_ASSERT(!callout_pending(&co[0]));
    KT_EQ(fired.n, 0);
}

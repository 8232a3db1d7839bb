/* SPDX-License-Identifier: MIT
 *
 * Timer callouts: "call fn(arg) at time T".  Each CPU has a queue of pending
 * callouts ordered by deadline (earliest first, first-scheduled first among
 * equal deadlines); the CPU's timer tick takes the due ones off its queue and
 * runs them, in that order, with the queue lock dropped.  Resolution is one
 * tick (1/HZ s): a callout runs at the first tick at or after its deadline.
 *
 * Callout functions run in interrupt context on the CPU whose queue held
 * them, with interrupts disabled and no spinlock held: they may take any
 * lock, schedule callouts (their own included), but must not block.
 *
 * Concurrency contract.  Whoever owns a struct callout serializes
 * callout_schedule, callout_cancel and callout_drain on it (with its own lock,
 * or by touching it from one place only); any of them may race with the
 * callout firing on any CPU, and that race is what these calls settle:
 *   - callout_cancel returns true iff it took the callout off a queue before
 *     its tick did: then the function will not run for that scheduling.
 *     It returns false if the callout was not pending -- never scheduled,
 *     already run, or already taken off the queue by a tick on some CPU,
 *     in which case the function may be running right now on another CPU.
 *     cancel never waits.
 *   - callout_drain cancels and then waits until the function is running on
 *     no CPU, so the callout (and its argument) may then be freed.
 */
#ifndef _KERN_CALLOUT_H_
#define _KERN_CALLOUT_H_

#include <kern/types.h>
#include <kern/spinlock.h>

struct callout_queue;

typedef void (*callout_fn_t)(void *arg);

struct callout {
    /* Set by callout_init; constant after. */
    callout_fn_t c_fn;
    void *c_arg;

    /* Changed only by callout_schedule, under the new queue's lock; the
     * owner's serialization (above) lets schedule/cancel/drain read it
     * unlocked.  NULL until first scheduled. */
    struct callout_queue *c_queue; /* queue it is pending on, or last was */

    /* Protected by c_queue->cq_lock. */
    struct callout *c_next; /* queue links while pending */
    struct callout *c_prev;
    uint64_t c_deadline; /* clock_now_ns() time at which to run */
    bool c_pending;      /* on c_queue's list */

    /* Atomic: number of CPUs running c_fn right now (for callout_drain). */
    uint32_t c_running;
};

/* One per CPU, in struct cpu (kern/cpu.h). */
struct callout_queue {
    struct spinlock cq_lock; /* rank LOCK_RANK_CALLOUT */

    /* Protected by cq_lock. */
    struct callout *cq_head;    /* pending callouts, earliest deadline first */
    struct callout *cq_running; /* whose function this CPU runs now, or NULL;
                                   also read by this CPU unlocked */
    uint64_t cq_npending;
    uint64_t cq_nfired; /* callouts run by this CPU since boot */
};

/* Prepares `c` to call fn(arg); it is not pending.  Call once before any
 * other callout_* function, and never on a pending or running callout. */
void callout_init(struct callout *c, callout_fn_t fn, void *arg);

/* Arms `c` to run at clock_now_ns() time `deadline_ns` (at the next tick if
 * that is already past) on this CPU's queue.  A pending callout is moved:
 * it runs once, at the new deadline.  Takes the callout queue locks (rank
 * LOCK_RANK_CALLOUT); callable from any context, any lock of lower rank
 * held. */
void callout_schedule(struct callout *c, uint64_t deadline_ns);

/* callout_schedule(c, clock_now_ns() + delay_ns). */
void callout_schedule_after(struct callout *c, uint64_t delay_ns);

/* Takes `c` off its queue if it is pending.  Returns true if it was (its
 * function will not run for that scheduling), false otherwise; see the
 * contract above for a callout already running.  Never waits; same locks and
 * contexts as callout_schedule. */
bool callout_cancel(struct callout *c);

/* Cancels `c` and waits, spinning, until its function runs on no CPU and it
 * is not pending (a function that re-arms itself is cancelled again).
 * Returns whether the first cancel found it pending.  Must not be called
 * from c's own function (panics) nor with a lock held that the function
 * takes (deadlock). */
bool callout_drain(struct callout *c);

/* True if `c` is waiting on a queue.  A snapshot: it may fire at once. */
bool callout_pending(struct callout *c);

/* Sets up this CPU's (empty) queue; clock_cpu_init() calls it once per CPU
 * before the first tick. */
void callout_queue_init(struct callout_queue *q);

/* Runs, in deadline order, every callout on this CPU's queue that is due at
 * `now_ns`.  Called by the tick (clock_tick()) with interrupts disabled and
 * no lock held; a callout scheduled meanwhile for `now_ns` or earlier waits
 * for the next tick, so a callout that re-arms itself cannot loop. */
void callout_run_due(uint64_t now_ns);

#endif

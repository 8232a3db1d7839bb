/* SPDX-License-Identifier: MIT
 *
 * Blocking and waking (Mach's sched_prim): the only way a thread waits.
 *
 * The protocol avoids lost wake-ups without holding a lock across the
 * switch:
 *
 *     spin_lock(&obj->lock);
 *     while (!condition) {
 *         assert_wait((event_t)obj, true);   // now on the event's wait queue
 *         spin_unlock(&obj->lock);
 *         wait_result_t r = thread_block();  // returns at once if woken since
 *         if (r != THREAD_AWAKENED) ...      // timed out, interrupted
 *         spin_lock(&obj->lock);
 *     }
 *
 * A waker changes the condition under obj->lock and then calls
 * thread_wakeup((event_t)obj).  Events are addresses; waiters on one event
 * are queued in a hashed table of wait queues.
 */
#ifndef _KERN_SCHED_PRIM_H_
#define _KERN_SCHED_PRIM_H_

#include <kern/types.h>

struct thread;

typedef uintptr_t event_t;

typedef int wait_result_t;
#define THREAD_WAITING     -1 /* still waiting (internal) */
#define THREAD_AWAKENED    0  /* thread_wakeup() on its event */
#define THREAD_TIMED_OUT   1  /* the timeout set by thread_set_timeout() passed */
#define THREAD_INTERRUPTED 2  /* clear_wait(..., THREAD_INTERRUPTED): abort, terminate */
#define THREAD_RESTART     3  /* the object it waited on went away; retry */

/* Declares that the current thread is about to wait for `event`.  With
 * `interruptible`, thread_abort(), termination and suspension can end the
 * wait with THREAD_INTERRUPTED. */
void assert_wait(event_t event, bool interruptible);

/* Arms a timeout for the wait declared by assert_wait(): if not woken
 * within `ns` nanoseconds, the wait ends with THREAD_TIMED_OUT. */
void thread_set_timeout(uint64_t ns);

/* Gives up the CPU until the declared wait ends (at once if it already
 * did) and returns why it ended.  Must not be called with a spinlock held. */
wait_result_t thread_block(void);

/* Ends the waits of all threads (or one thread) waiting on `event` with
 * THREAD_AWAKENED.  thread_wakeup_one() returns whether it woke a thread. */
void thread_wakeup(event_t event);
bool thread_wakeup_one(event_t event);

/* thread_block(), giving the CPU straight to `next`: ends next's wait on
 * `event` (THREAD_AWAKENED) and, if next had given up its CPU, runs it here
 * at once, without a trip through a run queue -- unless a thread of higher
 * priority than next is ready, which then runs first and next is queued.
 * The caller waits as in thread_block() for the wait it declared, or, if
 * it declared none or was woken already, stays ready (behind its equals).
 * If next no longer waits on `event`, or has not blocked yet (it is still
 * on its way to thread_block on some CPU), it is only woken and this is
 * thread_block().  For the IPC fast path: a sender that gave a receiver
 * its message blocks in its own receive.  The caller holds no lock and a
 * reference on next, which this consumes (at once, not when the caller
 * runs again).  Returns the caller's wait result. */
wait_result_t thread_handoff(struct thread *next, event_t event);

/* Ends `thread`'s wait, if it is waiting (interruptibly, unless result is
 * THREAD_AWAKENED or THREAD_RESTART), with `result`. */
void clear_wait(struct thread *thread, wait_result_t result);

/* Yields the CPU to another ready thread of the same or higher priority. */
void thread_yield(void);

#endif

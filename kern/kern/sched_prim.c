// SPDX-License-Identifier: MIT
//
// Blocking and waking (see sched_prim.h for the protocol): hashed wait
// queues of threads keyed by event, wait results, timeouts.
//
// A waiting thread has TH_WAIT set and sits on the queue of the bucket its
// event hashes to.  TH_RUN stays set until thread_block() actually gives up
// the CPU, so a wake-up between assert_wait() and thread_block() only
// records the result and thread_block() returns at once: no wake-up is lost
// and no lock is held across the switch.
//
// Locks: a bucket's wb_lock (LOCK_RANK_WAITQ) protects its queue and, with
// the thread lock, th_wait_event; the thread lock protects the rest of the
// wait state.  Order: bucket, then thread, then run queue, then callouts.
//
// Timeouts.  thread_set_timeout() arms th_timeout (a callout) with a
// deadline; when the wait ends any other way the callout is cancelled and
// th_timeout_armed cleared.  A callout that had already fired when it was
// cancelled may still find the thread in a *later* wait: it ends a wait only
// if that wait's own timeout is armed and due, so a stale callout changes
// nothing (the later wait's re-armed callout fires on time).

#include <kern/sched_prim.h>
#include <kern/assert.h>
#include <kern/clock.h>
#include <kern/sched.h>
#include <kern/thread.h>
#include <kern/cpu.h>

#define WAITQ_BUCKETS 64 /* a power of two */

struct waitq_bucket {
    struct spinlock wb_lock;
    struct thread *wb_head; /* protected by wb_lock: waiters, oldest first */
};

static struct waitq_bucket waitq[WAITQ_BUCKETS];

void
sched_prim_init(void)
{
    for (unsigned i = 0; i < WAITQ_BUCKETS; i++)
        spinlock_init(&waitq[i].wb_lock, "wait_queue", LOCK_RANK_WAITQ);
}

static struct waitq_bucket *
waitq_bucket(event_t event)
{
    // Fibonacci hashing of the address; the low bits are mostly alignment.
    return &waitq[((uint64_t)event * 0x9E3779B97F4A7C15ull) >> 58];
}

_Static_assert(WAITQ_BUCKETS == 64, "waitq_bucket() takes the top 6 bits");

static void
waitq_unlink_locked(struct waitq_bucket *b, struct thread *t)
{
    struct thread **pp = &b->wb_head;

    assert_locked(&b->wb_lock);
    while (*pp != t) {
        assert(*pp != NULL);
        pp = &(*pp)->th_wait_next;
    }
    *pp = t->th_wait_next;
    t->th_wait_next = NULL;
}

// Ends t's wait with `result`: t is already off its bucket's queue; caller
// holds that bucket's lock and t's lock.  Makes t ready if it had blocked.
static void
wait_end_locked(struct thread *t, wait_result_t result)
{
    assert_locked(&t->th_lock);
    t->th_state &= ~TH_WAIT;
    t->th_wait_event = 0;
    t->th_wait_result = result;
    if (t->th_timeout_armed) {
        t->th_timeout_armed = false;
        callout_cancel(&t->th_timeout); // if it fired already, it will find nothing
    }
    if (!(t->th_state & TH_RUN))
        sched_setrun_locked(t);
}

void
assert_wait(event_t event, bool interruptible)
{
    struct thread *self = current_thread();
    struct waitq_bucket *b = waitq_bucket(event);

    spin_lock(&b->wb_lock);
    spin_lock(&self->th_lock);
    if (self->th_state & TH_WAIT)
        panic("assert_wait: thread %s already waits on %#lx", self->th_name, self->th_wait_event);
    self->th_state |= TH_WAIT;
    self->th_wait_event = event;
    self->th_interruptible = interruptible;
    self->th_wait_result = THREAD_WAITING;
    self->th_timeout_armed = false;
    self->th_wait_next = NULL;
    struct thread **pp = &b->wb_head;
    while (*pp != NULL)
        pp = &(*pp)->th_wait_next;
    *pp = self;
    spin_unlock(&self->th_lock);
    spin_unlock(&b->wb_lock);
}

void
thread_set_timeout(uint64_t ns)
{
    struct thread *self = current_thread();

    spin_lock(&self->th_lock);
    if (self->th_state & TH_WAIT) { // else: woken already, nothing to time
        self->th_timeout_armed = true;
        self->th_timeout_deadline = clock_now_ns() + ns;
        callout_schedule(&self->th_timeout, self->th_timeout_deadline);
    }
    spin_unlock(&self->th_lock);
}

wait_result_t
thread_block(void)
{
    struct thread *self = current_thread();
    wait_result_t r;

    spin_lock(&self->th_lock);
    if (self->th_wait_result == THREAD_WAIT_NONE) {
        sched_switch_self_locked(self); // no wait declared: just reschedule
        return THREAD_AWAKENED;
    }
    if (self->th_state & TH_WAIT) {
        self->th_state &= ~TH_RUN;
        sched_switch_self_locked(self); // returns when made ready again
        spin_lock(&self->th_lock);
        assert(!(self->th_state & TH_WAIT));
    }
    r = self->th_wait_result;
    self->th_wait_result = THREAD_WAIT_NONE;
    spin_unlock(&self->th_lock);
    return r;
}

// Ends t's wait if it waits on `event`.  If t had given up its CPU, it is
// claimed rather than made ready: TH_RUN is set but it is on no run queue,
// so only the caller can run it (and must, at once).  Returns whether t
// was claimed.  Interrupts must be off, so the caller is not preempted
// with t in that state.
static bool
wait_claim(struct thread *t, event_t event)
{
    struct waitq_bucket *b = waitq_bucket(event);
    bool claimed = false;

    spin_lock(&b->wb_lock);
    spin_lock(&t->th_lock);
    if ((t->th_state & TH_WAIT) && t->th_wait_event == event) {
        waitq_unlink_locked(b, t);
        claimed = !(t->th_state & TH_RUN);
        t->th_state |= TH_RUN; /* so wait_end_locked does not queue it */
        wait_end_locked(t, THREAD_AWAKENED);
    }
    spin_unlock(&t->th_lock);
    spin_unlock(&b->wb_lock);
    return claimed;
}

wait_result_t
thread_handoff(struct thread *next, event_t event)
{
    struct thread *self = current_thread();
    wait_result_t r;
    bool claimed;

    intr_push_off(); // from the claim to the switch: no preemption
    claimed = wait_claim(next, event);
    // The caller's reference only kept next alive until the claim: a
    // claimed thread cannot end before it runs (it keeps its own "alive"
    // reference until then), and one not claimed is none of our business.
    // Dropping it here, not after the switch, matters: the caller may not
    // run again for a long time (a server idle in its receive).
    thread_deallocate(next);
    spin_lock(&self->th_lock);
    intr_pop_off(); // the switch is made at the depth of two locks
    if (!claimed) {
        spin_unlock(&self->th_lock);
        return thread_block();
    }
    if (self->th_state & TH_WAIT)
        self->th_state &= ~TH_RUN;
    sched_switch_handoff_locked(self, next); // returns when self runs again
    spin_lock(&self->th_lock);
    assert(!(self->th_state & TH_WAIT));
    r = self->th_wait_result;
    self->th_wait_result = THREAD_WAIT_NONE;
    spin_unlock(&self->th_lock);
    return r == THREAD_WAIT_NONE ? THREAD_AWAKENED : r;
}

// Wakes the waiters on `event` (all, or the oldest); returns how many.
static unsigned
wakeup_common(event_t event, bool all)
{
    struct waitq_bucket *b = waitq_bucket(event);
    unsigned n = 0;

    spin_lock(&b->wb_lock);
    for (struct thread **pp = &b->wb_head; *pp != NULL;) {
        struct thread *t = *pp;
        if (t->th_wait_event != event) {
            pp = &t->th_wait_next;
            continue;
        }
        spin_lock(&t->th_lock);
        *pp = t->th_wait_next;
        t->th_wait_next = NULL;
        wait_end_locked(t, THREAD_AWAKENED);
        spin_unlock(&t->th_lock);
        n++;
        if (!all)
            break;
    }
    spin_unlock(&b->wb_lock);
    return n;
}

void
thread_wakeup(event_t event)
{
    wakeup_common(event, true);
    sched_preempt_check();
}

bool
thread_wakeup_one(event_t event)
{
    bool woke = wakeup_common(event, false) != 0;

    sched_preempt_check();
    return woke;
}

// May t's current wait be ended with `result`?  Caller holds t's lock.
static bool
wait_may_end(struct thread *t, wait_result_t result, bool timeout)
{
    if (!(t->th_state & TH_WAIT))
        return false;
    if (timeout)
        return t->th_timeout_armed && clock_now_ns() >= t->th_timeout_deadline;
    return t->th_interruptible || result == THREAD_AWAKENED || result == THREAD_RESTART;
}

// Ends t's wait from outside (clear_wait, timeouts).  The bucket comes
// first in the lock order, but which bucket depends on t's event, read
// under t's lock: read it, take both locks, and retry if t's wait changed
// in between.  Returns whether it ended a wait.
static bool
wait_cancel(struct thread *t, wait_result_t result, bool timeout)
{
    for (;;) {
        spin_lock(&t->th_lock);
        bool may = wait_may_end(t, result, timeout);
        event_t event = t->th_wait_event;
        spin_unlock(&t->th_lock);
        if (!may)
            return false;
        struct waitq_bucket *b = waitq_bucket(event);
        spin_lock(&b->wb_lock);
        spin_lock(&t->th_lock);
        bool same = (t->th_state & TH_WAIT) && t->th_wait_event == event;
        bool ended = same && wait_may_end(t, result, timeout);
        if (ended) {
            waitq_unlink_locked(b, t);
            wait_end_locked(t, result);
        }
        spin_unlock(&t->th_lock);
        spin_unlock(&b->wb_lock);
        if (same)
            return ended;
    }
}

void
clear_wait(struct thread *thread, wait_result_t result)
{
    if (wait_cancel(thread, result, false))
        sched_preempt_check();
}

void
sched_timeout_expire(void *thread)
{
    wait_cancel(thread, THREAD_TIMED_OUT, true); // interrupt context: no preemption here
}

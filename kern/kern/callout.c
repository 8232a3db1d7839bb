// SPDX-License-Identifier: MIT
//
// Timer callouts (see callout.h for the contract).  Each CPU's queue is a
// doubly linked list sorted by deadline: insertion walks the list (O(n), fine
// for the tens of timeouts a kernel has pending), removal and the tick's
// "is the head due?" are O(1).  A callout's fields are protected by the lock
// of the queue it is on (c_queue); c_queue itself changes only in
// callout_schedule, which the owner serializes with cancel and drain, so
// reading it unlocked there is safe.

#include <kern/callout.h>
#include <kern/clock.h>
#include <kern/cpu.h>
#include <kern/assert.h>
#include <machine/cpufunc.h>

void
callout_queue_init(struct callout_queue *q)
{
    spinlock_init(&q->cq_lock, "callout queue", LOCK_RANK_CALLOUT);
    q->cq_head = NULL;
    q->cq_running = NULL;
    q->cq_npending = 0;
    q->cq_nfired = 0;
}

void
callout_init(struct callout *c, callout_fn_t fn, void *arg)
{
    c->c_fn = fn;
    c->c_arg = arg;
    c->c_queue = NULL;
    c->c_next = c->c_prev = NULL;
    c->c_deadline = 0;
    c->c_pending = false;
    c->c_running = 0;
}

// Links `c` in deadline order, after every callout with the same deadline.
static void
callout_insert_locked(struct callout_queue *q, struct callout *c)
{
    struct callout *prev = NULL, *next = q->cq_head;

    assert_locked(&q->cq_lock);
    while (next != NULL && next->c_deadline <= c->c_deadline) {
        prev = next;
        next = next->c_next;
    }
    c->c_prev = prev;
    c->c_next = next;
    if (prev != NULL)
        prev->c_next = c;
    else
        q->cq_head = c;
    if (next != NULL)
        next->c_prev = c;
    c->c_queue = q;
    c->c_pending = true;
    q->cq_npending++;
}

static void
callout_remove_locked(struct callout_queue *q, struct callout *c)
{
    assert_locked(&q->cq_lock);
    assert(c->c_pending && c->c_queue == q);
    if (c->c_prev != NULL)
        c->c_prev->c_next = c->c_next;
    else
        q->cq_head = c->c_next;
    if (c->c_next != NULL)
        c->c_next->c_prev = c->c_prev;
    c->c_next = c->c_prev = NULL;
    c->c_pending = false;
    q->cq_npending--;
}

bool
callout_cancel(struct callout *c)
{
    struct callout_queue *q = c->c_queue;
    bool was_pending = false;

    if (q == NULL)
        return false; // never scheduled
    spin_lock(&q->cq_lock);
    if (c->c_pending) {
        callout_remove_locked(q, c);
        was_pending = true;
    }
    spin_unlock(&q->cq_lock);
    return was_pending;
}

// Steps: (1) take `c` off whatever queue it is pending on -- possibly another
// CPU's, whose tick may run it first, which is the race cancel settles;
// (2) insert it into this CPU's queue.  The two queue locks have the same
// rank and are never held together.
void
callout_schedule(struct callout *c, uint64_t deadline_ns)
{
    callout_cancel(c);

    intr_push_off(); // stay on this CPU between choosing the queue and using it
    struct callout_queue *q = &cpu_current()->callouts;
    spin_lock(&q->cq_lock);
    c->c_deadline = deadline_ns;
    callout_insert_locked(q, c);
    spin_unlock(&q->cq_lock);
    intr_pop_off();
}

void
callout_schedule_after(struct callout *c, uint64_t delay_ns)
{
    callout_schedule(c, clock_now_ns() + delay_ns);
}

bool
callout_pending(struct callout *c)
{
    struct callout_queue *q = c->c_queue;
    bool pending;

    if (q == NULL)
        return false;
    spin_lock(&q->cq_lock);
    pending = c->c_pending;
    spin_unlock(&q->cq_lock);
    return pending;
}

bool
callout_drain(struct callout *c)
{
    bool was_pending = callout_cancel(c);

    intr_push_off();
    if (__atomic_load_n(&cpu_current()->callouts.cq_running, __ATOMIC_RELAXED) == c)
        panic("callout_drain: called from the callout's own function (%p)", (void *)c);
    intr_pop_off();
    do {
        while (__atomic_load_n(&c->c_running, __ATOMIC_ACQUIRE) != 0)
            cpu_pause();
    } while (callout_cancel(c)); // the function re-armed it: cancel, wait again
    return was_pending;
}

// Takes the head of `q` off if it is due at `now_ns` and marks it running on
// this CPU; returns it, or NULL when nothing more is due.
static struct callout *
callout_take_due_locked(struct callout_queue *q, uint64_t now_ns)
{
    struct callout *c = q->cq_head;

    assert_locked(&q->cq_lock);
    if (c == NULL || c->c_deadline > now_ns)
        return NULL;
    callout_remove_locked(q, c);
    __atomic_add_fetch(&c->c_running, 1, __ATOMIC_RELAXED);
    __atomic_store_n(&q->cq_running, c, __ATOMIC_RELAXED);
    q->cq_nfired++;
    return c;
}

// The function and argument are read under the lock; once c_running drops
// back the owner may free `c`, so it is not touched after that.
void
callout_run_due(uint64_t now_ns)
{
    struct callout_queue *q = &cpu_current()->callouts;
    struct callout *c;

    assert(!intr_enabled());
    spin_lock(&q->cq_lock);
    while ((c = callout_take_due_locked(q, now_ns)) != NULL) {
        callout_fn_t fn = c->c_fn;
        void *arg = c->c_arg;

        spin_unlock(&q->cq_lock);
        fn(arg);
        __atomic_sub_fetch(&c->c_running, 1, __ATOMIC_RELEASE);
        spin_lock(&q->cq_lock);
        __atomic_store_n(&q->cq_running, NULL, __ATOMIC_RELAXED);
    }
    spin_unlock(&q->cq_lock);
}

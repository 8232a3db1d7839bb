// SPDX-License-Identifier: MIT
//
// quay_wait / quay_wake (see quay_wait.h).
//
// Waiters are records on the waiting thread's stack, keyed by (task, user
// address), in a hashed table of buckets.  The atomicity argument:
//   1. the waiter reads the word and, if it matches, links its record and
//      declares its wait (assert_wait on the record) under the bucket lock;
//   2. a waker has changed the word before calling quay_wake, which unlinks
//      records and wakes them under the same lock;
// so either the waiter read the new value (and does not wait), or its
// record was linked before the waker looked (and it is woken).  Reading
// user memory under a spinlock cannot page in (copyio.c fails instead), so
// a failed read drops the lock, touches the page with an ordinary copyin
// and retries.  A woken record is unlinked by the waker, so the count it
// returns is exact; a waiter whose wait ended otherwise (timeout, abort)
// unlinks itself unless a waker got there first, which then counts as a
// wake-up.
//
// Locks: each bucket's lock (LOCK_RANK_QUAY_WAIT) protects its list and the
// records' qw_woken; wait-queue and thread locks are taken under it.

#include <kern/quay_wait.h>
#include <kern/copyio.h>
#include <kern/sched.h>
#include <kern/sched_prim.h>
#include <kern/spinlock.h>
#include <kern/task.h>
#include <kern/thread.h>

#define QW_BUCKETS 64

struct qw_waiter {
    struct task *qw_task;
    uintptr_t qw_addr;
    struct qw_waiter *qw_next; /* protected by the bucket lock */
    bool qw_woken;             /* protected by the bucket lock */
};

struct qw_bucket {
    struct spinlock qb_lock;
    struct qw_waiter *qb_head; /* oldest first */
};

static struct qw_bucket qw_table[QW_BUCKETS];

void
quay_wait_init(void)
{
    for (unsigned i = 0; i < QW_BUCKETS; i++)
        spinlock_init(&qw_table[i].qb_lock, "quay_wait", LOCK_RANK_QUAY_WAIT);
}

static struct qw_bucket *
qw_bucket(struct task *task, uintptr_t uaddr)
{
    uint64_t h = ((uint64_t)(uintptr_t)task ^ uaddr) * 0x9E3779B97F4A7C15ull;
    return &qw_table[h >> 58];
}

_Static_assert(QW_BUCKETS == 64, "qw_bucket() takes the top 6 bits");

static void
qw_unlink_locked(struct qw_bucket *b, struct qw_waiter *w)
{
    assert_locked(&b->qb_lock);
    struct qw_waiter **pp = &b->qb_head;
    while (*pp != w)
        pp = &(*pp)->qw_next;
    *pp = w->qw_next;
}

// Reads the word at uaddr with b's lock held, returning with it held on
// success; on failure returns the error with the lock dropped.
static kern_return_t
qw_read_locked(struct qw_bucket *b, uintptr_t uaddr, uint32_t *value)
{
    for (;;) {
        spin_lock(&b->qb_lock);
        if (copyin(uaddr, value, sizeof(*value)) == KERN_SUCCESS)
            return KERN_SUCCESS;
        spin_unlock(&b->qb_lock);
        kern_return_t kr = copyin(uaddr, value, sizeof(*value)); // may page in
        if (kr != KERN_SUCCESS)
            return kr;
    }
}

kern_return_t
quay_wait(uintptr_t uaddr, uint32_t expected, uint32_t timeout_ms)
{
    struct qw_waiter w = {.qw_task = current_task(), .qw_addr = uaddr};
    struct qw_bucket *b = qw_bucket(w.qw_task, uaddr);
    uint32_t value;

    if (uaddr % sizeof(uint32_t) != 0)
        return KERN_INVALID_ARGUMENT;
    kern_return_t kr = qw_read_locked(b, uaddr, &value);
    if (kr != KERN_SUCCESS)
        return kr;
    if (value != expected) {
        spin_unlock(&b->qb_lock);
        return KERN_SUCCESS;
    }
    struct qw_waiter **pp = &b->qb_head;
    while (*pp != NULL)
        pp = &(*pp)->qw_next;
    *pp = &w;
    assert_wait((event_t)&w, true);
    spin_unlock(&b->qb_lock);
    if (timeout_ms != 0)
        thread_set_timeout((uint64_t)timeout_ms * 1000000);
    wait_result_t r = thread_block();

    spin_lock(&b->qb_lock);
    if (!w.qw_woken)
        qw_unlink_locked(b, &w);
    else
        r = THREAD_AWAKENED; // a waker counted us: report the wake-up
    spin_unlock(&b->qb_lock);
    if (r == THREAD_TIMED_OUT)
        return KERN_OPERATION_TIMED_OUT;
    return r == THREAD_AWAKENED ? KERN_SUCCESS : KERN_ABORTED;
}

unsigned
quay_wake(uintptr_t uaddr, unsigned count)
{
    struct task *task = current_task();
    struct qw_bucket *b = qw_bucket(task, uaddr);
    unsigned n = 0;

    spin_lock(&b->qb_lock);
    for (struct qw_waiter **pp = &b->qb_head; *pp != NULL && n < count;) {
        struct qw_waiter *w = *pp;
        if (w->qw_task != task || w->qw_addr != uaddr) {
            pp = &w->qw_next;
            continue;
        }
        *pp = w->qw_next;
        w->qw_woken = true;
        thread_wakeup((event_t)w); // under the lock: w stays valid until we drop it
        n++;
    }
    spin_unlock(&b->qb_lock);
    sched_preempt_check(); // a woken thread may outrank us
    return n;
}

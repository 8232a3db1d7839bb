// SPDX-License-Identifier: MIT
//
// The scheduler: per-CPU run queues, the thread switch, time slices, the
// idle loop (see sched.h for the policy).
//
// The switch protocol.  A thread gives up its CPU only through
// sched_switch_self_locked(), holding its own th_lock, which the function
// extends with this CPU's run queue lock; both stay held across the stack
// switch and are released by the thread that runs next, in
// sched_switch_finish().  So:
//   1. nobody can make the old thread ready (which takes its th_lock) and
//      start it on another CPU while its registers are still being saved on
//      its stack;
//   2. every switch happens at the same lock depth (two locks, interrupts
//      off), so the per-CPU interrupt-nesting state is the same on both
//      sides; each thread keeps, in th_intr_on, whether interrupts were on
//      when it switched, and gets that back when it resumes.
// A new thread's first code (thread_start) calls sched_switch_finish() too.
//
// Locks: rq_lock (LOCK_RANK_RUNQ) protects a run queue; it is taken under a
// thread lock (LOCK_RANK_THREAD), never the other way round.

#include <kern/sched.h>
#include <kern/assert.h>
#include <kern/cpu.h>
#include <kern/thread.h>
#include <machine/cpufunc.h>

// Protected by rq->rq_lock: puts t at the tail of its priority's FIFO.
static void
rq_enqueue_locked(struct run_queue *rq, struct thread *t)
{
    int p = t->th_sched_pri;

    assert_locked(&rq->rq_lock);
    assert(p >= PRI_MIN && p <= PRI_MAX);
    t->th_rq_next = NULL;
    if (rq->rq_tail[p] != NULL)
        rq->rq_tail[p]->th_rq_next = t;
    else
        rq->rq_head[p] = t;
    rq->rq_tail[p] = t;
    rq->rq_bitmap[p / 64] |= 1ull << (p % 64);
    rq->rq_count++;
}

// Takes the first thread of the highest non-empty priority off the queue;
// NULL if the queue is empty.
static struct thread *
rq_dequeue_locked(struct run_queue *rq)
{
    assert_locked(&rq->rq_lock);
    for (int w = SCHED_NPRI / 64 - 1; w >= 0; w--) {
        if (rq->rq_bitmap[w] == 0)
            continue;
        int p = w * 64 + 63 - __builtin_clzll(rq->rq_bitmap[w]);
        struct thread *t = rq->rq_head[p];
        rq->rq_head[p] = t->th_rq_next;
        if (rq->rq_head[p] == NULL) {
            rq->rq_tail[p] = NULL;
            rq->rq_bitmap[w] &= ~(1ull << (p % 64));
        }
        rq->rq_count--;
        t->th_rq_next = NULL;
        return t;
    }
    return NULL;
}

void
sched_init(void)
{
    struct cpu *c = cpu_current();

    for (unsigned i = 0; i < MAX_CPUS; i++)
        spinlock_init(&cpus[i].rq.rq_lock, "run_queue", LOCK_RANK_RUNQ);
    assert(c->thread != NULL); // thread_bootstrap made the boot context a thread
    c->idle_thread = c->thread;
    c->idle_thread->th_state = TH_RUN | TH_IDLE;
    c->idle_thread->th_priority = c->idle_thread->th_sched_pri = PRI_MIN;
    c->idle_thread->th_cpu = c;
    sched_prim_init();
    pcb_cpu_init();
}

void
sched_setrun_locked(struct thread *t)
{
    assert_locked(&t->th_lock);
    assert(!(t->th_state & (TH_RUN | TH_HALTED)));
    t->th_state |= TH_RUN;
    struct cpu *c = t->th_cpu != NULL ? t->th_cpu : cpu_current(); // interrupts are off
    t->th_cpu = c;
    spin_lock(&c->rq.rq_lock);
    rq_enqueue_locked(&c->rq, t);
    struct thread *cur = c->thread;
    // A racy read of cur's priority is fine: at worst one needless switch.
    if (cur == NULL || (cur->th_state & TH_IDLE) || t->th_sched_pri > cur->th_sched_pri)
        c->need_resched = true; // another CPU: an IPI, when there are several
    spin_unlock(&c->rq.rq_lock);
}

// Runs `next` instead of self (next == self: goes on).  Caller holds
// self->th_lock and this CPU's run queue lock; next is TH_RUN and on no
// queue.  Both locks are released by the thread that runs.
static void
switch_to_locked(struct cpu *c, struct thread *self, struct thread *next)
{
    if (next == self) {
        spin_unlock(&c->rq.rq_lock);
        spin_unlock(&self->th_lock);
        return;
    }
    if (c->intr_off_depth != 2 || c->in_interrupt)
        panic("sched: thread %s switches with a lock held or in an interrupt (depth %d)",
              self->th_name, c->intr_off_depth);
    self->th_intr_on = c->intr_were_enabled;
    next->th_cpu = c;
    c->thread = next;
    struct thread *prev = pcb_switch(self, next);
    sched_switch_finish(prev);
}

void
sched_switch_self_locked(struct thread *self)
{
    struct cpu *c = cpu_current();
    struct run_queue *rq = &c->rq;

    assert_locked(&self->th_lock);
    assert(self == c->thread);
    spin_lock(&rq->rq_lock);
    c->need_resched = false;
    if ((self->th_state & TH_RUN) && !(self->th_state & TH_IDLE))
        rq_enqueue_locked(rq, self);
    struct thread *next = rq_dequeue_locked(rq);
    if (next == NULL)
        next = c->idle_thread;
    switch_to_locked(c, self, next);
}

// The highest priority with a ready thread, -1 if none.
static int
rq_top_pri_locked(struct run_queue *rq)
{
    for (int w = SCHED_NPRI / 64 - 1; w >= 0; w--) {
        if (rq->rq_bitmap[w] != 0)
            return w * 64 + 63 - __builtin_clzll(rq->rq_bitmap[w]);
    }
    return -1;
}

void
sched_switch_handoff_locked(struct thread *self, struct thread *next)
{
    struct cpu *c = cpu_current();
    struct run_queue *rq = &c->rq;

    assert_locked(&self->th_lock);
    assert(self == c->thread && next != self && (next->th_state & TH_RUN));
    spin_lock(&rq->rq_lock);
    c->need_resched = false;
    if ((self->th_state & TH_RUN) && !(self->th_state & TH_IDLE))
        rq_enqueue_locked(rq, self);
    // A racy read of next's priority, as in sched_setrun_locked.
    if (rq_top_pri_locked(rq) > next->th_sched_pri) {
        next->th_cpu = c;
        rq_enqueue_locked(rq, next);
        next = rq_dequeue_locked(rq);
    }
    switch_to_locked(c, self, next);
}

void
sched_switch_finish(struct thread *prev)
{
    struct cpu *c = cpu_current();
    bool halted = (prev->th_state & TH_HALTED) != 0;

    assert(c->intr_off_depth == 2);
    c->intr_were_enabled = c->thread->th_intr_on;
    spin_unlock(&c->rq.rq_lock);
    spin_unlock(&prev->th_lock);
    if (halted)
        thread_reap_enqueue(prev); // its stack is no longer in use: we left it
}

void
sched_preempt(void)
{
    struct thread *self = current_thread();
    bool want;

    if (self == NULL)
        return;
    intr_push_off();
    struct cpu *c = cpu_current();
    want = c->need_resched && c->intr_off_depth == 1 && !c->in_interrupt;
    intr_pop_off();
    if (!want)
        return;
    spin_lock(&self->th_lock);
    sched_switch_self_locked(self);
}

void
sched_preempt_check(void)
{
    if (intr_enabled())
        sched_preempt();
}

void
thread_yield(void)
{
    struct thread *self = current_thread();

    spin_lock(&self->th_lock);
    sched_switch_self_locked(self);
}

void
sched_tick(void)
{
    struct cpu *c = cpu_current();
    struct thread *t = c->thread;
    // Unlocked reads of the queue length: at worst a reschedule that keeps
    // the same thread, or one a tick late.
    bool others = __atomic_load_n(&c->rq.rq_count, __ATOMIC_RELAXED) != 0;

    if (t == NULL || c->idle_thread == NULL)
        return; // before sched_init
    if (t->th_state & TH_IDLE) {
        if (others)
            c->need_resched = true;
        return;
    }
    if (t->th_quantum > 1) {
        t->th_quantum--;
        return;
    }
    t->th_quantum = SCHED_QUANTUM_TICKS;
    if (others)
        c->need_resched = true;
}

bool
sched_others_ready(void)
{
    bool r;

    intr_push_off();
    r = __atomic_load_n(&cpu_current()->rq.rq_count, __ATOMIC_RELAXED) != 0;
    intr_pop_off();
    return r;
}

void
sched_idle_loop(void)
{
    struct thread *self = current_thread();

    assert(self->th_state & TH_IDLE);
    for (;;) {
        intr_disable();
        struct cpu *c = cpu_current();
        if (c->rq.rq_count > 0 || c->need_resched) {
            spin_lock(&self->th_lock);
            sched_switch_self_locked(self);
            intr_enable();
            continue;
        }
        // sti's one-instruction shadow: no interrupt slips in before hlt.
        __asm__ volatile("sti; hlt" ::: "memory");
    }
}

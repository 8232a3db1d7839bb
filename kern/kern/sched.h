/* SPDX-License-Identifier: MIT
 *
 * The scheduler (sched.c): per-CPU run queues of ready threads, priorities,
 * time slices, the idle loop and the thread switch.  Blocking and waking
 * are in sched_prim.h; this header is for the thread and trap code.
 *
 * Priorities are 0 (lowest) .. 127 (highest); the highest ready thread runs,
 * round-robin among equals with a time slice of SCHED_QUANTUM_TICKS clock
 * ticks.  A thread made ready goes to one CPU's queue (its last CPU, or the
 * caller's); if it outranks what that CPU runs, the CPU's need_resched flag
 * is set and the CPU switches at its next return from an interrupt or trap
 * (or at once, when the waker itself can be preempted).  Idle threads are
 * never on a queue: a CPU runs its idle thread when its queue is empty.
 */
#ifndef _KERN_SCHED_H_
#define _KERN_SCHED_H_

#include <kern/types.h>
#include <kern/spinlock.h>

struct thread;

#define SCHED_NPRI          128
#define PRI_MIN             0
#define PRI_MAX             127
#define PRI_USER_DEFAULT    31 /* threads of user tasks (XNU's BASEPRI_DEFAULT) */
#define PRI_KERNEL_DEFAULT  80 /* kernel threads */
#define PRI_KERNEL_HIGH     96 /* the reaper, the ktest runner */
#define SCHED_QUANTUM_TICKS 5  /* 50 ms at HZ = 100 */

/* One per CPU (struct cpu's `rq`). */
struct run_queue {
    struct spinlock rq_lock; /* rank LOCK_RANK_RUNQ */

    /* Protected by rq_lock. */
    struct thread *rq_head[SCHED_NPRI]; /* FIFO per priority through th_rq_next */
    struct thread *rq_tail[SCHED_NPRI];
    uint64_t rq_bitmap[SCHED_NPRI / 64]; /* bit p: rq_head[p] != NULL */
    unsigned rq_count;
};

/* Sets up the boot CPU's run queue and makes the running boot context the
 * boot CPU's idle thread (thread_bootstrap must have run).  kmain, once,
 * interrupts off. */
void sched_init(void);

/* Becomes the idle loop of this CPU for good (kmain ends here). */
void sched_idle_loop(void) __noreturn;

/* Makes `t` ready: sets TH_RUN and puts it on a run queue.  Caller holds
 * t->th_lock; t is neither running nor queued.  Takes a run queue lock. */
void sched_setrun_locked(struct thread *t);

/* Gives up the CPU.  Caller holds self->th_lock (self = current thread) and
 * no other lock; if self is still TH_RUN it goes back on the run queue
 * (behind its equals), otherwise it stops until made ready.  Returns, with
 * the lock released, when self runs again (possibly at once). */
void sched_switch_self_locked(struct thread *self);

/* As sched_switch_self_locked, but runs `next` -- a thread the caller
 * claimed (TH_RUN, on no run queue; thread_handoff) -- instead of the
 * first ready thread, unless a ready thread outranks it; next is then
 * queued. */
void sched_switch_handoff_locked(struct thread *self, struct thread *next);

/* Finishes the switch away from `prev` in the thread that now runs:
 * releases prev's lock and the run queue lock that the switch held, and
 * hands a halted `prev` to the reaper.  Called only by new threads' first
 * code (thread_start) and by sched_switch_self_locked. */
void sched_switch_finish(struct thread *prev);

/* Switches to another thread if this CPU's need_resched is set.  For the
 * return-from-interrupt path (interrupts off) and other points where the
 * caller holds no lock; does nothing in an interrupt handler. */
void sched_preempt(void);

/* sched_preempt(), but only when interrupts are on: for wakers, which may
 * run with interrupts disabled or under an interrupt handler. */
void sched_preempt_check(void);

/* Called by the clock on every tick (interrupt context): charges the
 * running thread's time slice and requests a reschedule when it ends. */
void sched_tick(void);

/* True if some thread is ready on this CPU's run queue. */
bool sched_others_ready(void);

/* th_wait_result when no wait was declared since the last thread_block()
 * (sched_prim.c; not part of the public wait_result_t values). */
#define THREAD_WAIT_NONE (-2)

/* Sets up the hashed wait queues (sched_prim.c).  From sched_init. */
void sched_prim_init(void);

/* A thread's timeout callout function (sched_prim.c): ends the thread's
 * wait with THREAD_TIMED_OUT if the timeout armed for it is due. */
void sched_timeout_expire(void *thread);

#endif

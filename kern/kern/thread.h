/* SPDX-License-Identifier: MIT
 *
 * Threads: the unit of execution.  A thread belongs to one task, runs on one
 * kernel stack, and when it runs user code its user registers live in the
 * trap frame at the top of that stack (machine/pcb.h).
 *
 * The structure is assembled from per-subsystem parts so that each
 * subsystem owns its fields and their locking rules:
 *   th_*   here                scheduling state, task linkage, life cycle
 *   pcb    machine/pcb.h       saved kernel context, user state, FPU
 *   ith    ipc/ipc_thread.h    message-receive state, the thread's ports
 */
#ifndef _KERN_THREAD_H_
#define _KERN_THREAD_H_

#include <kern/types.h>
#include <kern/spinlock.h>
#include <kern/sched_prim.h>
#include <kern/callout.h>
#include <machine/pcb.h>
#include <ipc/ipc_thread.h>

struct task;

/* th_state bits */
#define TH_RUN       0x01 /* runnable or running */
#define TH_WAIT      0x02 /* waiting on an event */
#define TH_SUSP      0x04 /* suspended (suspend count > 0) */
#define TH_IDLE      0x08 /* a CPU's idle thread */
#define TH_TERMINATE 0x10 /* being terminated; never runs user code again */
#define TH_HALTED    0x20 /* terminated, waiting to be reaped */

#define THREAD_NAME_MAX 32

struct thread {
    /* The thread lock orders every change of th_state and the wait fields. */
    struct spinlock th_lock;

    /* Scheduling, protected by th_lock (and the run queue lock while the
     * thread is on a run queue). */
    unsigned th_state;
    int th_priority;      /* base priority, 0 (lowest) .. 127 */
    int th_sched_pri;     /* current priority */
    unsigned th_quantum;  /* ticks left in the time slice */
    struct thread *th_rq_next;
    struct cpu *th_cpu;   /* where it runs or last ran */

    /* Waiting, protected by th_lock: see kern/sched_prim.h. */
    event_t th_wait_event;
    bool th_interruptible;
    wait_result_t th_wait_result;
    struct callout th_timeout;
    struct thread *th_wait_next; /* on the event's wait queue */

    /* Task linkage and life cycle, protected by the task's lock. */
    struct task *th_task;
    struct thread *th_task_next;
    int th_suspend_count;
    uint32_t th_refs; /* atomic: thread_reference / thread_deallocate */

    /* Kernel stack (kmem_alloc with a guard page below it). */
    void *th_kstack;
    size_t th_kstack_size;

    char th_name[THREAD_NAME_MAX];

    struct pcb pcb;         /* machine state, machine/pcb.h */
    struct ipc_thread ith;  /* IPC state, ipc/ipc_thread.h */
};

/* The thread running on this CPU. */
struct thread *current_thread(void);

#endif

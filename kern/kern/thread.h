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
#include <mach/kern_return.h>
#include <mach/message.h>
#include <mach/thread_status.h>
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
    int th_priority;           /* base priority, 0 (lowest) .. 127 */
    int th_sched_pri;          /* current priority */
    unsigned th_quantum;       /* ticks left in the time slice; only the CPU running it */
    struct thread *th_rq_next; /* run queue link; the reaper's list once halted */
    struct cpu *th_cpu;        /* where it runs or last ran */
    bool th_intr_on;           /* IF to restore when it resumes (sched.c) */

    /* Waiting, protected by th_lock: see kern/sched_prim.h. */
    event_t th_wait_event;
    bool th_interruptible;
    wait_result_t th_wait_result;
    struct callout th_timeout;
    bool th_timeout_armed;        /* thread_set_timeout() for the current wait */
    uint64_t th_timeout_deadline; /* clock_now_ns() time it is due */
    struct thread *th_wait_next;  /* on the event's wait queue (and its lock) */

    /* Task linkage and life cycle, protected by the task's lock. */
    struct task *th_task;
    struct thread *th_task_next;
    int th_suspend_count;
    bool th_reaped;   /* its stack is freed (thread_wait_terminated) */
    uint32_t th_refs; /* atomic: thread_reference / thread_deallocate */

    /* Kernel stack (kmem_alloc with a guard page below it). */
    void *th_kstack;
    size_t th_kstack_size;

    char th_name[THREAD_NAME_MAX];

    struct pcb pcb;        /* machine state, machine/pcb.h */
    struct ipc_thread ith; /* IPC state, ipc/ipc_thread.h */
};

/* The thread running on this CPU (one %gs-relative load). */
struct thread *current_thread(void);

/* Creates the thread zone and the thread structure of the running boot
 * context (cpu 0's idle thread, on the boot stack).  kmain, once, after
 * task_bootstrap(). */
void thread_bootstrap(void);

/* Starts the reaper, the kernel thread that frees halted threads' stacks.
 * kmain, once, after sched_init(). */
void thread_reaper_start(void);

/* Creates a kernel thread in kernel_task that runs fn(arg) at `priority`
 * (0..127) and terminates when fn returns.  Returns it with one reference
 * for the caller (thread_deallocate), or NULL when memory is short.  Takes
 * and drops the task lock and scheduler locks; call with no lock held. */
struct thread *kernel_thread_create(void (*fn)(void *), void *arg, int priority, const char *name);

/* Like kernel_thread_create, for a thread that runs in kernel mode on
 * `task`'s address space (current_task() is `task`, copyin/copyout reach
 * its memory): for kernel work done on behalf of a task, and tests.
 * KERN_SUCCESS and *out with a reference; KERN_INVALID_ARGUMENT for a bad
 * priority; KERN_FAILURE if the task is terminating; KERN_RESOURCE_SHORTAGE. */
kern_return_t kernel_thread_create_in(struct task *task, void (*fn)(void *), void *arg,
                                      int priority, const char *name, struct thread **out);

/* Creates a thread in `task` that will run user code: suspended once
 * (th_suspend_count 1), with a valid but empty user state (RIP 0).  Set its
 * state (thread_setup_user or thread_setstatus) and thread_resume() it.
 * Returns KERN_SUCCESS and *out with a reference for the caller;
 * KERN_FAILURE if the task is terminating; KERN_RESOURCE_SHORTAGE.  No lock
 * held. */
kern_return_t thread_create_internal(struct task *task, const char *name, struct thread **out);

/* Sets the user registers of `t` (created by thread_create_internal and not
 * yet resumed, or stopped) so it enters user mode at `rip` with stack `rsp`,
 * %rdi = arg0, %rsi = arg1, everything else zero.  KERN_INVALID_ARGUMENT
 * (nothing changed) for a kernel thread or an address outside user space. */
kern_return_t thread_setup_user(struct thread *t, uintptr_t rip, uintptr_t rsp, uint64_t arg0,
                                uint64_t arg1);

/* References.  The last thread_deallocate frees the structure (its stack
 * went when it was reaped).  Any context, no lock needed. */
void thread_reference(struct thread *t);
void thread_deallocate(struct thread *t);

/* Terminates the calling thread: removes it from its task, halts it and
 * lets the reaper free its stack.  No lock held.  Never returns. */
void thread_terminate_self(void) __noreturn;

/* Asks `t` to terminate: it will never run user code again, an
 * interruptible wait is interrupted, and it terminates itself at its next
 * return towards user mode (or a suspension point).  KERN_SUCCESS;
 * KERN_TERMINATED if it is terminating already.  Takes the task lock. */
kern_return_t thread_terminate(struct thread *t);

/* thread_terminate() for a caller that holds t's task lock (task.c). */
kern_return_t thread_terminate_locked(struct thread *t);

/* Blocks until `t` has terminated and its stack is freed.  Returns
 * THREAD_AWAKENED, or THREAD_INTERRUPTED if the caller was aborted.  No lock
 * held; the caller holds a reference to t. */
wait_result_t thread_wait_terminated(struct thread *t);

/* Suspend counts.  thread_suspend increments t's count; a thread with a
 * count (or whose task has one) does not run user code: it stops at its
 * next return to user mode or suspension point.  thread_resume decrements
 * it and lets the thread go at zero.  KERN_SUCCESS; KERN_FAILURE for
 * resuming a thread that is not suspended; KERN_TERMINATED for a
 * terminating thread.  Take the task lock. */
kern_return_t thread_suspend(struct thread *t);
kern_return_t thread_resume(struct thread *t);

/* Ends t's interruptible wait, if any, with THREAD_INTERRUPTED (the
 * interrupted call returns KERN_ABORTED or MACH_*_INTERRUPTED).
 * KERN_SUCCESS; KERN_TERMINATED if t is terminating. */
kern_return_t thread_abort(struct thread *t);

/* Where the calling thread stops while it (or its task) is suspended, and
 * terminates itself if asked to.  Every return to user mode passes here;
 * kernel threads may call it at safe points.  No lock held. */
void thread_suspend_point(void);

/* True if `t` is suspended and stopped at its suspension point or in an
 * interruptible wait, so its user state may be read or written. */
bool thread_is_stopped(struct thread *t);

/* Sleeps for `ns` nanoseconds (uninterruptibly). No lock held. */
void thread_sleep_ns(uint64_t ns);

/* User register state in the flavors of mach/thread_status.h (machine
 * code, arch thread_status.c).  `count` is in natural_t units: getstatus
 * needs at least the flavor's count and writes back what it used;
 * setstatus checks the whole state first and changes nothing on error.
 * KERN_INVALID_ARGUMENT for a kernel thread, an unknown flavor, a short
 * count or (set) an invalid state: kernel CS/SS, non-canonical or kernel
 * RIP/RSP/fs_base, reserved MXCSR bits.  The thread must be stopped
 * (thread_is_stopped) or the caller. */
kern_return_t thread_getstatus(struct thread *t, int flavor, thread_state_t state,
                               mach_msg_type_number_t *count);
kern_return_t thread_setstatus(struct thread *t, int flavor, const thread_state_t state,
                               mach_msg_type_number_t count);

/* Hands halted thread `t`, which no CPU runs any more, to the reaper.
 * Called by the scheduler (sched_switch_finish) with no lock held. */
void thread_reap_enqueue(struct thread *t);

/* The work at every return to user mode, called with interrupts off by
 * the architecture's trap and syscall return paths: terminates, suspends or
 * preempts the current thread as requested.  Returns with interrupts off. */
void thread_user_return(void);

#endif

// SPDX-License-Identifier: MIT
//
// The thread routines of include/mach/mach.defs (ids 2010..2019), served
// by the kernel through mig's KernelServer stubs (machServer.c; the demux
// is registered by task_server.c).  The intran gives each routine a
// referenced struct thread, or NULL when the port names no thread; the
// stub drops the reference afterwards.  A failing routine changes nothing.
//
// Threads of the kernel (kernel_task's) are never a user's to control:
// every routine refuses them with KERN_INVALID_ARGUMENT, as it does a
// port that is not a thread's.

#include <kern/rpc_servers.h>
#include <kern/sched.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <ipc/ipc_tt.h>
#include <lib/string.h>
#include <mach/thread_info.h>

#include <machServer.h> // generated: the S_* prototypes

// How long thread_get_state / thread_set_state wait for a suspended thread
// to reach a point where its user state is saved, and how often they look.
#define STOP_WAIT_TRIES 5000
#define STOP_WAIT_NS    1000000ull // 1 ms: 5 s in all

// A thread a user may act on.
static bool
user_thread(struct thread *t)
{
    return t != NULL && !t->th_task->t_kernel;
}

/*
 * thread_create (2010): a new thread in parent_task, suspended once, with
 * an empty user state: give it one with thread_set_state, then
 * thread_resume it.
 * Returns: KERN_SUCCESS; KERN_INVALID_TASK (not a user task's port);
 *     KERN_FAILURE (the task is terminating); KERN_RESOURCE_SHORTAGE.
 */
kern_return_t
S_thread_create(task_t parent_task, thread_t *child_thread)
{
    struct thread *t;
    kern_return_t kr;

    if (parent_task == NULL || parent_task->t_kernel)
        return KERN_INVALID_TASK;
    kr = thread_create_internal(parent_task, parent_task->t_name, &t);
    if (kr == KERN_SUCCESS)
        *child_thread = t; // the outtran turns the reference into a send right
    return kr;
}

/*
 * thread_terminate (2011), with Mach's guarantee: when the call returns,
 * another thread has stopped for good (its stack may be freed: libmach's
 * quay_thread_join relies on it) and its port is dead, so the caller's
 * right to it is a dead name.  The port dies first (ipc_thread_disable);
 * then the caller waits until the thread has ended (thread_wait_terminated;
 * if the caller is aborted meanwhile, the thread still ends, just later).
 * A thread may terminate itself: it ends on its way out of the kernel,
 * after the reply, which goes to its reply port.
 * Returns: KERN_SUCCESS; KERN_INVALID_ARGUMENT; KERN_TERMINATED (already
 *     terminating: nothing waited for).
 */
kern_return_t
S_thread_terminate(thread_t target_thread)
{
    kern_return_t kr;

    if (!user_thread(target_thread))
        return KERN_INVALID_ARGUMENT;
    kr = thread_terminate(target_thread);
    if (kr != KERN_SUCCESS)
        return kr;
    ipc_thread_disable(target_thread);
    if (target_thread != current_thread())
        (void)thread_wait_terminated(target_thread);
    return KERN_SUCCESS;
}

/*
 * thread_suspend, thread_resume (2012, 2013): the thread's own suspend
 * count.
 * Returns: KERN_SUCCESS; KERN_INVALID_ARGUMENT; KERN_FAILURE (resume of a
 *     thread that is not suspended); KERN_TERMINATED.
 */
kern_return_t
S_thread_suspend(thread_t target_thread)
{
    if (!user_thread(target_thread))
        return KERN_INVALID_ARGUMENT;
    return thread_suspend(target_thread);
}

kern_return_t
S_thread_resume(thread_t target_thread)
{
    if (!user_thread(target_thread))
        return KERN_INVALID_ARGUMENT;
    return thread_resume(target_thread);
}

/*
 * thread_abort (2014): interrupt the thread's interruptible kernel wait
 * (mach_msg returns MACH_SEND_INTERRUPTED / MACH_RCV_INTERRUPTED).
 * Returns: KERN_SUCCESS; KERN_INVALID_ARGUMENT; KERN_TERMINATED.
 */
kern_return_t
S_thread_abort(thread_t target_thread)
{
    if (!user_thread(target_thread))
        return KERN_INVALID_ARGUMENT;
    return thread_abort(target_thread);
}

// Is `t` (or its task) suspended, and not terminating?  Takes the task lock.
static bool
thread_suspended(struct thread *t)
{
    struct task *task = t->th_task;
    bool suspended;

    spin_lock(&task->t_lock);
    suspended =
        !(t->th_state & TH_TERMINATE) && (t->th_suspend_count > 0 || task->t_suspend_count > 0);
    spin_unlock(&task->t_lock);
    return suspended;
}

/*
 * Waits until the user state of `t` may be read or written: t is the
 * caller, or it is suspended and has stopped (thread_is_stopped).  A
 * thread that was just suspended stops at its next suspension point, so
 * this polls; a wakeup from thread_suspend_point would save the polling.
 * Returns: KERN_SUCCESS; KERN_FAILURE (not suspended, or resumed or
 *     terminated while waiting, or it did not stop within 5 s).
 */
static kern_return_t
thread_wait_stopped(struct thread *t)
{
    if (t == current_thread())
        return KERN_SUCCESS;
    for (int i = 0; i < STOP_WAIT_TRIES; i++) {
        if (!thread_suspended(t))
            return KERN_FAILURE;
        if (thread_is_stopped(t))
            return KERN_SUCCESS;
        thread_sleep_ns(STOP_WAIT_NS);
    }
    return KERN_FAILURE;
}

/*
 * thread_get_state (2015): the user registers of a suspended thread (or
 * the caller's own) in `flavor`'s layout (<mach/thread_status.h>); waits
 * for a thread that was just suspended to stop.  *old_stateCnt is the
 * caller's room in natural_t units and becomes the count filled.
 * Returns: KERN_SUCCESS; KERN_INVALID_ARGUMENT (not a user thread, unknown
 *     flavor, room too small); KERN_FAILURE (the thread is not suspended).
 */
kern_return_t
S_thread_get_state(thread_t target_thread, thread_state_flavor_t flavor, thread_state_t old_state,
                   mach_msg_type_number_t *old_stateCnt)
{
    kern_return_t kr;

    if (!user_thread(target_thread))
        return KERN_INVALID_ARGUMENT;
    if ((kr = thread_wait_stopped(target_thread)) != KERN_SUCCESS)
        return kr;
    return thread_getstatus(target_thread, flavor, old_state, old_stateCnt);
}

/*
 * thread_set_state (2016): set the user registers of a suspended thread
 * (or the caller's own).  thread_setstatus checks the whole state before
 * changing anything (kernel selectors, non-canonical or kernel addresses,
 * reserved MXCSR bits are refused).
 * Returns: KERN_SUCCESS; KERN_INVALID_ARGUMENT (not a user thread, unknown
 *     flavor, short count, invalid state: nothing changed); KERN_FAILURE
 *     (the thread is not suspended).
 */
kern_return_t
S_thread_set_state(thread_t target_thread, thread_state_flavor_t flavor, thread_state_t new_state,
                   mach_msg_type_number_t new_stateCnt)
{
    kern_return_t kr;

    if (!user_thread(target_thread))
        return KERN_INVALID_ARGUMENT;
    if ((kr = thread_wait_stopped(target_thread)) != KERN_SUCCESS)
        return kr;
    return thread_setstatus(target_thread, flavor, new_state, new_stateCnt);
}

// TH_STATE_* of a thread: STOPPED once a suspended thread has stopped (at
// its suspension point or in an interruptible wait), RUNNING while it is
// runnable, WAITING / UNINTERRUPTIBLE while it is blocked.
static integer_t
thread_run_state(unsigned state, bool interruptible, bool suspended)
{
    if (state & TH_HALTED)
        return TH_STATE_HALTED;
    if (suspended && (state & (TH_WAIT | TH_RUN)) == TH_WAIT && interruptible)
        return TH_STATE_STOPPED;
    if (state & TH_RUN)
        return TH_STATE_RUNNING;
    if (state & TH_WAIT)
        return interruptible ? TH_STATE_WAITING : TH_STATE_UNINTERRUPTIBLE;
    return TH_STATE_RUNNING;
}

// THREAD_BASIC_INFO of `t`, read under its task's and its own lock.
// Times are not accounted yet: zero.
static void
thread_basic_info_fill(struct thread *t, struct thread_basic_info *info)
{
    struct task *task = t->th_task;

    memset(info, 0, sizeof(*info));
    spin_lock(&task->t_lock);
    spin_lock(&t->th_lock);
    info->base_priority = t->th_priority;
    info->cur_priority = t->th_sched_pri;
    info->suspend_count = t->th_suspend_count;
    info->run_state = thread_run_state(t->th_state, t->th_interruptible,
                                       t->th_suspend_count > 0 || task->t_suspend_count > 0);
    info->flags = (t->th_state & TH_IDLE) ? TH_FLAGS_IDLE : 0;
    spin_unlock(&t->th_lock);
    spin_unlock(&task->t_lock);
}

/*
 * thread_info (2017): flavored information; *count as for task_info.
 * Returns: KERN_SUCCESS; KERN_INVALID_ARGUMENT (not a user thread, unknown
 *     flavor, *count smaller than the flavor's).
 */
kern_return_t
S_thread_info(thread_t target_thread, thread_flavor_t flavor, thread_info_t thread_info_out,
              mach_msg_type_number_t *thread_info_outCnt)
{
    struct thread_basic_info info;

    if (!user_thread(target_thread))
        return KERN_INVALID_ARGUMENT;
    if (flavor != THREAD_BASIC_INFO || *thread_info_outCnt < THREAD_BASIC_INFO_COUNT)
        return KERN_INVALID_ARGUMENT;
    thread_basic_info_fill(target_thread, &info);
    memcpy(thread_info_out, &info, sizeof(info));
    *thread_info_outCnt = THREAD_BASIC_INFO_COUNT;
    return KERN_SUCCESS;
}

/*
 * thread_get_special_port (2018): a send right from one of the thread's
 * special slots (THREAD_KERNEL_PORT, THREAD_EXCEPTION_PORT);
 * MACH_PORT_NULL when the slot is empty.
 * Returns: KERN_SUCCESS; KERN_INVALID_ARGUMENT (not a user thread's port,
 *     or unknown which_port); KERN_FAILURE (the thread is terminating).
 */
kern_return_t
S_thread_get_special_port(thread_t thread, int which_port, mach_port_t *special_port)
{
    if (!user_thread(thread))
        return KERN_INVALID_ARGUMENT;
    return ipc_thread_get_special_port(thread, which_port, special_port);
}

/*
 * thread_set_special_port (2019): put the send right special_port
 * (consumed on success; may be MACH_PORT_NULL) in THREAD_EXCEPTION_PORT,
 * releasing the one it replaces.
 * Returns: KERN_SUCCESS; KERN_INVALID_ARGUMENT (not a user thread's port,
 *     or which_port is not THREAD_EXCEPTION_PORT); KERN_FAILURE (the
 *     thread is terminating).
 */
kern_return_t
S_thread_set_special_port(thread_t thread, int which_port, mach_port_t special_port)
{
    if (!user_thread(thread))
        return KERN_INVALID_ARGUMENT;
    return ipc_thread_set_special_port(thread, which_port, special_port);
}

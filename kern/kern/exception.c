// SPDX-License-Identifier: MIT
//
// User exceptions as Mach messages (see exception.h).  The faulting thread
// itself is the client: in kernel mode, on its way back to user mode, it
// calls the KernelUser stub exception_raise (generated from exc.defs into
// excUser.c), which sends the request with mach_msg_rpc_from_kernel and
// waits on the thread's kernel reply port.  Meanwhile the thread is in an
// interruptible wait like any receiver, so thread_abort and task_terminate
// reach it.
//
// The levels are GNU Mach's classic special ports: THREAD_EXCEPTION_PORT,
// then TASK_EXCEPTION_PORT (thread_set_special_port,
// task_set_special_port).  Each is read once, as a send right of our own,
// so a handler that replaces or destroys the port while we wait changes
// nothing for this exception.
//
// Locks: none held here; the special-port reads take ith_lock / itk_lock
// for a moment.

#include <kern/exception.h>
#include <kern/console.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_tt.h>
#include <mach/task_special_ports.h>
#include <mach/message.h>

#include <exc.h> // generated: the KernelUser stub exception_raise()

// Outcome of one level.
enum exc_outcome {
    EXC_HANDLED,     // KERN_SUCCESS reply: resume the thread
    EXC_PASS_ON,     // no port, error reply, dead handler: next level
    EXC_INTERRUPTED, // the wait was interrupted: return to the thread
};

// The exception port of one level as a send right of our own (IP_NULL when
// there is none, or the thread or task is terminating).
static struct ipc_port *
exc_port_get(struct thread *thread, bool task_level)
{
    struct ipc_port *port = IP_NULL;
    kern_return_t kr;

    if (task_level)
        kr = ipc_task_get_special_port(thread->th_task, TASK_EXCEPTION_PORT, &port);
    else
        kr = ipc_thread_get_special_port(thread, THREAD_EXCEPTION_PORT, &port);
    if (kr != KERN_SUCCESS)
        return IP_NULL;
    return port;
}

// Sends exception_raise to `port` (a send right we keep) with send rights
// to the thread and its task, and classifies the reply.
static enum exc_outcome
exc_send(struct ipc_port *port, struct thread *thread, const struct exception_info *ei)
{
    struct ipc_port *tport = IP_NULL, *kport = IP_NULL;
    int64_t code[EXCEPTION_CODE_MAX] = {ei->ei_code[0], ei->ei_code[1]};
    kern_return_t kr;

    // Failures leave IP_NULL: the handler then gets MACH_PORT_NULL there.
    (void)ipc_thread_get_special_port(thread, THREAD_KERNEL_PORT, &tport);
    (void)ipc_task_get_special_port(thread->th_task, TASK_KERNEL_PORT, &kport);
    kr = exception_raise(port, tport, kport, ei->ei_type, code, EXCEPTION_CODE_MAX);
    ipc_port_release_send(tport);
    ipc_port_release_send(kport);
    if (kr == KERN_SUCCESS)
        return EXC_HANDLED;
    if (kr == MACH_RCV_INTERRUPTED)
        return EXC_INTERRUPTED;
    return EXC_PASS_ON;
}

// No handler took it: say so and end the task (today's report).
static void
exc_unhandled(struct thread *thread, const struct exception_info *ei)
{
    struct task *task = thread->th_task;

    kprintf("task %s: %s at RIP %#lx (addr %#lx, error %#lx), thread %s; terminating it\n",
            task->t_name, ei->ei_name != NULL ? ei->ei_name : "exception", ei->ei_pc, ei->ei_addr,
            ei->ei_error, thread->th_name);
    (void)task_terminate_internal(task, TASK_STATUS_EXCEPTION(ei->ei_vector));
}

// A thread asked to terminate never runs user code again: there is
// nothing to raise for it (and no report: its task may be ending already).
static bool
exc_terminating(struct thread *self)
{
    return (__atomic_load_n(&self->th_state, __ATOMIC_RELAXED) & TH_TERMINATE) != 0;
}

void
exception_raise_user(const struct exception_info *ei)
{
    struct thread *self = current_thread();

    for (int level = 0; level < 2; level++) {
        if (exc_terminating(self))
            return;
        struct ipc_port *port = exc_port_get(self, level == 1);
        if (!IP_VALID(port))
            continue;
        enum exc_outcome out = exc_send(port, self, ei);
        ipc_port_release_send(port);
        if (out != EXC_PASS_ON)
            return;
    }
    if (!exc_terminating(self))
        exc_unhandled(self, ei);
}

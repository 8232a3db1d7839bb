// SPDX-License-Identifier: MIT
//
// Unhandled user exceptions (see exception.h): the place where exception
// messages will be raised; for now, report and terminate the task.

#include <kern/exception.h>
#include <kern/console.h>
#include <kern/task.h>
#include <kern/thread.h>

void
exception_unhandled(struct thread *thread, unsigned code, const char *name, uintptr_t pc,
                    uintptr_t addr, uint64_t error)
{
    struct task *task = thread->th_task;

    kprintf("task %s: %s at RIP %#lx (addr %#lx, error %#lx), thread %s; terminating it\n",
            task->t_name, name != NULL ? name : "exception", pc, addr, error, thread->th_name);
    (void)task_terminate_internal(task, TASK_STATUS_EXCEPTION(code));
}

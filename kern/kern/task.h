/* SPDX-License-Identifier: MIT
 *
 * Tasks: an address space, an IPC space and a set of threads.
 *
 * Like struct thread, the structure is assembled from per-subsystem parts:
 *   t_*   here              threads, suspension, life cycle, exit status
 *   map   vm/vm_map.h       the address space (its pmap inside)
 *   itk   ipc/ipc_task.h    the IPC space and the task's special ports
 */
#ifndef _KERN_TASK_H_
#define _KERN_TASK_H_

#include <kern/types.h>
#include <kern/spinlock.h>
#include <ipc/ipc_task.h>

struct thread;
struct vm_map;

#define TASK_NAME_MAX 32

struct task {
    struct spinlock t_lock;

    /* Protected by t_lock. */
    struct thread *t_threads; /* list through th_task_next */
    unsigned t_thread_count;
    int t_suspend_count;
    bool t_active;       /* false once termination has begun */
    int t_exit_status;   /* valid once !t_active */
    uint32_t t_refs;     /* atomic: task_reference / task_deallocate */

    char t_name[TASK_NAME_MAX]; /* boot module name, for messages */

    struct vm_map *map;  /* the address space, vm/vm_map.h */
    struct ipc_task itk; /* IPC state, ipc/ipc_task.h */
};

/* The kernel's own task: kernel threads belong to it. */
extern struct task *kernel_task;

#endif

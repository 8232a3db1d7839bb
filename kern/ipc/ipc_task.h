/* SPDX-License-Identifier: MIT
 *
 * A task's IPC state, embedded in struct task as `itk` (kern/task.h): its
 * IPC space and its special ports (numbers in <mach/task_special_ports.h>:
 * TASK_KERNEL_PORT 1, TASK_HOST_PORT 2, TASK_EXCEPTION_PORT 3,
 * TASK_BOOTSTRAP_PORT 4).  itk_self is the port that names the task (the
 * kernel holds its receive right, ip_kobject is the task); the other
 * slots hold send rights.  ipc_tt.c.
 */
#ifndef _IPC_IPC_TASK_H_
#define _IPC_IPC_TASK_H_

#include <kern/types.h>
#include <kern/spinlock.h>

struct ipc_port;
struct ipc_space;

struct ipc_task {
    struct spinlock itk_lock; /* rank LOCK_RANK_IPC_ITK */

    /* Protected by itk_lock. */
    struct ipc_space *itk_space;    /* the task's names (referenced); NULL once gone */
    struct ipc_port *itk_self;      /* the task's kernel port; NULL once terminated */
    struct ipc_port *itk_sself;     /* send right: what TASK_KERNEL_PORT returns */
    struct ipc_port *itk_host;      /* send right: TASK_HOST_PORT */
    struct ipc_port *itk_exception; /* send right: TASK_EXCEPTION_PORT */
    struct ipc_port *itk_bootstrap; /* send right: TASK_BOOTSTRAP_PORT */
};

#endif

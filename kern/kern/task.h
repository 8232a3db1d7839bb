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
#include <mach/kern_return.h>
#include <ipc/ipc_task.h>

struct thread;
struct vm_map;
struct pmap;

#define TASK_NAME_MAX 32

struct task {
    struct spinlock t_lock;

    /* Protected by t_lock. */
    struct thread *t_threads; /* list through th_task_next */
    unsigned t_thread_count;
    int t_suspend_count;
    bool t_active;     /* false once termination has begun */
    int t_exit_status; /* valid once !t_active */
    bool t_kernel;     /* kernel_task: its threads never enter user mode */
    bool t_held;       /* holds a reference on itself until terminated (task_hold) */
    uint32_t t_refs;   /* atomic: task_reference / task_deallocate */

    char t_name[TASK_NAME_MAX]; /* boot module name, for messages */

    struct vm_map *map;  /* the address space, vm/vm_map.h */
    struct ipc_task itk; /* IPC state, ipc/ipc_task.h */
};

/* The kernel's own task: kernel threads belong to it. */
extern struct task *kernel_task;

/* Creates the task zone and kernel_task.  kmain, once, before
 * thread_bootstrap(). */
void task_bootstrap(void);

/* The task of the current thread. */
struct task *current_task(void);

/* Creates an empty task: no threads, a new empty address space
 * (vm_map_create) and IPC space (ipc_task_init), named `name`.  `parent`
 * may be NULL.  Returns KERN_SUCCESS and *out with one reference for the
 * caller, or KERN_RESOURCE_SHORTAGE.  No lock held. */
kern_return_t task_create_internal(struct task *parent, const char *name, struct task **out);

/* As task_create_internal, but with inherit_memory the child's address
 * space is built from parent's by each entry's inheritance (vm_map_fork:
 * COPY entries copy-on-write, SHARE shared, NONE absent); parent must then
 * be a task with a map.  Takes the parent's map lock: call with no
 * spinlock held.  Same returns. */
kern_return_t task_create_inherit(struct task *parent, bool inherit_memory, const char *name,
                                  struct task **out);

/* Terminates `task`: marks it inactive with exit status `status`, asks every
 * thread to terminate (each stops at its next return towards user mode),
 * tears down its IPC space, and wakes task_wait() callers once the last
 * thread is gone.  The calling thread may belong to the task; it then
 * terminates on its way out of the kernel.  KERN_SUCCESS, or
 * KERN_TERMINATED if it was terminated already (the first status stays).
 * No lock held. */
kern_return_t task_terminate_internal(struct task *task, int status);

/* Makes an active `task` keep itself alive until task_terminate_internal:
 * it holds one reference on itself, dropped by the termination.  A task
 * made for a user (the task_create RPC) needs this, as in Mach: it has no
 * thread yet to keep it, and its port holds no reference.  Idempotent.
 * Takes the task lock; the caller holds a reference. */
void task_hold(struct task *task);
/* Waits until `task` is terminated and all its threads are reaped, then
 * writes its exit status to *status.  KERN_SUCCESS, or KERN_ABORTED if the
 * waiting thread was interrupted.  No lock held; caller holds a reference. */
kern_return_t task_wait(struct task *task, int *status);

/* Suspend counts: while a task's count is positive none of its threads runs
 * user code.  KERN_SUCCESS; KERN_FAILURE for resuming a task that is not
 * suspended; KERN_TERMINATED for a dead task.  Take the task lock. */
kern_return_t task_suspend(struct task *task);
kern_return_t task_resume(struct task *task);

/* References: the last task_deallocate destroys the address space and frees
 * the task.  Each thread holds one on its task until it is reaped. */
void task_reference(struct task *task);
void task_deallocate(struct task *task);

/* The pmap of the task's address space (kernel_pmap for the kernel task). */
struct pmap *task_pmap(struct task *task);

#endif

// SPDX-License-Identifier: MIT
//
// Task and thread ports (ipc_tt.h): the IPC state a task or thread gets at
// creation and loses at termination, their special ports, and the
// conversions between ports and tasks, threads and spaces for mig.
//
// A task's kernel port (itk_self) is a kernel-held port whose kobject is
// the task; itk_sself is a send right made from it, the one
// task_get_special_port(TASK_KERNEL_PORT) and mach_task_self() copy.
// Terminating the task kills the port, so every send right to it anywhere
// becomes a dead name; then the space is destroyed, releasing every right
// the task held.  Threads are alike, without a space.

#include <ipc/ipc_tt.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_space.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_host.h>
#include <ipc/ipc_defer.h>
#include <mach/task_special_ports.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <vm/vm_map.h>

/*
 * Purpose: give a new task its IPC space, its kernel port (and the send
 *     right mach_task_self() hands out) and a send right to the host port.
 * Conditions: no locks held; the task is not yet visible to anyone.
 * Returns: KERN_SUCCESS; KERN_RESOURCE_SHORTAGE (nothing allocated).
 */
kern_return_t
ipc_task_init(struct task *task)
{
    struct ipc_task *itk = &task->itk;
    struct ipc_space *space = ipc_space_create();
    struct ipc_port *kport;

    spinlock_init(&itk->itk_lock, "ipc.itk", LOCK_RANK_IPC_ITK);
    if (space == NULL)
        return KERN_RESOURCE_SHORTAGE;
    if ((kport = ipc_kobject_alloc_port(task, IKOT_TASK)) == NULL) {
        ipc_space_destroy(space);
        ipc_space_release(space);
        return KERN_RESOURCE_SHORTAGE;
    }
    itk->itk_space = space;
    itk->itk_self = kport;
    itk->itk_sself = ipc_port_make_send(kport);
    itk->itk_host = convert_host_to_port(&realhost);
    itk->itk_exception = IP_NULL;
    itk->itk_bootstrap = IP_NULL;
    return KERN_SUCCESS;
}

/*
 * Purpose: tear down a terminating task's IPC: its kernel port dies (send
 *     rights to it become dead names), its special ports are released, its
 *     space is destroyed with every right in it (notifications follow).
 * Conditions: no locks held.  Idempotent.
 */
void
ipc_task_terminate(struct task *task)
{
    struct ipc_task *itk = &task->itk;
    struct ipc_port *self, *ports[4];
    struct ipc_space *space;

    spin_lock(&itk->itk_lock);
    self = itk->itk_self;
    space = itk->itk_space;
    ports[0] = itk->itk_sself;
    ports[1] = itk->itk_host;
    ports[2] = itk->itk_exception;
    ports[3] = itk->itk_bootstrap;
    itk->itk_self = itk->itk_sself = itk->itk_host = IP_NULL;
    itk->itk_exception = itk->itk_bootstrap = IP_NULL;
    itk->itk_space = NULL;
    spin_unlock(&itk->itk_lock);
    for (int i = 0; i < 4; i++)
        ipc_port_release_send(ports[i]);
    if (self != IP_NULL)
        ipc_kobject_destroy_port(self);
    if (space != NULL) {
        ipc_space_destroy(space);
        ipc_space_release(space);
    }
    ipc_defer_run();
}

/*
 * Purpose: give a new thread its kernel port and the send right
 *     mach_thread_self() hands out.
 * Conditions: no locks held; the thread is not yet visible.
 * Returns: KERN_SUCCESS; KERN_RESOURCE_SHORTAGE.
 */
kern_return_t
ipc_thread_init(struct thread *thread)
{
    struct ipc_thread *ith = &thread->ith;
    struct ipc_port *kport;

    *ith = (struct ipc_thread){0};
    spinlock_init(&ith->ith_lock, "ipc.ith", LOCK_RANK_IPC_ITK);
    if ((kport = ipc_kobject_alloc_port(thread, IKOT_THREAD)) == NULL)
        return KERN_RESOURCE_SHORTAGE;
    ith->ith_self = kport;
    ith->ith_sself = ipc_port_make_send(kport);
    return KERN_SUCCESS;
}

/*
 * Purpose: tear down a terminating thread's IPC: its kernel port dies, its
 *     rights and its kernel RPC reply port are released.
 * Conditions: no locks held.  Idempotent.
 */
void
ipc_thread_terminate(struct thread *thread)
{
    struct ipc_thread *ith = &thread->ith;
    struct ipc_port *self, *sself, *exc, *rpc;

    spin_lock(&ith->ith_lock);
    self = ith->ith_self;
    sself = ith->ith_sself;
    exc = ith->ith_exception;
    rpc = ith->ith_rpc_reply;
    ith->ith_self = ith->ith_sself = ith->ith_exception = ith->ith_rpc_reply = IP_NULL;
    spin_unlock(&ith->ith_lock);
    ipc_port_release_send(sself);
    ipc_port_release_send(exc);
    if (self != IP_NULL)
        ipc_kobject_destroy_port(self);
    if (rpc != IP_NULL)
        ipc_port_dealloc_special(rpc);
    ipc_defer_run();
}

/*
 * Purpose: a thread being terminated stops being nameable at once (GNU
 *     Mach's ipc_thread_disable): its kernel port dies, so send rights to
 *     it become dead names, and the right mach_thread_self() copies is
 *     released.  The rest of its IPC state goes with ipc_thread_terminate
 *     when the thread has ended.
 * Conditions: no locks held.  Idempotent.
 */
void
ipc_thread_disable(struct thread *thread)
{
    struct ipc_thread *ith = &thread->ith;
    struct ipc_port *self, *sself;

    spin_lock(&ith->ith_lock);
    self = ith->ith_self;
    sself = ith->ith_sself;
    ith->ith_self = ith->ith_sself = IP_NULL;
    spin_unlock(&ith->ith_lock);
    ipc_port_release_send(sself);
    if (self != IP_NULL)
        ipc_kobject_destroy_port(self);
    ipc_defer_run();
}

// The slot of a task's special port, or NULL for an unknown `which`.
static struct ipc_port **
special_slot(struct ipc_task *itk, int which)
{
    switch (which) {
    case TASK_KERNEL_PORT:
        return &itk->itk_sself;
    case TASK_HOST_PORT:
        return &itk->itk_host;
    case TASK_EXCEPTION_PORT:
        return &itk->itk_exception;
    case TASK_BOOTSTRAP_PORT:
        return &itk->itk_bootstrap;
    default:
        return NULL;
    }
}

// A new send right from `slot`, read under `lock`; KERN_FAILURE when the
// owner's kernel port (*alive) is gone, i.e. it is being terminated.
static kern_return_t
special_get(struct spinlock *lock, struct ipc_port *const *alive, struct ipc_port *const *slot,
            struct ipc_port **portp)
{
    struct ipc_port *port;

    spin_lock(lock);
    if (*alive == IP_NULL) {
        spin_unlock(lock);
        return KERN_FAILURE;
    }
    port = ipc_port_copy_send(*slot);
    spin_unlock(lock);
    *portp = port;
    return KERN_SUCCESS;
}

// Puts the send right `port` (consumed on success) in `slot` under `lock`
// and releases the right it replaces; KERN_FAILURE as special_get.
static kern_return_t
special_set(struct spinlock *lock, struct ipc_port *const *alive, struct ipc_port **slot,
            struct ipc_port *port)
{
    struct ipc_port *old;

    spin_lock(lock);
    if (*alive == IP_NULL) {
        spin_unlock(lock);
        return KERN_FAILURE;
    }
    old = *slot;
    *slot = port;
    spin_unlock(lock);
    ipc_port_release_send(old);
    ipc_defer_run();
    return KERN_SUCCESS;
}

/*
 * Purpose: task_get_special_port: a new send right from a special slot.
 * Conditions: no locks held.
 * Returns: KERN_SUCCESS with *portp (IP_NULL if the slot is empty, IP_DEAD
 *     if its port died); KERN_INVALID_ARGUMENT (unknown which);
 *     KERN_FAILURE (the task is terminated).
 */
kern_return_t
ipc_task_get_special_port(struct task *task, int which, struct ipc_port **portp)
{
    struct ipc_task *itk = &task->itk;
    struct ipc_port **slot = special_slot(itk, which);

    if (slot == NULL)
        return KERN_INVALID_ARGUMENT;
    return special_get(&itk->itk_lock, &itk->itk_self, slot, portp);
}

/*
 * Purpose: task_set_special_port: put a send right (consumed) in a slot,
 *     releasing the one it replaces.
 * Conditions: no locks held.
 * Returns: KERN_SUCCESS; KERN_INVALID_ARGUMENT; KERN_FAILURE (terminated:
 *     the right is not consumed).
 */
kern_return_t
ipc_task_set_special_port(struct task *task, int which, struct ipc_port *port)
{
    struct ipc_task *itk = &task->itk;
    struct ipc_port **slot = special_slot(itk, which);

    if (slot == NULL)
        return KERN_INVALID_ARGUMENT;
    return special_set(&itk->itk_lock, &itk->itk_self, slot, port);
}

// The slot of a thread's special port, or NULL for an unknown `which`.
static struct ipc_port **
thread_special_slot(struct ipc_thread *ith, int which)
{
    switch (which) {
    case THREAD_KERNEL_PORT:
        return &ith->ith_sself;
    case THREAD_EXCEPTION_PORT:
        return &ith->ith_exception;
    default:
        return NULL;
    }
}

/*
 * Purpose: thread_get_special_port: a new send right from a thread's
 *     special slot (THREAD_KERNEL_PORT, THREAD_EXCEPTION_PORT).
 * Conditions: no locks held.
 * Returns: KERN_SUCCESS with *portp (IP_NULL if the slot is empty, IP_DEAD
 *     if its port died); KERN_INVALID_ARGUMENT (unknown which);
 *     KERN_FAILURE (the thread is terminating: its port is gone).
 */
kern_return_t
ipc_thread_get_special_port(struct thread *thread, int which, struct ipc_port **portp)
{
    struct ipc_thread *ith = &thread->ith;
    struct ipc_port **slot = thread_special_slot(ith, which);

    if (slot == NULL)
        return KERN_INVALID_ARGUMENT;
    return special_get(&ith->ith_lock, &ith->ith_self, slot, portp);
}

/*
 * Purpose: thread_set_special_port: put a send right (consumed) in
 *     THREAD_EXCEPTION_PORT, releasing the one it replaces.  The kernel
 *     port cannot be replaced.
 * Conditions: no locks held.
 * Returns: KERN_SUCCESS; KERN_INVALID_ARGUMENT (unknown which, or
 *     THREAD_KERNEL_PORT); KERN_FAILURE (terminating: not consumed).
 */
kern_return_t
ipc_thread_set_special_port(struct thread *thread, int which, struct ipc_port *port)
{
    struct ipc_thread *ith = &thread->ith;

    if (which != THREAD_EXCEPTION_PORT)
        return KERN_INVALID_ARGUMENT;
    return special_set(&ith->ith_lock, &ith->ith_self, &ith->ith_exception, port);
}

/*
 * Purpose: intran for task_t: the task a task port stands for.
 * Conditions: no port lock held.
 * Returns: the task with a reference (task_deallocate), or NULL.
 */
struct task *
convert_port_to_task(struct ipc_port *port)
{
    struct task *task;

    if (!IP_VALID(port))
        return NULL;
    ipc_port_lock(port);
    task = ipc_kobject_get_locked(port, IKOT_TASK);
    if (task != NULL)
        task_reference(task);
    ipc_port_unlock(port);
    return task;
}

/*
 * Purpose: intran for thread_t.
 * Returns: the thread with a reference (thread_deallocate), or NULL.
 */
struct thread *
convert_port_to_thread(struct ipc_port *port)
{
    struct thread *thread;

    if (!IP_VALID(port))
        return NULL;
    ipc_port_lock(port);
    thread = ipc_kobject_get_locked(port, IKOT_THREAD);
    if (thread != NULL)
        thread_reference(thread);
    ipc_port_unlock(port);
    return thread;
}

/*
 * Purpose: intran for ipc_space_t (mach_port_* calls): the IPC space of
 *     the task a task port stands for.
 * Returns: the space with a reference (ipc_space_release), or NULL.
 */
struct ipc_space *
convert_port_to_space(struct ipc_port *port)
{
    struct task *task = convert_port_to_task(port);
    struct ipc_space *space = NULL;

    if (task == NULL)
        return NULL;
    spin_lock(&task->itk.itk_lock);
    space = task->itk.itk_space;
    if (space != NULL)
        ipc_space_reference(space);
    spin_unlock(&task->itk.itk_lock);
    task_deallocate(task);
    return space;
}

/*
 * Purpose: intran for vm_task_t (vm_* calls): the address space of the
 *     task a task port stands for.  The kernel task has none (NULL).
 * Returns: the map with a reference (vm_map_deallocate), or NULL.
 */
struct vm_map *
convert_port_to_map(struct ipc_port *port)
{
    struct task *task = convert_port_to_task(port);
    struct vm_map *map = NULL;

    if (task == NULL)
        return NULL;
    if (!task->t_kernel && task->map != NULL) {
        map = task->map; /* set at creation, kept until the task is freed */
        vm_map_reference(map);
    }
    task_deallocate(task);
    return map;
}

/*
 * Purpose: destructor for ipc_space_t: drop the intran's reference (NULL
 *     is ignored).
 */
void
space_deallocate(struct ipc_space *space)
{
    if (space != NULL)
        ipc_space_release(space);
}

/*
 * Purpose: destructor for vm_task_t: drop convert_port_to_map's reference
 *     (NULL, for a port that named no task, is ignored).
 */
void
map_deallocate(struct vm_map *map)
{
    if (map != NULL)
        vm_map_deallocate(map);
}

/*
 * Purpose: outtran for task_t: a send right to the task's port.
 * Conditions: no locks held.  Consumes the caller's task reference.
 * Returns: the port with the new right, or IP_NULL (task terminated).
 */
struct ipc_port *
convert_task_to_port(struct task *task)
{
    struct ipc_port *port;

    spin_lock(&task->itk.itk_lock);
    port = ipc_port_copy_send(task->itk.itk_sself);
    spin_unlock(&task->itk.itk_lock);
    task_deallocate(task);
    return port;
}

/*
 * Purpose: outtran for thread_t.  Consumes the thread reference.
 * Returns: the port with a new send right, or IP_NULL.
 */
struct ipc_port *
convert_thread_to_port(struct thread *thread)
{
    struct ipc_port *port;

    spin_lock(&thread->ith.ith_lock);
    port = ipc_port_copy_send(thread->ith.ith_sself);
    spin_unlock(&thread->ith.ith_lock);
    thread_deallocate(thread);
    return port;
}

// SPDX-License-Identifier: MIT
//
// Tasks: creation of empty tasks, references, suspension, termination and
// waiting for a task's end.
//
// A task holds an address space (`map`, the VM system's), an IPC space
// (`itk`, the IPC system's) and threads.  Termination is asynchronous: the
// task is marked inactive with its exit status at once, every thread is
// told to terminate (interrupting its interruptible wait; each halts at its
// next return towards user mode) and the IPC space is torn down; task_wait()
// returns once the reaper has taken the last thread.  The address space goes
// with the last reference, which outlives every thread (each thread holds
// one), so no CPU can still be running on the map's pmap then.
//
// Locks: t_lock (LOCK_RANK_TASK) protects the fields grouped under it in
// task.h and the threads' th_task_next, suspend counts and TH_TERMINATE.

#include <kern/task.h>
#include <kern/assert.h>
#include <kern/thread.h>
#include <kern/zalloc.h>
#include <ipc/ipc_tt.h>
#include <lib/string.h>
#include <vm/pmap.h>
#include <vm/vm_map.h>

static struct zone *task_zone;
struct task *kernel_task;

static void
task_init_struct(struct task *t, const char *name)
{
    memset(t, 0, sizeof(*t));
    spinlock_init(&t->t_lock, "task", LOCK_RANK_TASK);
    t->t_active = true;
    t->t_refs = 1;
    strlcpy(t->t_name, name, sizeof(t->t_name));
}

void
task_bootstrap(void)
{
    task_zone = zone_create("task", sizeof(struct task), 8);
    if (task_zone == NULL || (kernel_task = zalloc(task_zone)) == NULL)
        panic("task_bootstrap: no memory for the kernel task");
    task_init_struct(kernel_task, "kernel");
    kernel_task->t_kernel = true; // map NULL: the kernel pmap only
}

struct task *
current_task(void)
{
    return current_thread()->th_task;
}

struct pmap *
task_pmap(struct task *task)
{
    return task->map != NULL ? task->map->pmap : kernel_pmap;
}

kern_return_t
task_create_internal(struct task *parent, const char *name, struct task **out)
{
    return task_create_inherit(parent, false, name, out);
}

kern_return_t
task_create_inherit(struct task *parent, bool inherit_memory, const char *name, struct task **out)
{
    assert(!inherit_memory || (parent != NULL && parent->map != NULL));
    struct task *t = zalloc(task_zone);
    if (t == NULL)
        return KERN_RESOURCE_SHORTAGE;
    task_init_struct(t, name);
    t->map = inherit_memory ? vm_map_fork(parent->map) : vm_map_create();
    if (t->map == NULL)
        goto fail_task;
    if (ipc_task_init(t) != KERN_SUCCESS)
        goto fail_map;
    *out = t;
    return KERN_SUCCESS;

fail_map:
    vm_map_deallocate(t->map);
fail_task:
    zfree(task_zone, t);
    return KERN_RESOURCE_SHORTAGE;
}

void
task_reference(struct task *task)
{
    __atomic_fetch_add(&task->t_refs, 1, __ATOMIC_RELAXED);
}

void
task_deallocate(struct task *task)
{
    if (task == NULL || __atomic_sub_fetch(&task->t_refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    assert(task != kernel_task && task->t_thread_count == 0);
    if (task->t_active)
        ipc_task_terminate(task); // never terminated explicitly
    if (task->map != NULL)
        vm_map_deallocate(task->map);
    zfree(task_zone, task);
}

kern_return_t
task_terminate_internal(struct task *task, int status)
{
    if (task->t_kernel)
        return KERN_INVALID_ARGUMENT;
    spin_lock(&task->t_lock);
    if (!task->t_active) {
        spin_unlock(&task->t_lock);
        return KERN_TERMINATED;
    }
    task->t_active = false;
    task->t_exit_status = status;
    for (struct thread *t = task->t_threads; t != NULL; t = t->th_task_next)
        (void)thread_terminate_locked(t); // KERN_TERMINATED: on its way already
    bool no_threads = task->t_thread_count == 0;
    bool held = task->t_held;
    task->t_held = false;
    spin_unlock(&task->t_lock);
    ipc_task_terminate(task);
    if (no_threads)
        thread_wakeup((event_t)&task->t_thread_count);
    if (held)
        task_deallocate(task); // its hold on itself; the caller still has one
    return KERN_SUCCESS;
}

void
task_hold(struct task *task)
{
    spin_lock(&task->t_lock);
    if (task->t_active && !task->t_held) {
        task_reference(task); // under the lock: a racing terminate drops it after
        task->t_held = true;
    }
    spin_unlock(&task->t_lock);
}

kern_return_t
task_wait(struct task *task, int *status)
{
    spin_lock(&task->t_lock);
    while (task->t_active || task->t_thread_count > 0) {
        assert_wait((event_t)&task->t_thread_count, true);
        spin_unlock(&task->t_lock);
        if (thread_block() == THREAD_INTERRUPTED)
            return KERN_ABORTED;
        spin_lock(&task->t_lock);
    }
    *status = task->t_exit_status;
    spin_unlock(&task->t_lock);
    return KERN_SUCCESS;
}

kern_return_t
task_suspend(struct task *task)
{
    spin_lock(&task->t_lock);
    if (!task->t_active) {
        spin_unlock(&task->t_lock);
        return KERN_TERMINATED;
    }
    task->t_suspend_count++;
    spin_unlock(&task->t_lock);
    return KERN_SUCCESS; // running threads stop at their next user return
}

kern_return_t
task_resume(struct task *task)
{
    kern_return_t kr = KERN_SUCCESS;

    spin_lock(&task->t_lock);
    if (!task->t_active)
        kr = KERN_TERMINATED;
    else if (task->t_suspend_count == 0)
        kr = KERN_FAILURE;
    else if (--task->t_suspend_count == 0) {
        for (struct thread *t = task->t_threads; t != NULL; t = t->th_task_next)
            thread_wakeup((event_t)&t->th_suspend_count);
    }
    spin_unlock(&task->t_lock);
    return kr;
}

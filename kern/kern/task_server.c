// SPDX-License-Identifier: MIT
//
// The task routines of include/mach/mach.defs (ids 2000..2007), served by
// the kernel: mig's KernelServer stubs (machServer.c, generated) check the
// request, turn the task port into a referenced struct task (NULL when the
// port names no task) and call the S_* routines here inside the sender's
// mach_msg.  The stubs drop that reference afterwards (destructor).
//
// Ownership follows docs/mig.md: a routine that returns KERN_SUCCESS owns
// the rights it received (task_set_special_port's port); one that fails
// consumes nothing and changes nothing.  Results that are rights (a new
// task, thread ports, a special port) are handed back as references or
// send rights the reply moves to the caller.
//
// This file also registers the demux of the whole mach subsystem (task,
// thread and vm routines: thread_server.c, vm/vm_server.c).

#include <kern/rpc_servers.h>
#include <kern/assert.h>
#include <kern/clock.h>
#include <kern/sched.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_ool.h>
#include <ipc/ipc_tt.h>
#include <lib/string.h>
#include <mach/task_info.h>
#include <vm/pmap.h>
#include <vm/vm_map.h>

#include <machServer.h> // generated: the S_* prototypes, mach_server()

#define MACH_ID_BASE  2000
#define MACH_ID_COUNT 30 // task_create .. the reserved vm_map slot

// A task a user may act on: not NULL (the port named no task) and not the
// kernel's own, whose threads run the kernel.
static bool
user_task(struct task *task)
{
    return task != NULL && !task->t_kernel;
}

/*
 * task_create (2000): a new task with no threads and an IPC space with no
 * names.  With inherit_memory its address space is built from the
 * parent's by each region's inheritance (COPY: copy-on-write, SHARE:
 * shared, NONE: absent; vm_map_fork); without, it is empty.  The task keeps itself alive until
 * task_terminate (task_hold), as a Mach task does; the outtran turns the
 * reference in *child_task into the caller's send right.
 * Returns: KERN_SUCCESS; KERN_INVALID_TASK (parent is not a task);
 *     KERN_RESOURCE_SHORTAGE.
 */
kern_return_t
S_task_create(task_t target_task, boolean_t inherit_memory, task_t *child_task)
{
    struct task *child;
    kern_return_t kr;

    if (!user_task(target_task))
        return KERN_INVALID_TASK;
    kr = task_create_inherit(target_task, inherit_memory, target_task->t_name, &child);
    if (kr != KERN_SUCCESS)
        return kr;
    task_hold(child);
    *child_task = child;
    return KERN_SUCCESS;
}

/*
 * task_terminate (2001): end the task (exit status 0 is not reported as a
 * crash: TASK_STATUS of a terminated task is 0).  Its port dies, so later
 * calls on it fail with MACH_SEND_INVALID_DEST.  A task may terminate
 * itself; the reply is sent before its threads stop.
 * Returns: KERN_SUCCESS; KERN_INVALID_TASK; KERN_TERMINATED.
 */
kern_return_t
S_task_terminate(task_t target_task)
{
    if (!user_task(target_task))
        return KERN_INVALID_TASK;
    return task_terminate_internal(target_task, 0);
}

/*
 * task_suspend, task_resume (2002, 2003): the task's suspend count.
 * Returns: KERN_SUCCESS; KERN_INVALID_TASK; KERN_FAILURE (resume of a
 *     task that is not suspended); KERN_TERMINATED.
 */
kern_return_t
S_task_suspend(task_t target_task)
{
    if (!user_task(target_task))
        return KERN_INVALID_TASK;
    return task_suspend(target_task);
}

kern_return_t
S_task_resume(task_t target_task)
{
    if (!user_task(target_task))
        return KERN_INVALID_TASK;
    return task_resume(target_task);
}

// TASK_BASIC_INFO of `task`.  Times are not accounted yet: zero.
static void
task_basic_info_fill(struct task *task, struct task_basic_info *info)
{
    memset(info, 0, sizeof(*info));
    spin_lock(&task->t_lock);
    info->suspend_count = task->t_suspend_count;
    spin_unlock(&task->t_lock);
    info->base_priority = PRI_USER_DEFAULT;
    info->virtual_size = vm_map_size(task->map);
    info->resident_size = pmap_resident_count(task->map->pmap) * PAGE_SIZE;
}

/*
 * task_info (2004): flavored information; *count is the room the caller
 * has (integer_t units, at most the stub's buffer) and becomes the count
 * filled.
 * Returns: KERN_SUCCESS; KERN_INVALID_TASK; KERN_INVALID_ARGUMENT (unknown
 *     flavor, or *count smaller than the flavor's).
 */
kern_return_t
S_task_info(task_t target_task, task_flavor_t flavor, task_info_t task_info_out,
            mach_msg_type_number_t *task_info_outCnt)
{
    struct task_basic_info info;

    if (!user_task(target_task))
        return KERN_INVALID_TASK;
    if (flavor != TASK_BASIC_INFO || *task_info_outCnt < TASK_BASIC_INFO_COUNT)
        return KERN_INVALID_ARGUMENT;
    task_basic_info_fill(target_task, &info);
    memcpy(task_info_out, &info, sizeof(info));
    *task_info_outCnt = TASK_BASIC_INFO_COUNT;
    return KERN_SUCCESS;
}

// Counts the live (not terminating) threads of `task`; if there are
// exactly `room`, takes a reference on each into `out`.  Returns the count.
static unsigned
task_collect_threads(struct task *task, struct thread **out, unsigned room)
{
    unsigned n = 0, i = 0;

    spin_lock(&task->t_lock);
    for (struct thread *t = task->t_threads; t != NULL; t = t->th_task_next)
        n += !(t->th_state & TH_TERMINATE);
    for (struct thread *t = task->t_threads; t != NULL && n == room; t = t->th_task_next) {
        if (!(t->th_state & TH_TERMINATE)) {
            thread_reference(t);
            out[i++] = t;
        }
    }
    spin_unlock(&task->t_lock);
    return n;
}

// The live threads of `task`, referenced, in an exactly sized array from
// ipc_ool_alloc (NULL when there are none).  Memory cannot be allocated
// under the task lock (the allocators rank below it), so the array is
// sized first and sized again if the thread count changed meanwhile.
static kern_return_t
task_thread_array(struct task *task, struct thread ***arrayp, unsigned *countp)
{
    unsigned room = task_collect_threads(task, NULL, UINT32_MAX);
    struct thread **array;
    unsigned n;

    for (;;) {
        array = room != 0 ? ipc_ool_alloc(room * sizeof(*array)) : NULL;
        if (room != 0 && array == NULL)
            return KERN_RESOURCE_SHORTAGE;
        n = task_collect_threads(task, array, room);
        if (n == room)
            break;
        ipc_ool_discard(array, room * sizeof(*array));
        room = n;
    }
    *arrayp = array;
    *countp = n;
    return KERN_SUCCESS;
}

/*
 * task_threads (2005): send rights to the task's threads (those not
 * terminating), out of line.  The array comes from ipc_ool_alloc and the
 * reply takes it over (a kernel server's out-of-line memory is always
 * given away, docs/mig.md); each slot holds a send right the reply moves.
 * Returns: KERN_SUCCESS; KERN_INVALID_TASK; KERN_RESOURCE_SHORTAGE.
 */
kern_return_t
S_task_threads(task_t target_task, thread_array_t *thread_list,
               mach_msg_type_number_t *thread_listCnt)
{
    struct thread **threads;
    unsigned n;
    kern_return_t kr;

    if (!user_task(target_task))
        return KERN_INVALID_TASK;
    kr = task_thread_array(target_task, &threads, &n);
    if (kr != KERN_SUCCESS)
        return kr;
    // Each reference becomes a send right in place (GNU Mach does the same).
    for (unsigned i = 0; i < n; i++)
        ((struct ipc_port **)threads)[i] = convert_thread_to_port(threads[i]);
    *thread_list = threads;
    *thread_listCnt = n;
    return KERN_SUCCESS;
}

/*
 * task_get_special_port (2006): a send right from one of the task's
 * special slots (TASK_KERNEL_PORT, TASK_HOST_PORT, TASK_EXCEPTION_PORT,
 * TASK_BOOTSTRAP_PORT); MACH_PORT_NULL when the slot is empty.
 * Returns: KERN_SUCCESS; KERN_INVALID_TASK; KERN_INVALID_ARGUMENT (unknown
 *     which_port); KERN_FAILURE (the task is terminating).
 */
kern_return_t
S_task_get_special_port(task_t task, int which_port, mach_port_t *special_port)
{
    if (!user_task(task))
        return KERN_INVALID_TASK;
    return ipc_task_get_special_port(task, which_port, special_port);
}

/*
 * task_set_special_port (2007): put the send right special_port (consumed
 * on success; may be MACH_PORT_NULL) in a special slot, releasing the one
 * it replaces.
 * Returns: KERN_SUCCESS; KERN_INVALID_TASK; KERN_INVALID_ARGUMENT (unknown
 *     which_port); KERN_FAILURE (the task is terminating).
 */
kern_return_t
S_task_set_special_port(task_t task, int which_port, mach_port_t special_port)
{
    if (!user_task(task))
        return KERN_INVALID_TASK;
    return ipc_task_set_special_port(task, which_port, special_port);
}

/*
 * Registers mach_server() (mach.defs: task, thread and vm routines) with
 * the kobject layer.  kmain, once, after ipc_init().  Panics if the ids
 * are taken (a build error in disguise).
 */
void
mach_server_init(void)
{
    if (ipc_kobject_register_server(mach_server, MACH_ID_BASE, MACH_ID_COUNT,
                                    mach_max_reply_size) != KERN_SUCCESS)
        panic("mach_server_init: ids %d..%d are taken", MACH_ID_BASE,
              MACH_ID_BASE + MACH_ID_COUNT - 1);
}

// SPDX-License-Identifier: MIT
//
// The kernel side of include/mach/quay.defs.  mig's KernelServer stubs
// (quayServer.c, generated) check each request, translate its ports into
// objects (a referenced task, the host) and call the S_* routines here,
// inside the sender's mach_msg (ipc_kobject_server).  A routine returns
// KERN_SUCCESS with its out values, an error (the client gets the code),
// or MIG_NO_REPLY when it keeps the reply right to answer later.
//
// task_wait answers later when the task is still running.  The task code
// (kern/task.h) offers a blocking task_wait() but no way to be called back
// when a task ends, so each pending wait is a small kernel thread that
// blocks in task_wait() and then sends the reply.  It holds a reference to
// the task only until the task has ended, and always consumes the reply
// right (a reply to a client that went away is dropped by the IPC layer).
// A callback on task end would save the thread; see kern/kern/README.md.
//
// A task dying while waits are pending: the task's port dies at once (later
// requests fail in mach_msg with MACH_SEND_INVALID_DEST and never get here),
// but each waiter thread holds its own task reference, so the task
// structure and its exit status outlive the port; task_wait() returns once
// the last thread is reaped, the waiter drops its reference and sends the
// reply with the right and type the request carried (send-once or send).
// Nothing is left behind: the reply right goes with the reply (or is
// destroyed with it, if the client's port died), the task reference with
// task_deallocate, the waiter record with kfree, the thread with the reaper.

#include <kern/rpc_servers.h>
#include <vm/memory_object.h>
#include <kern/boot_module.h>
#include <kern/assert.h>
#include <kern/console.h>
#include <kern/kalloc.h>
#include <kern/machine.h>
#include <kern/sched.h>
#include <kern/thread.h>
#include <kern/zalloc.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_stats.h>
#include <lib/string.h>
#include <mach/mig_errors.h>

#include <quayServer.h> // generated: the S_* prototypes, quay_server()

#define QUAY_ID_BASE  5000
#define QUAY_ID_COUNT 6 // task_wait .. host_power_off

// task_wait's reply as mig lays it out (quayServer.c's Reply_task_wait_t),
// kernel layout: header, return code, status.
struct task_wait_reply {
    mach_msg_header_t Head;
    kern_return_t RetCode;
    int status;
};

// One pending task_wait: the task (referenced) and the reply right.
struct task_waiter {
    struct task *tw_task;
    struct ipc_port *tw_reply;          // consumed by the reply
    mach_msg_type_name_t tw_reply_type; // PORT_SEND_ONCE or PORT_SEND
};

/*
 * Has `task` ended (terminated, every thread reaped)?  If so its status
 * goes to *status.  Takes the task lock.
 */
static bool
task_has_ended(struct task *task, int *status)
{
    bool ended;

    spin_lock(&task->t_lock);
    ended = !task->t_active && task->t_thread_count == 0;
    if (ended)
        *status = task->t_exit_status;
    spin_unlock(&task->t_lock);
    return ended;
}

// The waiting thread: blocks until the task has ended, replies, and ends.
static void
task_waiter_main(void *arg)
{
    struct task_waiter *w = arg;
    struct task_wait_reply reply;
    int status;

    while (task_wait(w->tw_task, &status) != KERN_SUCCESS)
        ; // KERN_ABORTED: nobody aborts this thread on purpose; wait again
    task_deallocate(w->tw_task);
    memset(&reply, 0, sizeof(reply));
    reply.Head.msgh_id = QUAY_ID_BASE + MIG_REPLY_ID_OFFSET;
    reply.RetCode = KERN_SUCCESS;
    reply.status = status;
    (void)ipc_kobject_reply_later(w->tw_reply, w->tw_reply_type, &reply.Head, sizeof(reply));
    kfree(w, sizeof(*w));
}

/*
 * task_wait (5000): the exit status of `task` once it has ended.
 * Conditions: no locks held; `task` referenced by the stub (NULL for a port
 *     that is not a task's, which includes a task port that died while the
 *     request was on its way).  `reply`/`replyPoly`: the request's reply
 *     right and its received type.
 * Returns: KERN_SUCCESS with *status (the task had ended); MIG_NO_REPLY (a
 *     waiter thread took a task reference and the reply right, and answers
 *     when the task ends); KERN_INVALID_ARGUMENT (not a task, or no reply
 *     right that could take a later reply); KERN_RESOURCE_SHORTAGE (no
 *     memory for the waiter; nothing kept).
 */
kern_return_t
S_task_wait(task_t task, mach_port_t reply, mach_msg_type_name_t replyPoly, int *status)
{
    struct task_waiter *w;
    struct thread *t;

    if (task == NULL)
        return KERN_INVALID_ARGUMENT;
    if (task_has_ended(task, status))
        return KERN_SUCCESS;
    if (!IP_VALID(reply) ||
        (replyPoly != MACH_MSG_TYPE_PORT_SEND_ONCE && replyPoly != MACH_MSG_TYPE_PORT_SEND))
        return KERN_INVALID_ARGUMENT; // nobody to answer: do not wait for nothing
    w = kalloc(sizeof(*w));
    if (w == NULL)
        return KERN_RESOURCE_SHORTAGE;
    task_reference(task);
    *w = (struct task_waiter){.tw_task = task, .tw_reply = reply, .tw_reply_type = replyPoly};
    t = kernel_thread_create(task_waiter_main, w, PRI_KERNEL_DEFAULT, "task_wait");
    if (t == NULL) {
        task_deallocate(task);
        kfree(w, sizeof(*w));
        return KERN_RESOURCE_SHORTAGE;
    }
    thread_deallocate(t);
    return MIG_NO_REPLY;
}

/*
 * host_boot_module_count (5001).
 * Returns: KERN_SUCCESS; KERN_INVALID_HOST (not the privileged host port).
 */
kern_return_t
S_host_boot_module_count(host_priv_t host_priv, natural_t *count)
{
    if (host_priv == NULL)
        return KERN_INVALID_HOST;
    *count = boot_module_count();
    return KERN_SUCCESS;
}

/*
 * host_boot_module_info (5002): module `index`'s command line and size.
 * Returns: KERN_SUCCESS; KERN_INVALID_HOST; KERN_INVALID_ARGUMENT (index
 *     out of range).
 */
kern_return_t
S_host_boot_module_info(host_priv_t host_priv, natural_t index, boot_module_cmdline_t cmdline,
                        vm_size_t *size)
{
    const char *line;
    size_t bytes;
    kern_return_t kr;

    if (host_priv == NULL)
        return KERN_INVALID_HOST;
    kr = boot_module_info(index, &line, &bytes);
    if (kr != KERN_SUCCESS)
        return kr;
    strlcpy(cmdline, line, sizeof(boot_module_cmdline_t));
    *size = bytes;
    return KERN_SUCCESS;
}

/*
 * host_boot_module_task_create (5003): module `index` as a new suspended
 * task (boot_module.h).  The outtran turns the task reference in
 * *child_task into a send right to its port.
 * Conditions: no locks held.
 * Returns: KERN_SUCCESS; KERN_INVALID_HOST; KERN_INVALID_ARGUMENT (bad
 *     index: nothing created; or not a loadable executable: the task made
 *     for it is destroyed); KERN_RESOURCE_SHORTAGE.
 */
kern_return_t
S_host_boot_module_task_create(host_priv_t host_priv, natural_t index, task_t *child_task)
{
    struct task *task;
    kern_return_t kr;

    if (host_priv == NULL)
        return KERN_INVALID_HOST;
    kr = boot_module_task_alloc(index, &task);
    if (kr != KERN_SUCCESS)
        return kr;
    kr = boot_module_task_load(task, index, NULL);
    if (kr != KERN_SUCCESS) {
        task_deallocate(task); // no thread: this was the only reference
        return kr;
    }
    *child_task = task;
    return KERN_SUCCESS;
}

// Elements in use in the zone called `name` (0 if there is none).
static natural_t
zone_count(const char *name)
{
    struct zone_stats st;

    return zone_find_stats(name, &st) ? (natural_t)st.zs_in_use : 0;
}

/*
 * host_ipc_stats (5004): live IPC objects, tasks and threads (the task and
 * thread counts are the task and thread zones' elements in use, so they
 * include kernel threads and objects kept only by a leaked reference).
 * Returns: KERN_SUCCESS; KERN_INVALID_HOST.
 */
kern_return_t
S_host_ipc_stats(host_t host, host_ipc_stats_t *stats)
{
    struct ipc_stats st;

    if (host == NULL)
        return KERN_INVALID_HOST;
    st = ipc_stats_get();
    *stats = (host_ipc_stats_t){
        .his_ports = (natural_t)st.st_ports,
        .his_psets = (natural_t)st.st_psets,
        .his_entries = (natural_t)st.st_entries,
        .his_kmsgs = (natural_t)st.st_kmsgs,
        .his_tasks = zone_count("task"),
        .his_threads = zone_count("thread"),
        .his_spaces = (natural_t)st.st_spaces,
        .his_paged = (natural_t)memory_object_default_count(),
    };
    return KERN_SUCCESS;
}

/*
 * host_power_off (5005): ends the machine with `status` (machine_exit).
 * Returns: only KERN_INVALID_HOST; on success it does not return.
 */
kern_return_t
S_host_power_off(host_priv_t host_priv, int status)
{
    if (host_priv == NULL)
        return KERN_INVALID_HOST;
    kprintf("Quay: powering off, status %d\n", status);
    machine_exit(status);
}

void
quay_server_init(void)
{
    if (ipc_kobject_register_server(quay_server, QUAY_ID_BASE, QUAY_ID_COUNT,
                                    quay_max_reply_size) != KERN_SUCCESS)
        panic("quay_server_init: ids %d..%d are taken", QUAY_ID_BASE,
              QUAY_ID_BASE + QUAY_ID_COUNT - 1);
}

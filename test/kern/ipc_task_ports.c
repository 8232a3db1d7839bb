// SPDX-License-Identifier: MIT
//
// Task and thread ports over a task's whole life: a task (with a user
// thread that never runs) is created, send rights to its port and its
// thread's port are given to another space, the task is terminated, the
// holders see dead names and deallocate them -- and then every counter is
// back at its baseline: ports, names, messages, spaces, and the task and
// thread zones.  The bootstrap task does exactly this for each test
// program, so a leak here fails every user test's leak check.

#include "ipc_test.h"
#include <ipc/ipc_tt.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/sched_prim.h>
#include <kern/zalloc.h>

#define SETTLE_TRIES 100 /* x 10 ms: the reaper frees threads asynchronously */

static size_t
zone_in_use(const char *name)
{
    struct zone_stats st;

    return zone_find_stats(name, &st) ? st.zs_in_use : (size_t)-1;
}

// Waits until the task and thread zones are back to (tasks, threads).
static bool
zones_settle(size_t tasks, size_t threads)
{
    for (int i = 0; i < SETTLE_TRIES; i++) {
        if (zone_in_use("task") == tasks && zone_in_use("thread") == threads)
            return true;
        thread_sleep_ns(10 * 1000 * 1000);
    }
    return false;
}

// Names a send right (consumed) in `space`; MACH_PORT_NULL on failure.
static mach_port_name_t
give_send(struct ipc_space *space, struct ipc_port *port)
{
    mach_port_name_t name = MACH_PORT_NULL;

    ipc_space_lock(space);
    if (ipc_right_copyout(space, port, MACH_MSG_TYPE_PORT_SEND, &name) != KERN_SUCCESS) {
        ipc_space_unlock(space);
        ipc_port_release_send(port);
        return MACH_PORT_NULL;
    }
    ipc_space_unlock(space);
    return name;
}

// One task with one (suspended, never started) user thread, and send
// rights to both ports named in `holder`.
struct tt {
    struct task *task;
    struct thread *thread;
    mach_port_name_t task_name, thread_name;
};

static bool
tt_make(struct tt *t, struct ipc_space *holder)
{
    if (task_create_internal(NULL, "ipc-tt", &t->task) != KERN_SUCCESS)
        return false;
    if (thread_create_internal(t->task, "ipc-tt", &t->thread) != KERN_SUCCESS) {
        task_deallocate(t->task);
        return false;
    }
    task_reference(t->task);     /* consumed by the outtran */
    thread_reference(t->thread); /* likewise */
    t->task_name = give_send(holder, convert_task_to_port(t->task));
    t->thread_name = give_send(holder, convert_thread_to_port(t->thread));
    return t->task_name != MACH_PORT_NULL && t->thread_name != MACH_PORT_NULL;
}

KTEST(ipc, task_and_thread_ports_leak_nothing_after_terminate_and_deallocate)
{
    IPC_TEST_BEGIN();
    size_t tasks = zone_in_use("task"), threads = zone_in_use("thread");
    struct ipc_space *holder = ipc_space_create();
    struct tt t[3];

    for (int i = 0; i < 3; i++)
        KT_ASSERT(tt_make(&t[i], holder));
    for (int i = 0; i < 3; i++) {
        KT_EQ(ttype(holder, t[i].task_name), MACH_PORT_TYPE_SEND);
        KT_EQ(task_terminate_internal(t[i].task, i), KERN_SUCCESS);
        /* The task's port died at once: the holder's name is dead. */
        KT_EQ(ttype(holder, t[i].task_name), MACH_PORT_TYPE_DEAD_NAME);
        KT_EQ(thread_wait_terminated(t[i].thread), THREAD_AWAKENED);
        KT_EQ(ttype(holder, t[i].thread_name), MACH_PORT_TYPE_DEAD_NAME);
        KT_EQ(mach_port_deallocate(holder, t[i].task_name), KERN_SUCCESS);
        KT_EQ(mach_port_deallocate(holder, t[i].thread_name), KERN_SUCCESS);
        thread_deallocate(t[i].thread);
        task_deallocate(t[i].task);
    }
    KT_ASSERT(zones_settle(tasks, threads));
    tspace_done(holder);
    IPC_TEST_END();
}

KTEST(ipc, thread_terminated_alone_leaves_its_task_port_alive)
{
    IPC_TEST_BEGIN();
    size_t tasks = zone_in_use("task"), threads = zone_in_use("thread");
    struct ipc_space *holder = ipc_space_create();
    struct tt t;

    KT_ASSERT(tt_make(&t, holder));
    KT_EQ(thread_terminate(t.thread), KERN_SUCCESS);
    KT_EQ(thread_wait_terminated(t.thread), THREAD_AWAKENED);
    KT_EQ(ttype(holder, t.thread_name), MACH_PORT_TYPE_DEAD_NAME);
    KT_EQ(ttype(holder, t.task_name), MACH_PORT_TYPE_SEND);
    KT_EQ(mach_port_deallocate(holder, t.thread_name), KERN_SUCCESS);
    thread_deallocate(t.thread);
    /* The holder drops its send right before the task ends this time. */
    KT_EQ(mach_port_deallocate(holder, t.task_name), KERN_SUCCESS);
    KT_EQ(task_terminate_internal(t.task, 0), KERN_SUCCESS);
    task_deallocate(t.task);
    KT_ASSERT(zones_settle(tasks, threads));
    tspace_done(holder);
    IPC_TEST_END();
}

KTEST(ipc, task_port_dies_when_the_last_reference_ends_an_unterminated_task)
{
    IPC_TEST_BEGIN();
    size_t tasks = zone_in_use("task");
    struct ipc_space *holder = ipc_space_create();
    struct task *task;
    mach_port_name_t name;

    KT_EQ(task_create_internal(NULL, "ipc-tt", &task), KERN_SUCCESS);
    task_reference(task);
    name = give_send(holder, convert_task_to_port(task));
    KT_ASSERT(name != MACH_PORT_NULL);
    task_deallocate(task); /* never terminated, no threads: this ends it */
    KT_EQ(ttype(holder, name), MACH_PORT_TYPE_DEAD_NAME);
    KT_EQ(mach_port_deallocate(holder, name), KERN_SUCCESS);
    KT_EQ(zone_in_use("task"), tasks);
    tspace_done(holder);
    IPC_TEST_END();
}

/* SPDX-License-Identifier: MIT */
/*
 * A child task that runs a function of this program, as a fork without
 * exec would: task_create(inherit_memory = TRUE) copies our address space,
 * and one thread starts at the function on a stack of its own, with %fs at
 * (the child's copy of) our first thread's TCB.  The child's port space is
 * empty: the parent inserts what it needs under the names it uses itself
 * (mach_port_insert_right) before ut_child_resume.  The child's first call
 * must be ut_child_enter(); it reports with its exit status.
 *
 *   struct ut_child c;
 *   ut_child_start(&c, child_main);   // created, suspended
 *   ...insert rights into c.task...
 *   ut_child_resume(&c);
 *   UT_EQ(ut_child_join(&c), 0);      // its exit status; names dropped
 *
 * Create it while this task has one thread, so that the copy of our
 * memory is consistent.  A thread of ours is waiting in task_wait before
 * the child runs: a task that has ended has no port left to wait on.
 */
#ifndef UT_CHILD_H
#define UT_CHILD_H

#include "ut_ports.h"
#include <mach/thread_status.h>
#include <quay/tcb.h>
#include <quay/threads.h>

#define UT_CHILD_STACK (64 * 1024)

struct ut_child {
    task_t task;
    thread_t thread;
    quay_thread_t waiter;
    volatile thread_t waiter_port;
    volatile kern_return_t wait_kr;
    volatile int status;
};

static char ut_child_stack[UT_CHILD_STACK] __attribute__((aligned(16)));

/* First thing in the child: the TCB and mach_task_self_ are copies of
 * ours and name nothing in the child's space. */
static inline void
ut_child_enter(void)
{
    quay_tcb()->tcb_reply_port = MACH_PORT_NULL;
    mach_task_self_ = task_self_trap();
}

static void *
ut_child_waiter(void *arg)
{
    struct ut_child *c = arg;
    int status = -1;

    c->waiter_port = mach_thread_self();
    c->wait_kr = task_wait(c->task, &status);
    c->status = status;
    return NULL;
}

static inline void
ut_child_start(struct ut_child *c, void (*fn)(uint64_t))
{
    x86_thread_state64_t st;
    mach_msg_type_number_t count = x86_THREAD_STATE64_COUNT;

    *c = (struct ut_child){.wait_kr = -1, .status = -1};
    fflush(stdout); /* nothing buffered may be printed twice */
    UT_KR(task_create(mach_task_self(), TRUE, &c->task), KERN_SUCCESS);
    UT_KR(thread_create(c->task, &c->thread), KERN_SUCCESS);
    UT_KR(thread_get_state(c->thread, x86_THREAD_STATE64, (thread_state_t)&st, &count),
          KERN_SUCCESS);
    st.rip = (uint64_t)(uintptr_t)fn;
    st.rsp = (uint64_t)(uintptr_t)(ut_child_stack + sizeof(ut_child_stack)) - 8;
    st.fs_base = (uint64_t)(uintptr_t)quay_tcb();
    st.cs = UT_USER_CS;
    st.rflags = 0x202;
    UT_KR(thread_set_state(c->thread, x86_THREAD_STATE64, (thread_state_t)&st,
                           x86_THREAD_STATE64_COUNT),
          KERN_SUCCESS);
}

static inline void
ut_child_resume(struct ut_child *c)
{
    UT_KR(quay_thread_create(ut_child_waiter, c, &c->waiter), KERN_SUCCESS);
    while (c->waiter_port == MACH_PORT_NULL)
        (void)swtch();
    ut_wait_blocked(c->waiter_port);
    UT_KR(thread_resume(c->thread), KERN_SUCCESS);
}

/* Waits for the child's end; returns its exit status.  Its task and
 * thread names (dead now) and the waiter's are dropped. */
static inline int
ut_child_join(struct ut_child *c)
{
    mach_port_t self = mach_task_self();

    UT_KR(quay_thread_join(c->waiter, NULL), KERN_SUCCESS);
    UT_EQ(c->wait_kr, KERN_SUCCESS);
    UT_EQ(ut_type(c->task), MACH_PORT_TYPE_DEAD_NAME);
    UT_EQ(ut_type(c->thread), MACH_PORT_TYPE_DEAD_NAME);
    UT_KR(mach_port_deallocate(self, c->task), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(self, c->thread), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(self, c->waiter_port), KERN_SUCCESS);
    return c->status;
}

#endif

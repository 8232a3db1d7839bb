/* SPDX-License-Identifier: MIT */
/*
 * task_wait blocks until a task ends and returns its exit status: a child
 * task whose one thread calls quay_task_exit(42) reports 42 to a thread of
 * ours already waiting in task_wait.  The child's task and thread ports are
 * dead afterwards and nothing of it is left in the kernel's counts.
 *
 * The child runs our own code: it is made with task_create(inherit_memory
 * = TRUE), so its address space is a copy of ours (text, data and the
 * stack below).  This needs memory inheritance (the VM issue); the test
 * says so plainly if the child's address space is empty.
 */
#include "ut_ports.h"
#include <quay/threads.h>

static char child_stack[16384] __attribute__((aligned(16)));

/* Runs in the child task: only a trap, no libc. */
static __attribute__((noreturn)) void
child_main(uint64_t status)
{
    quay_task_exit((int)status);
    ut_park();
}

static task_t child;
static volatile thread_t waiter_port;
static volatile kern_return_t wait_kr = -1;
static volatile int wait_status = -1;

static void *
waiter(void *arg)
{
    int status = -1;

    (void)arg;
    waiter_port = mach_thread_self();
    wait_kr = task_wait(child, &status);
    wait_status = status;
    return NULL;
}

int
main(void)
{
    mach_port_t self = mach_task_self();
    x86_thread_state64_t st;
    mach_msg_type_number_t count = x86_THREAD_STATE64_COUNT;
    vm_address_t probe;
    thread_t thread;
    quay_thread_t w;
    kern_return_t kr;

    ut_stats_begin();
    UT_KR(task_create(self, TRUE, &child), KERN_SUCCESS);

    /* The page holding child_main must already be mapped in the child. */
    probe = (vm_address_t)(uintptr_t)child_main & ~(vm_address_t)4095;
    kr = vm_allocate(child, &probe, 4096, FALSE);
    if (kr == KERN_SUCCESS)
        UT_FAIL("task_create(inherit_memory=TRUE) gave an empty address space: "
                "memory inheritance (VM issue) is missing");
    UT_EQ(kr, KERN_NO_SPACE);

    UT_KR(thread_create(child, &thread), KERN_SUCCESS);
    UT_KR(thread_get_state(thread, x86_THREAD_STATE64, (thread_state_t)&st, &count), KERN_SUCCESS);
    st.rip = (uint64_t)(uintptr_t)child_main;
    st.rsp = (uint64_t)(uintptr_t)(child_stack + sizeof(child_stack)) - 8;
    st.rdi = 42;
    st.cs = UT_USER_CS;
    st.rflags = 0x202;
    UT_KR(
        thread_set_state(thread, x86_THREAD_STATE64, (thread_state_t)&st, x86_THREAD_STATE64_COUNT),
        KERN_SUCCESS);

    /* A thread of ours waits first; only then may the child run. */
    UT_KR(quay_thread_create(waiter, NULL, &w), KERN_SUCCESS);
    while (waiter_port == MACH_PORT_NULL)
        (void)swtch();
    ut_wait_blocked(waiter_port);
    UT_EQ(wait_kr, -1);

    UT_KR(thread_resume(thread), KERN_SUCCESS);
    UT_KR(quay_thread_join(w, NULL), KERN_SUCCESS);
    UT_EQ(wait_kr, KERN_SUCCESS);
    UT_EQ(wait_status, 42);

    /* The child is gone. */
    UT_EQ(ut_type(child), MACH_PORT_TYPE_DEAD_NAME);
    UT_EQ(ut_type(thread), MACH_PORT_TYPE_DEAD_NAME);
    UT_KR(task_wait(child, (int[]){0}), MACH_SEND_INVALID_DEST);

    UT_KR(mach_port_deallocate(self, child), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(self, thread), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(self, waiter_port), KERN_SUCCESS);
    ut_stats_settle_baseline();
    return ut_pass();
}

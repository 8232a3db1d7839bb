/* SPDX-License-Identifier: MIT */
/*
 * task_create(inherit_memory = TRUE) builds the child's address space from
 * ours by each region's inheritance: a COPY region (the default) is the
 * child's own copy as it was at task_create, so neither side sees the
 * other's later writes; a SHARE region (vm_inherit) is one memory both see;
 * a NONE region is not mapped in the child at all.  The child runs our own
 * code on a stack in a COPY region and reports through its exit status
 * (task_wait) which of its checks failed, one bit each.
 */
#include "ut_ports.h"

#define PAGE 4096

static char child_stack[16384] __attribute__((aligned(16)));
static volatile uint64_t *copy_region, *share_region;

enum {
    BAD_COPY_AT_CREATE = 1,    /* child saw the wrong value from before task_create */
    BAD_COPY_PARENT_LATER = 2, /* child saw a write the parent made afterwards */
    BAD_SHARE_PARENT = 4,      /* child missed the parent's write to SHARE memory */
    BAD_COPY_OWN_WRITE = 8,    /* child's own write did not stick */
};

/* Runs in the child task: memory accesses and one trap, no libc. */
static __attribute__((noreturn)) void
child_main(uint64_t unused)
{
    int bad = 0;

    (void)unused;
    if (copy_region[0] != 1)
        bad |= BAD_COPY_AT_CREATE;
    if (copy_region[1] != 0)
        bad |= BAD_COPY_PARENT_LATER;
    if (share_region[2] != 22)
        bad |= BAD_SHARE_PARENT;
    copy_region[0] = 100;
    share_region[1] = 200;
    if (copy_region[0] != 100)
        bad |= BAD_COPY_OWN_WRITE;
    quay_task_exit(bad);
    ut_park();
}

/* Starts a thread of child at child_main on (the child's copy of)
 * child_stack. */
static thread_t
start_child_thread(task_t child)
{
    x86_thread_state64_t st;
    mach_msg_type_number_t count = x86_THREAD_STATE64_COUNT;
    thread_t thread;

    UT_KR(thread_create(child, &thread), KERN_SUCCESS);
    UT_KR(thread_get_state(thread, x86_THREAD_STATE64, (thread_state_t)&st, &count), KERN_SUCCESS);
    st.rip = (uint64_t)(uintptr_t)child_main;
    st.rsp = (uint64_t)(uintptr_t)(child_stack + sizeof(child_stack)) - 8;
    st.cs = UT_USER_CS;
    st.rflags = 0x202;
    UT_KR(
        thread_set_state(thread, x86_THREAD_STATE64, (thread_state_t)&st, x86_THREAD_STATE64_COUNT),
        KERN_SUCCESS);
    return thread;
}

int
main(void)
{
    mach_port_t self = mach_task_self();
    vm_address_t copy = 0, share = 0, none = 0, probe;
    task_t child;
    int status = -1;

    ut_stats_begin();
    UT_KR(vm_allocate(self, &copy, PAGE, TRUE), KERN_SUCCESS);
    UT_KR(vm_allocate(self, &share, PAGE, TRUE), KERN_SUCCESS);
    UT_KR(vm_allocate(self, &none, PAGE, TRUE), KERN_SUCCESS);
    UT_KR(vm_inherit(self, share, PAGE, VM_INHERIT_SHARE), KERN_SUCCESS);
    UT_KR(vm_inherit(self, none, PAGE, VM_INHERIT_NONE), KERN_SUCCESS);
    copy_region = (volatile uint64_t *)copy;
    share_region = (volatile uint64_t *)share;
    copy_region[0] = 1;
    ((volatile uint64_t *)none)[0] = 3;

    UT_KR(task_create(self, TRUE, &child), KERN_SUCCESS);
    copy_region[1] = 11;  /* after the copy: the child must not see it */
    share_region[2] = 22; /* shared: the child must see it */

    /* COPY and SHARE regions are mapped in the child, the NONE one is not. */
    probe = copy;
    UT_KR(vm_allocate(child, &probe, PAGE, FALSE), KERN_NO_SPACE);
    probe = share;
    UT_KR(vm_allocate(child, &probe, PAGE, FALSE), KERN_NO_SPACE);
    probe = none;
    UT_KR(vm_allocate(child, &probe, PAGE, FALSE), KERN_SUCCESS);
    UT_KR(vm_deallocate(child, probe, PAGE), KERN_SUCCESS);

    thread_t thread = start_child_thread(child);
    UT_KR(thread_resume(thread), KERN_SUCCESS);
    UT_KR(task_wait(child, &status), KERN_SUCCESS);
    UT_EQ(status, 0);

    UT_EQ(copy_region[0], 1);    /* the child's write stayed in the child */
    UT_EQ(copy_region[1], 11);   /* ours is still ours */
    UT_EQ(share_region[1], 200); /* the child's write to shared memory */
    UT_EQ(((volatile uint64_t *)none)[0], 3);

    UT_KR(mach_port_deallocate(self, child), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(self, thread), KERN_SUCCESS);
    UT_KR(vm_deallocate(self, copy, PAGE), KERN_SUCCESS);
    UT_KR(vm_deallocate(self, share, PAGE), KERN_SUCCESS);
    UT_KR(vm_deallocate(self, none, PAGE), KERN_SUCCESS);
    ut_stats_settle_baseline();
    return ut_pass();
}

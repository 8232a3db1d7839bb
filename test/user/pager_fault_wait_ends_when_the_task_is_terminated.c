/* SPDX-License-Identifier: MIT */
/*
 * A pager that never answers cannot hang the kernel, and faults on one
 * page share one request.  We map a memory object (a port of ours) into a
 * child task and start two threads there at its first page: both fault
 * on the instruction fetch.  The kernel sends memory_object_init and one
 * memory_object_data_request (the second fault waits on the first one's
 * busy page: no second request comes), and both threads wait in the
 * kernel.  task_terminate(child) ends the waits: the threads die, the
 * child's map goes, and with its last mapping the object is terminated
 * (memory_object_terminate reaches us).  Nothing leaks.
 */
#define UT_PAGER_DEFINES_INIT
#define UT_PAGER_DEFINES_TERMINATE
#include "ut_pager.h"

#define PAGE  4096
#define WHERE 0x400000 /* the mapping in the child's empty address space */

static kern_return_t
ut_exc_handle(const struct ut_exc_seen *e)
{
    (void)e;
    UT_FAIL("no exception is expected");
}

/* A thread in `child` that starts at WHERE. */
static thread_t
start_thread_at(task_t child)
{
    x86_thread_state64_t st;
    mach_msg_type_number_t count = x86_THREAD_STATE64_COUNT;
    thread_t th;

    UT_KR(thread_create(child, &th), KERN_SUCCESS);
    UT_KR(thread_get_state(th, x86_THREAD_STATE64, (thread_state_t)&st, &count), KERN_SUCCESS);
    st.rip = WHERE;
    st.rsp = WHERE + PAGE;
    st.cs = UT_USER_CS;
    st.rflags = 0x202;
    UT_KR(thread_set_state(th, x86_THREAD_STATE64, (thread_state_t)&st, count), KERN_SUCCESS);
    UT_KR(thread_resume(th), KERN_SUCCESS);
    return th;
}

/* The pager: records what came and answers nothing. */
kern_return_t
memory_object_init(mach_port_t o, mach_port_t c, vm_size_t page_size)
{
    (void)o;
    UT_EQ(page_size, PAGE);
    return mach_port_deallocate(mach_task_self(), c);
}

kern_return_t
memory_object_terminate(mach_port_t o, mach_port_t c)
{
    (void)o;
    if (c != MACH_PORT_DEAD) /* the control port dies right after sending */
        UT_KR(mach_port_deallocate(mach_task_self(), c), KERN_SUCCESS);
    return KERN_SUCCESS;
}

kern_return_t
memory_object_data_request(mach_port_t o, mach_port_t c, vm_offset_t offset, vm_size_t length,
                           vm_prot_t access)
{
    (void)o;
    UT_EQ(offset, 0);
    UT_EQ(length, PAGE);
    UT_ASSERT((access & VM_PROT_EXECUTE) != 0);
    return mach_port_deallocate(mach_task_self(), c);
}

/* Serves one kernel message on mo within `ms`; returns its id, or 0 on a
 * timeout. */
static mach_msg_id_t
receive_id(mach_port_t mo, mach_msg_timeout_t ms)
{
    union {
        mach_msg_header_t h;
        char space[512];
    } req, rep;
    mach_msg_return_t mr =
        mach_msg(&req.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(req), mo, ms, MACH_PORT_NULL);

    if (mr == MACH_RCV_TIMED_OUT)
        return 0;
    UT_EQ(mr, MACH_MSG_SUCCESS);
    UT_ASSERT(memory_object_server(&req.h, &rep.h));
    return req.h.msgh_id;
}

int
main(void)
{
    vm_address_t addr = WHERE;
    mach_port_t mo;
    task_t child;
    thread_t th[2];

    ut_stats_begin();
    mo = ut_port_send();
    child = ut_child_task();
    UT_KR(vm_map(child, &addr, PAGE, 0, FALSE, mo, 0, FALSE, VM_PROT_READ | VM_PROT_EXECUTE,
                 VM_PROT_READ | VM_PROT_EXECUTE, VM_INHERIT_NONE),
          KERN_SUCCESS);
    UT_EQ(addr, WHERE);
    UT_EQ(receive_id(mo, 5000), 2200); /* memory_object_init */

    th[0] = start_thread_at(child);
    UT_EQ(receive_id(mo, 5000), 2203); /* memory_object_data_request */
    ut_wait_blocked(th[0]);
    th[1] = start_thread_at(child);
    ut_wait_blocked(th[1]);
    UT_EQ(receive_id(mo, 50), 0); /* the second fault waits for the same answer */

    UT_KR(task_terminate(child), KERN_SUCCESS);
    UT_EQ(receive_id(mo, 5000), 2201); /* memory_object_terminate */
    for (int i = 0; i < 1000 && (ut_type(th[0]) != MACH_PORT_TYPE_DEAD_NAME ||
                                 ut_type(th[1]) != MACH_PORT_TYPE_DEAD_NAME);
         i++)
        ut_sleep_ms(1);
    UT_EQ(ut_type(th[0]), MACH_PORT_TYPE_DEAD_NAME);
    UT_EQ(ut_type(th[1]), MACH_PORT_TYPE_DEAD_NAME);

    UT_KR(mach_port_deallocate(mach_task_self(), th[0]), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), th[1]), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), child), KERN_SUCCESS);
    UT_KR(mach_port_mod_refs(mach_task_self(), mo, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), mo), KERN_SUCCESS);
    ut_stats_settle_baseline();
    return ut_pass();
}

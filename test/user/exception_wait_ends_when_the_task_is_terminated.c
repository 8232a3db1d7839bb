/* SPDX-License-Identifier: MIT */
/*
 * A thread waiting for its exception handler can be terminated: a child
 * task's thread starts at an address where nothing is mapped, so its first
 * instruction fetch raises EXC_BAD_ACCESS (KERN_INVALID_ADDRESS, the
 * address) on the child's TASK_EXCEPTION_PORT, a port of ours.  We take the
 * request (exc_server builds the reply) and do not send the reply: the
 * thread keeps waiting, blocked in the kernel.  task_terminate(child) then
 * ends the waiting thread: its port and the child's die, and the reply
 * right we hold becomes a dead name (the kernel's reply port went with the
 * thread), so a late answer could reach nobody.
 */
#include "ut_exc.h"

#define NOWHERE 0x1000 /* the child's address space is empty */

static kern_return_t
ut_exc_handle(const struct ut_exc_seen *e)
{
    (void)e;
    return KERN_SUCCESS; /* the reply is built, and never sent */
}

/* A thread in `child` that starts at NOWHERE. */
static thread_t
start_lost_thread(task_t child)
{
    x86_thread_state64_t st;
    mach_msg_type_number_t count = x86_THREAD_STATE64_COUNT;
    thread_t th;

    UT_KR(thread_create(child, &th), KERN_SUCCESS);
    UT_KR(thread_get_state(th, x86_THREAD_STATE64, (thread_state_t)&st, &count), KERN_SUCCESS);
    st.rip = NOWHERE;
    st.rsp = NOWHERE + 0x1000;
    st.cs = UT_USER_CS;
    st.rflags = 0x202;
    UT_KR(thread_set_state(th, x86_THREAD_STATE64, (thread_state_t)&st, count), KERN_SUCCESS);
    UT_KR(thread_resume(th), KERN_SUCCESS);
    return th;
}

int
main(void)
{
    union {
        mach_msg_header_t h;
        char space[512];
    } req, rep;
    mach_port_t port, reply;
    task_t child;
    thread_t th;

    ut_stats_begin();
    port = ut_port_send();
    child = ut_child_task();
    UT_KR(task_set_special_port(child, TASK_EXCEPTION_PORT, port), KERN_SUCCESS);
    th = start_lost_thread(child);

    UT_KR(mach_msg(&req.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(req), port, 5000,
                   MACH_PORT_NULL),
          MACH_MSG_SUCCESS);
    UT_EQ(req.h.msgh_id, 2400);
    reply = req.h.msgh_remote_port;
    UT_EQ(ut_type(reply), MACH_PORT_TYPE_SEND_ONCE);
    UT_ASSERT(exc_server(&req.h, &rep.h));
    UT_EQ(((mig_reply_error_t *)&rep.h)->RetCode, KERN_SUCCESS);
    UT_EQ(rep.h.msgh_remote_port, reply);
    UT_EQ(ut_exc_count, 1);
    UT_EQ(ut_exc_seen[0].exc, EXC_BAD_ACCESS);
    UT_EQ(ut_exc_seen[0].code[0], KERN_INVALID_ADDRESS);
    UT_EQ(ut_exc_seen[0].code[1], NOWHERE);
    UT_EQ(ut_exc_seen[0].thread, th);
    UT_EQ(ut_exc_seen[0].task, child);
    ut_wait_blocked(th);

    UT_KR(task_terminate(child), KERN_SUCCESS);
    UT_EQ(ut_type(child), MACH_PORT_TYPE_DEAD_NAME);
    /* The thread ends on its own a moment later (the reaper frees it): its
     * port dies, and with it the kernel reply port our right names. */
    for (int i = 0; i < 1000 && (ut_type(th) != MACH_PORT_TYPE_DEAD_NAME ||
                                 ut_type(reply) != MACH_PORT_TYPE_DEAD_NAME);
         i++)
        ut_sleep_ms(1);
    UT_EQ(ut_type(th), MACH_PORT_TYPE_DEAD_NAME);
    UT_EQ(ut_type(reply), MACH_PORT_TYPE_DEAD_NAME);

    UT_KR(mach_port_deallocate(mach_task_self(), reply), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), th), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), child), KERN_SUCCESS);
    UT_KR(mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), port), KERN_SUCCESS);
    ut_stats_settle_baseline();
    return ut_pass();
}

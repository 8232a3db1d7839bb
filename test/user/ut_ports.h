/* SPDX-License-Identifier: MIT
 *
 * Helpers for the port, notification, task and thread tests in test/user/
 * (on top of utest.h).  Each helper checks its own calls with UT_KR, so a
 * test reads as the behaviour it checks.
 *
 *   (ut_port, ut_port_send, ut_refs, ut_status, ut_sleep_ms: utest.h)
 *   ut_type(), ut_type_in()     mach_port_type of self / of a task
 *   ut_send(), ut_rcv()         a header-only message; receive with timeout
 *   ut_notify_request()         arm a notification to a notify port
 *   ut_now_us()                 host_get_time in microseconds
 *   ut_child_task(), ut_child_end()  task_create / task_terminate
 *   ut_thread_state()           thread_basic_info of a thread
 *   ut_wait_blocked()           poll until a thread waits in the kernel
 *   ut_raw_thread_start()/_end()  a bare kernel thread in this task
 *   ut_stats_settle_baseline()  leak check that lets the reaper finish
 */
#ifndef UT_PORTS_H
#define UT_PORTS_H

#include "utest.h"

#include <stdint.h>

/* A large-enough receive buffer for any notification or small message. */
typedef union {
    mach_msg_header_t hdr;
    mach_dead_name_notification_t dead_name;
    mach_no_senders_notification_t no_senders;
    mach_port_destroyed_notification_t port_destroyed;
    mach_port_deleted_notification_t port_deleted;
    mach_send_once_notification_t send_once;
    char bytes[256];
} ut_msg_t;

static inline mach_port_type_t
ut_type_in(task_t task, mach_port_name_t name)
{
    mach_port_type_t type = 0;

    UT_KR(mach_port_type(task, name, &type), KERN_SUCCESS);
    return type;
}

static inline mach_port_type_t
ut_type(mach_port_name_t name)
{
    return ut_type_in(mach_task_self(), name);
}

/* Sends a header-only message with id ID to DEST (disposition DISP, e.g.
 * MACH_MSG_TYPE_MAKE_SEND for a receive right's name); returns the code. */
static inline mach_msg_return_t
ut_send(mach_port_name_t dest, mach_msg_type_name_t disp, mach_msg_id_t id)
{
    mach_msg_header_t h;

    memset(&h, 0, sizeof(h));
    h.msgh_bits = MACH_MSGH_BITS(disp, 0);
    h.msgh_size = sizeof(h);
    h.msgh_remote_port = dest;
    h.msgh_local_port = MACH_PORT_NULL;
    h.msgh_id = id;
    return mach_msg(&h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(h), 0, MACH_PORT_NULL, 0,
                    MACH_PORT_NULL);
}

/* Receives one message from PORT into M within TIMEOUT_MS (0: poll). */
static inline mach_msg_return_t
ut_rcv(mach_port_name_t port, ut_msg_t *m, mach_msg_timeout_t timeout_ms)
{
    memset(m, 0, sizeof(*m));
    return mach_msg(&m->hdr, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(*m), port, timeout_ms,
                    MACH_PORT_NULL);
}

/* Arms notification ID (with SYNC) on NAME in TASK, to a send-once right
 * made from the receive right NOTIFY; expects no previous request. */
static inline void
ut_notify_request(task_t task, mach_port_name_t name, mach_msg_id_t id, mach_port_mscount_t sync,
                  mach_port_name_t notify)
{
    mach_port_t previous = 0xdeadbeef;

    UT_KR(mach_port_request_notification(task, name, id, sync, notify, MACH_MSG_TYPE_MAKE_SEND_ONCE,
                                         &previous),
          KERN_SUCCESS);
    UT_EQ(previous, MACH_PORT_NULL);
}

/* Checks that a received notification has id ID and SIZE bytes and came
 * through a send-once right to NOTIFY with no reply port. */
static inline void
ut_expect_notification(const ut_msg_t *m, mach_port_name_t notify, mach_msg_id_t id,
                       mach_msg_size_t size)
{
    UT_EQ(m->hdr.msgh_id, id);
    UT_EQ(m->hdr.msgh_size, size);
    UT_EQ(m->hdr.msgh_local_port, notify);
    UT_EQ(m->hdr.msgh_remote_port, MACH_PORT_NULL);
    UT_EQ(MACH_MSGH_BITS_LOCAL(m->hdr.msgh_bits), MACH_MSG_TYPE_PORT_SEND_ONCE);
    UT_EQ(MACH_MSGH_BITS_REMOTE(m->hdr.msgh_bits), 0);
}

/* The host's clock in microseconds. */
static inline int64_t
ut_now_us(void)
{
    time_value_t t;
    host_t host = mach_host_self();

    UT_KR(host_get_time(host, &t), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), host), KERN_SUCCESS);
    return t.seconds * 1000000 + t.microseconds;
}

static inline struct thread_basic_info
ut_thread_state(thread_t thread)
{
    struct thread_basic_info info;
    mach_msg_type_number_t count = THREAD_BASIC_INFO_COUNT;

    memset(&info, 0, sizeof(info));
    UT_KR(thread_info(thread, THREAD_BASIC_INFO, (thread_info_t)&info, &count), KERN_SUCCESS);
    UT_EQ(count, THREAD_BASIC_INFO_COUNT);
    return info;
}

/* Waits (up to 5 s) until THREAD is blocked in an interruptible wait. */
static inline void
ut_wait_blocked(thread_t thread)
{
    for (int i = 0; i < 500; i++) {
        if (ut_thread_state(thread).run_state == TH_STATE_WAITING)
            return;
        ut_sleep_ms(10);
    }
    UT_FAIL("thread %#x never blocked", thread);
}

/* Waits (up to 5 s) until *WORD != OLD. */
static inline void
ut_wait_change(volatile uint32_t *word, uint32_t old)
{
    for (int i = 0; i < 500 && *word == old; i++) {
        kern_return_t kr = quay_wait(word, old, 10);
        UT_ASSERT(kr == KERN_SUCCESS || kr == KERN_OPERATION_TIMED_OUT);
    }
    UT_ASSERT(*word != old);
}

/*
 * A bare thread of this task made with thread_create, thread_set_state
 * (x86_THREAD_STATE64: rip = fn, rdi = arg, rsp on its own stack) and
 * optionally thread_resume.  It has no TCB, so FN may only use traps
 * (quay_wait/quay_wake, mach_msg_trap ...), never libc or MIG stubs, and
 * must never return.
 */
#define UT_RAW_STACK_SIZE (16 * 1024)
#define UT_USER_CS        0x2b /* the user 64-bit code selector (thread_status.h) */

struct ut_raw_thread {
    thread_t port;
    void *stack;
};

static inline void
ut_raw_thread_start(struct ut_raw_thread *t, void (*fn)(uint64_t), uint64_t arg, int resume)
{
    x86_thread_state64_t st;
    mach_msg_type_number_t count = x86_THREAD_STATE64_COUNT;
    uintptr_t top;

    t->stack = malloc(UT_RAW_STACK_SIZE);
    UT_ASSERT(t->stack != NULL);
    UT_KR(thread_create(mach_task_self(), &t->port), KERN_SUCCESS);
    UT_KR(thread_get_state(t->port, x86_THREAD_STATE64, (thread_state_t)&st, &count), KERN_SUCCESS);
    UT_EQ(count, x86_THREAD_STATE64_COUNT);
    top = ((uintptr_t)t->stack + UT_RAW_STACK_SIZE) & ~(uintptr_t)15;
    st.rip = (uint64_t)(uintptr_t)fn;
    st.rsp = top - 8; /* as if called: a return address slot below a 16-byte boundary */
    st.rbp = 0;
    st.rdi = arg;
    st.cs = UT_USER_CS;
    st.rflags = 0x202; /* IF */
    UT_KR(thread_set_state(t->port, x86_THREAD_STATE64, (thread_state_t)&st,
                           x86_THREAD_STATE64_COUNT),
          KERN_SUCCESS);
    if (resume)
        UT_KR(thread_resume(t->port), KERN_SUCCESS);
}

/* Terminates the thread (thread_terminate returns once it has stopped for
 * good), drops our right to its port and frees its stack. */
static inline void
ut_raw_thread_end(struct ut_raw_thread *t)
{
    UT_KR(thread_terminate(t->port), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), t->port), KERN_SUCCESS);
    free(t->stack);
    t->stack = NULL;
    t->port = MACH_PORT_NULL;
}

/* A raw thread's idle loop: parks for good. */
static inline __attribute__((noreturn)) void
ut_park(void)
{
    static volatile uint32_t never;

    for (;;)
        (void)quay_wait(&never, 0, 0);
}

/* A new empty task (no threads, no memory, no names). */
static inline task_t
ut_child_task(void)
{
    task_t child = MACH_PORT_NULL;

    UT_KR(task_create(mach_task_self(), FALSE, &child), KERN_SUCCESS);
    UT_ASSERT(MACH_PORT_VALID(child));
    return child;
}

/* Terminates CHILD and drops our right to its port (a dead name by then). */
static inline void
ut_child_end(task_t child)
{
    UT_KR(task_terminate(child), KERN_SUCCESS);
    UT_EQ(ut_type(child), MACH_PORT_TYPE_DEAD_NAME);
    UT_KR(mach_port_deallocate(mach_task_self(), child), KERN_SUCCESS);
}

/* Names in TASK's space (vm_deallocates the arrays). */
static inline mach_msg_type_number_t
ut_name_count(task_t task)
{
    mach_port_name_array_t names = NULL;
    mach_port_type_array_t types = NULL;
    mach_msg_type_number_t n = 0, nt = 0;

    UT_KR(mach_port_names(task, &names, &n, &types, &nt), KERN_SUCCESS);
    UT_EQ(nt, n);
    if (n != 0) {
        UT_KR(vm_deallocate(mach_task_self(), (vm_address_t)names, n * sizeof(*names)),
              KERN_SUCCESS);
        UT_KR(vm_deallocate(mach_task_self(), (vm_address_t)types, n * sizeof(*types)),
              KERN_SUCCESS);
    }
    return n;
}

/*
 * ut_stats_expect_baseline(), but first gives the kernel up to a second to
 * finish tearing down what the test ended (a terminated task or thread may
 * be freed by the reaper a little after the call returned).  A real leak
 * never settles and fails with utest.h's message.
 */
static inline void
ut_stats_settle_baseline(void)
{
    ut_stats_expect_baseline(); /* which waits up to 1 s itself */
}

#endif

/* SPDX-License-Identifier: MIT */
/*
 * thread_abort ends a bare thread's interruptible wait in the kernel: a
 * mach_msg_trap receive with MACH_RCV_INTERRUPT returns MACH_RCV_INTERRUPTED
 * (no message taken, the port left as it was) and a quay_wait returns
 * KERN_ABORTED.  (libmach's mach_msg and its restart are covered by
 * rcv_interrupt_returns_interrupted_on_thread_abort.)
 */
#include "ut_ports.h"

static volatile uint32_t done;
static volatile mach_msg_return_t result;
static mach_port_name_t rcv_port;

static __attribute__((noreturn)) void
receive_once(uint64_t unused)
{
    mach_msg_header_t h;

    (void)unused;
    result = mach_msg_trap(&h, MACH_RCV_MSG | MACH_RCV_INTERRUPT, 0, sizeof(h), rcv_port,
                           MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
    done = 1;
    (void)quay_wake(&done, 1);
    ut_park();
}

static volatile uint32_t word;

static __attribute__((noreturn)) void
wait_once(uint64_t unused)
{
    (void)unused;
    result = quay_wait(&word, 0, 0);
    done = 1;
    (void)quay_wake(&done, 1);
    ut_park();
}

int
main(void)
{
    struct ut_raw_thread t;
    ut_msg_t m;

    ut_stats_begin();
    rcv_port = ut_port_send();

    ut_raw_thread_start(&t, receive_once, 0, 1);
    ut_wait_blocked(t.port);
    UT_EQ(done, 0);
    UT_KR(thread_abort(t.port), KERN_SUCCESS);
    ut_wait_change(&done, 0);
    UT_EQ(result, MACH_RCV_INTERRUPTED);

    /* The port is untouched: a message sent now is still there for us. */
    UT_KR(ut_send(rcv_port, MACH_MSG_TYPE_COPY_SEND, 31), MACH_MSG_SUCCESS);
    UT_EQ(ut_status(rcv_port).mps_msgcount, 1);
    UT_KR(ut_rcv(rcv_port, &m, 0), MACH_MSG_SUCCESS);
    UT_EQ(m.hdr.msgh_id, 31);
    ut_raw_thread_end(&t);

    /* quay_wait: KERN_ABORTED. */
    done = 0;
    result = KERN_SUCCESS;
    ut_raw_thread_start(&t, wait_once, 0, 1);
    ut_wait_blocked(t.port);
    UT_KR(thread_abort(t.port), KERN_SUCCESS);
    ut_wait_change(&done, 0);
    UT_EQ(result, KERN_ABORTED);
    ut_raw_thread_end(&t);

    UT_KR(mach_port_destroy(mach_task_self(), rcv_port), KERN_SUCCESS);
    ut_stats_settle_baseline();
    return ut_pass();
}

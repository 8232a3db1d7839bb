/* SPDX-License-Identifier: MIT
 *
 * thread_abort interrupts a thread blocked in a receive: with
 * MACH_RCV_INTERRUPT the thread's mach_msg returns MACH_RCV_INTERRUPTED and
 * nothing is taken from the port; without it, libmach's mach_msg restarts
 * the receive, which then gets the message sent afterwards.
 */
#include "ut_msg.h"

static mach_port_name_t port;
static mach_port_t victim;
static volatile uint32_t ready, done;
static mach_msg_option_t rcv_option;
static mach_msg_return_t rcv_mr;
static mach_msg_id_t rcv_id;

static void *
receiver(void *arg)
{
    ut_msg_buf_t buf;

    (void)arg;
    victim = mach_thread_self();
    ut_flag_set(&ready, 1);
    rcv_mr = ut_recv_opt(port, &buf, sizeof(buf), rcv_option | MACH_RCV_TIMEOUT, 20000);
    rcv_id = rcv_mr == MACH_MSG_SUCCESS ? buf.h.msgh_id : -1;
    ut_flag_set(&done, 1);
    return NULL;
}

static quay_thread_t
start(mach_msg_option_t option)
{
    quay_thread_t t;

    rcv_option = option;
    ut_flag_set(&ready, 0);
    ut_flag_set(&done, 0);
    UT_KR(quay_thread_create(receiver, NULL, &t), KERN_SUCCESS);
    ut_flag_wait(&ready, 1);
    return t;
}

int
main(void)
{
    quay_thread_t t;
    ut_msg_buf_t buf;

    ut_stats_begin();
    port = ut_port_send();

    /* MACH_RCV_INTERRUPT: the receive ends. */
    t = start(MACH_RCV_INTERRUPT);
    ut_abort_until(victim, &done);
    UT_KR(quay_thread_join(t, NULL), KERN_SUCCESS);
    UT_KR(rcv_mr, MACH_RCV_INTERRUPTED);
    UT_KR(mach_port_deallocate(mach_task_self(), victim), KERN_SUCCESS);
    UT_EQ(ut_status(port).mps_msgcount, 0);

    /* The port works as before. */
    UT_KR(ut_send(port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 1), MACH_MSG_SUCCESS);
    ut_recv(port, &buf);
    UT_EQ(buf.h.msgh_id, 1);

    /* Without it: interrupted (at least once), restarted, then served. */
    t = start(0);
    for (int i = 0; i < 5; i++) {
        ut_sleep_ms(20);
        UT_KR(thread_abort(victim), KERN_SUCCESS);
    }
    UT_EQ(ut_flag_get(&done), 0);
    UT_KR(ut_send(port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 2), MACH_MSG_SUCCESS);
    ut_flag_wait(&done, 1);
    UT_KR(quay_thread_join(t, NULL), KERN_SUCCESS);
    UT_KR(rcv_mr, MACH_MSG_SUCCESS);
    UT_EQ(rcv_id, 2);
    UT_KR(mach_port_deallocate(mach_task_self(), victim), KERN_SUCCESS);

    ut_port_destroy(port);
    ut_stats_expect_baseline();
    return ut_pass();
}

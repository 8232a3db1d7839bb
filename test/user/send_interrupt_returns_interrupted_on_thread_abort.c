/* SPDX-License-Identifier: MIT
 *
 * thread_abort interrupts a thread blocked sending to a full queue: with
 * MACH_SEND_INTERRUPT its mach_msg returns MACH_SEND_INTERRUPTED, the
 * message is not queued, and the right it carried (a moved send right) is
 * back with the sender.  The destination, sent COPY_SEND, is pseudo-received
 * too (classic Mach): the sender gets the copied right back as one more
 * uref.
 */
#include "ut_msg.h"

static mach_port_name_t port, carried;
static mach_port_t victim;
static volatile uint32_t ready, done;
static mach_msg_return_t send_mr;

static void *
sender(void *arg)
{
    (void)arg;
    victim = mach_thread_self();
    ut_flag_set(&ready, 1);
    send_mr = ut_send_port_opt(port, carried, MACH_MSG_TYPE_MOVE_SEND, 2, MACH_SEND_INTERRUPT, 0);
    ut_flag_set(&done, 1);
    return NULL;
}

int
main(void)
{
    quay_thread_t t;
    ut_msg_buf_t buf;

    ut_stats_begin();
    port = ut_port_send();
    carried = ut_port_send();
    UT_KR(mach_port_set_qlimit(mach_task_self(), port, 1), KERN_SUCCESS);
    UT_KR(ut_send(port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 1), MACH_MSG_SUCCESS);

    UT_KR(quay_thread_create(sender, NULL, &t), KERN_SUCCESS);
    ut_flag_wait(&ready, 1);
    ut_abort_until(victim, &done);
    UT_KR(quay_thread_join(t, NULL), KERN_SUCCESS);
    UT_KR(send_mr, MACH_SEND_INTERRUPTED);
    UT_KR(mach_port_deallocate(mach_task_self(), victim), KERN_SUCCESS);

    UT_EQ(ut_status(port).mps_msgcount, 1);
    UT_EQ(ut_type(carried), MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND);
    UT_EQ(ut_refs(carried, MACH_PORT_RIGHT_SEND), 1);
    UT_EQ(ut_refs(port, MACH_PORT_RIGHT_SEND), 2);
    UT_KR(mach_port_deallocate(mach_task_self(), port), KERN_SUCCESS);

    ut_recv(port, &buf);
    UT_EQ(buf.h.msgh_id, 1);
    ut_expect_empty(port);

    ut_port_destroy(carried);
    ut_port_destroy(port);
    ut_stats_expect_baseline();
    return ut_pass();
}

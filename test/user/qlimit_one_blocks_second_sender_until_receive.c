/* SPDX-License-Identifier: MIT
 *
 * Queue limits block senders: with a queue limit of 1 and one message
 * queued, a second sender (another thread) waits inside mach_msg and its
 * message is not queued; one receive makes room, the waiting send completes
 * with MACH_MSG_SUCCESS, and messages arrive in the order sent.
 */
#include "ut_msg.h"

static mach_port_name_t port;
static volatile uint32_t started, finished;
static mach_msg_return_t sender_mr;

static void *
sender(void *arg)
{
    (void)arg;
    ut_flag_set(&started, 1);
    sender_mr = ut_send(port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 2);
    ut_flag_set(&finished, 1);
    return NULL;
}

int
main(void)
{
    quay_thread_t t;
    ut_msg_buf_t buf;

    ut_stats_begin();
    port = ut_port_send();
    UT_KR(mach_port_set_qlimit(mach_task_self(), port, 1), KERN_SUCCESS);
    UT_EQ(ut_status(port).mps_qlimit, 1);
    UT_KR(ut_send(port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 1), MACH_MSG_SUCCESS);

    UT_KR(quay_thread_create(sender, NULL, &t), KERN_SUCCESS);
    ut_flag_wait(&started, 1);
    ut_sleep_ms(100);
    UT_EQ(ut_flag_get(&finished), 0);
    UT_EQ(ut_status(port).mps_msgcount, 1);

    ut_recv(port, &buf);
    UT_EQ(buf.h.msgh_id, 1);
    ut_flag_wait(&finished, 1);
    UT_KR(quay_thread_join(t, NULL), KERN_SUCCESS);
    UT_KR(sender_mr, MACH_MSG_SUCCESS);
    UT_EQ(ut_status(port).mps_msgcount, 1);
    ut_recv(port, &buf);
    UT_EQ(buf.h.msgh_id, 2);
    ut_expect_empty(port);

    ut_port_destroy(port);
    ut_stats_expect_baseline();
    return ut_pass();
}

/* SPDX-License-Identifier: MIT
 *
 * Receive errors name their cause: MACH_RCV_INVALID_NAME for a name that
 * holds no receive right or port set (unknown, MACH_PORT_NULL, a send-only
 * right, a send-once right, a dead name); a thread blocked receiving on a
 * port or a port set that another thread destroys wakes with
 * MACH_RCV_PORT_DIED.
 */
#include "ut_msg.h"

static mach_port_name_t target;
static volatile uint32_t ready, done;
static mach_msg_return_t rcv_mr;

static void *
receiver(void *arg)
{
    ut_msg_buf_t buf;

    (void)arg;
    ut_flag_set(&ready, 1);
    rcv_mr = ut_recv_opt(target, &buf, sizeof(buf), MACH_RCV_TIMEOUT, 20000);
    ut_flag_set(&done, 1);
    return NULL;
}

/* Blocks a thread on NAME, destroys NAME, returns the thread's result. */
static mach_msg_return_t
destroy_under_receiver(mach_port_name_t name)
{
    quay_thread_t t;

    target = name;
    ut_flag_set(&ready, 0);
    ut_flag_set(&done, 0);
    UT_KR(quay_thread_create(receiver, NULL, &t), KERN_SUCCESS);
    ut_flag_wait(&ready, 1);
    ut_sleep_ms(50);
    UT_EQ(ut_flag_get(&done), 0);
    ut_port_destroy(name);
    ut_flag_wait(&done, 1);
    UT_KR(quay_thread_join(t, NULL), KERN_SUCCESS);
    return rcv_mr;
}

int
main(void)
{
    mach_port_name_t p, c, so, dead, set;
    ut_msg_buf_t buf;

    ut_stats_begin();
    c = ut_port_send();
    p = ut_port_send();
    so = ut_sonce(c);
    dead = ut_port_send();
    UT_KR(mach_port_mod_refs(mach_task_self(), dead, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
    /* P's receive right leaves in a message queued on C: P is send-only here. */
    UT_KR(ut_send_port(c, p, MACH_MSG_TYPE_MOVE_RECEIVE, 1), MACH_MSG_SUCCESS);

    UT_KR(ut_recv_opt(0x7654321, &buf, sizeof(buf), MACH_RCV_TIMEOUT, 0), MACH_RCV_INVALID_NAME);
    UT_KR(ut_recv_opt(MACH_PORT_NULL, &buf, sizeof(buf), MACH_RCV_TIMEOUT, 0),
          MACH_RCV_INVALID_NAME);
    UT_KR(ut_recv_opt(p, &buf, sizeof(buf), MACH_RCV_TIMEOUT, 0), MACH_RCV_INVALID_NAME);
    UT_KR(ut_recv_opt(so, &buf, sizeof(buf), MACH_RCV_TIMEOUT, 0), MACH_RCV_INVALID_NAME);
    UT_KR(ut_recv_opt(dead, &buf, sizeof(buf), MACH_RCV_TIMEOUT, 0), MACH_RCV_INVALID_NAME);
    UT_EQ(ut_status(c).mps_msgcount, 1);

    ut_port_destroy(c); /* destroys P with the message */
    UT_EQ(ut_type(p), MACH_PORT_TYPE_DEAD_NAME);
    UT_KR(mach_port_deallocate(mach_task_self(), p), KERN_SUCCESS);
    UT_EQ(ut_type(so), MACH_PORT_TYPE_DEAD_NAME);
    UT_KR(mach_port_deallocate(mach_task_self(), so), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), dead), KERN_SUCCESS);

    UT_KR(destroy_under_receiver(ut_port()), MACH_RCV_PORT_DIED);
    UT_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set), KERN_SUCCESS);
    UT_KR(destroy_under_receiver(set), MACH_RCV_PORT_DIED);

    ut_stats_expect_baseline();
    return ut_pass();
}

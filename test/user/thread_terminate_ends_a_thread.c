/* SPDX-License-Identifier: MIT */
/*
 * thread_terminate ends a thread wherever it is (here: blocked in a
 * receive): it never returns to user code, its port dies (our send right
 * becomes a dead name, calls on it fail with MACH_SEND_INVALID_DEST), it
 * leaves task_threads and the kernel's thread count.
 */
#include "ut_ports.h"

static volatile uint32_t returned;
static mach_port_name_t rcv_port;

static __attribute__((noreturn)) void
receive_forever(uint64_t unused)
{
    mach_msg_header_t h;

    (void)unused;
    (void)mach_msg_trap(&h, MACH_RCV_MSG, 0, sizeof(h), rcv_port, MACH_MSG_TIMEOUT_NONE,
                        MACH_PORT_NULL);
    returned = 1;
    ut_park();
}

int
main(void)
{
    mach_port_t self = mach_task_self();
    struct ut_raw_thread t;
    thread_array_t threads;
    mach_msg_type_number_t n;
    struct thread_basic_info info;

    ut_stats_begin();
    rcv_port = ut_port();
    ut_raw_thread_start(&t, receive_forever, 0, 1);
    ut_wait_blocked(t.port);

    UT_KR(thread_terminate(t.port), KERN_SUCCESS);
    UT_EQ(ut_type(t.port), MACH_PORT_TYPE_DEAD_NAME);
    n = THREAD_BASIC_INFO_COUNT;
    UT_KR(thread_info(t.port, THREAD_BASIC_INFO, (thread_info_t)&info, &n), MACH_SEND_INVALID_DEST);
    UT_KR(thread_resume(t.port), MACH_SEND_INVALID_DEST);
    UT_KR(thread_terminate(t.port), MACH_SEND_INVALID_DEST);

    UT_KR(task_threads(self, &threads, &n), KERN_SUCCESS);
    UT_EQ(n, 1); /* only us */
    UT_KR(mach_port_deallocate(self, threads[0]), KERN_SUCCESS);
    UT_KR(vm_deallocate(self, (vm_address_t)threads, n * sizeof(*threads)), KERN_SUCCESS);

    /* It never ran on: a message now is not taken by it. */
    UT_KR(mach_port_insert_right(self, rcv_port, rcv_port, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
    UT_KR(ut_send(rcv_port, MACH_MSG_TYPE_MOVE_SEND, 1), MACH_MSG_SUCCESS);
    ut_sleep_ms(20);
    UT_EQ(returned, 0);
    UT_EQ(ut_status(rcv_port).mps_msgcount, 1);

    UT_KR(mach_port_deallocate(self, t.port), KERN_SUCCESS);
    free(t.stack);
    UT_KR(mach_port_destroy(self, rcv_port), KERN_SUCCESS);
    ut_stats_settle_baseline();
    return ut_pass();
}

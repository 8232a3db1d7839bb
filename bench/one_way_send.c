/* SPDX-License-Identifier: MIT
 *
 * One-way send: mach_msg(SEND) of a simple 24-byte message onto the queue
 * of a port of this task with nobody waiting.  Only the send is timed;
 * each message is received (untimed) before the next send, so the queue
 * never fills.  The fast path plays no part (it needs SEND|RCV and a
 * waiting receiver): this is the slow path's queueing cost either way.
 */
#include "bench.h"

#define ITERATIONS 20000

typedef struct {
    mach_msg_header_t h;
} null_msg_t;

typedef union {
    null_msg_t m;
    char bytes[256];
} null_buf_t;

static void
send_one(mach_port_t port)
{
    null_msg_t m = {.h = {.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0),
                          .msgh_size = sizeof(m),
                          .msgh_remote_port = port,
                          .msgh_id = 1}};

    bench_check("send",
                mach_msg(&m.h, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL));
}

static void
receive_one(mach_port_t port)
{
    null_buf_t u;

    bench_check("receive", mach_msg(&u.m.h, MACH_RCV_MSG, 0, sizeof(u), port, 0, MACH_PORT_NULL));
}

int
main(void)
{
    mach_port_t self = mach_task_self(), port;
    uint64_t total = 0, t0;

    bench_check("allocate", mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &port));
    for (int i = 0; i < BENCH_WARMUP; i++) {
        send_one(port);
        receive_one(port);
    }
    for (int i = 0; i < ITERATIONS; i++) {
        t0 = bench_rdtsc();
        send_one(port);
        total += bench_rdtsc() - t0;
        receive_one(port);
    }
    bench_report("one_way_send", ITERATIONS, total);
    (void)mach_port_mod_refs(self, port, MACH_PORT_RIGHT_RECEIVE, -1);
    return 0;
}

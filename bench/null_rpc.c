/* SPDX-License-Identifier: MIT
 *
 * Null RPC round trip: the client's mach_msg(SEND|RCV) of an empty request
 * with a MAKE_SEND_ONCE reply right, answered by a server thread with
 * mach_msg(SEND|RCV): its reply, then its wait for the next request.  The
 * classic mig client / mach_msg_server pattern, measured from the client.
 *
 * The server is a second thread of this task, not another task: boot
 * modules cannot exchange ports yet (bootstrap gives each task its own
 * bootstrap port and no name service), and task_create gives an empty
 * task.  The kernel path is the same across tasks except for the address
 * space switch (CR3), which a same-task switch skips.  Hence the name
 * null_rpc_same_task.
 */
#include <quay/threads.h>

#include "bench.h"

#define ITERATIONS 20000
#define STOP_ID    999

typedef struct {
    mach_msg_header_t h;
} null_msg_t;

typedef union {
    null_msg_t m;
    char bytes[256];
} null_buf_t;

static mach_port_t service;

static void *
server(void *arg)
{
    null_buf_t u;
    mach_msg_option_t option = MACH_RCV_MSG;
    mach_msg_size_t send_size = 0;

    (void)arg;
    for (;;) {
        if (mach_msg(&u.m.h, option, send_size, sizeof(u), service, 0, MACH_PORT_NULL) !=
            MACH_MSG_SUCCESS)
            return (void *)1;
        if (u.m.h.msgh_id == STOP_ID)
            return NULL;
        u.m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
        u.m.h.msgh_local_port = MACH_PORT_NULL;
        u.m.h.msgh_size = sizeof(u.m);
        u.m.h.msgh_id += 100;
        option = MACH_SEND_MSG | MACH_RCV_MSG;
        send_size = sizeof(u.m);
    }
}

// One round trip from the client.
static void
call(mach_port_t reply, mach_msg_id_t id)
{
    null_buf_t u;

    u.m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
    u.m.h.msgh_size = sizeof(u.m);
    u.m.h.msgh_remote_port = service;
    u.m.h.msgh_local_port = reply;
    u.m.h.msgh_voucher_port = MACH_PORT_NULL;
    u.m.h.msgh_id = id;
    bench_check("mach_msg", mach_msg(&u.m.h, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(u.m), sizeof(u),
                                     reply, 0, MACH_PORT_NULL));
    if (u.m.h.msgh_id != id + 100)
        bench_check("reply id", KERN_FAILURE);
}

int
main(void)
{
    mach_port_t self = mach_task_self(), reply;
    quay_thread_t t;
    void *result;
    uint64_t t0, t1;

    bench_check("allocate", mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &service));
    bench_check("insert_right",
                mach_port_insert_right(self, service, service, MACH_MSG_TYPE_MAKE_SEND));
    bench_check("allocate", mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &reply));
    bench_check("thread", quay_thread_create(server, NULL, &t));
    for (int i = 0; i < BENCH_WARMUP; i++)
        call(reply, 1);
    t0 = bench_rdtsc();
    for (int i = 0; i < ITERATIONS; i++)
        call(reply, 1);
    t1 = bench_rdtsc();
    bench_report("null_rpc_same_task", ITERATIONS, t1 - t0);

    null_msg_t stop = {.h = {.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
                             .msgh_size = sizeof(stop),
                             .msgh_remote_port = service,
                             .msgh_id = STOP_ID}};
    bench_check("stop", mach_msg(&stop.h, MACH_SEND_MSG, sizeof(stop), 0, MACH_PORT_NULL, 0,
                                 MACH_PORT_NULL));
    bench_check("join", quay_thread_join(t, &result));
    (void)mach_port_mod_refs(self, reply, MACH_PORT_RIGHT_RECEIVE, -1);
    (void)mach_port_mod_refs(self, service, MACH_PORT_RIGHT_RECEIVE, -1);
    (void)mach_port_deallocate(self, service);
    return result == NULL ? 0 : 1;
}

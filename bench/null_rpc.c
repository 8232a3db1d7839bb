/* SPDX-License-Identifier: MIT
 *
 * Null RPC round trip: the client's mach_msg(SEND|RCV) of an empty request
 * with a MAKE_SEND_ONCE reply right, answered by a server with
 * mach_msg(SEND|RCV): its reply, then its wait for the next request (the
 * classic mig client / mach_msg_server pattern, null_rpc.h), measured from
 * the client.  Two rows:
 *
 *   null_rpc_cross_task  the server is another task, null_rpc_server.c
 *                        (boot module 2), found by bootstrap_look_up of
 *                        NULL_RPC_SERVICE: each message switches address
 *                        spaces.  Skipped, with a line saying so, when no
 *                        server registers within 2 s.
 *   null_rpc_same_task   the server is a second thread of this task: the
 *                        same kernel path without the address-space switch.
 */
#include <quay/threads.h>
#include <servers/bootstrap.h>

#include "bench.h"
#include "null_rpc.h"

#define ITERATIONS     20000
#define LOOKUP_TRIES   200 /* 2 s for the server to register */
#define LOOKUP_WAIT_MS 10

/* One round trip to `service`, the reply on `reply`. */
static void
call(mach_port_t service, mach_port_t reply)
{
    null_rpc_buf_t u;

    u.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
    u.h.msgh_size = sizeof(u.h);
    u.h.msgh_remote_port = service;
    u.h.msgh_local_port = reply;
    u.h.msgh_voucher_port = MACH_PORT_NULL;
    u.h.msgh_id = NULL_RPC_ID;
    bench_check("mach_msg", mach_msg(&u.h, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(u.h), sizeof(u),
                                     reply, 0, MACH_PORT_NULL));
    if (u.h.msgh_id != NULL_RPC_ID + 100)
        bench_check("reply id", KERN_FAILURE);
}

/* Warms up, then times ITERATIONS round trips to `service` and reports them as `name`. */
static void
measure(const char *name, mach_port_t service, mach_port_t reply)
{
    uint64_t t0, t1;

    for (int i = 0; i < BENCH_WARMUP; i++)
        call(service, reply);
    t0 = bench_rdtsc();
    for (int i = 0; i < ITERATIONS; i++)
        call(service, reply);
    t1 = bench_rdtsc();
    bench_report(name, ITERATIONS, t1 - t0);
}

static void *
server_thread(void *service)
{
    return (void *)(uintptr_t)null_rpc_serve((mach_port_t)(uintptr_t)service);
}

/* The server task's port, looked up by name; MACH_PORT_NULL if none registered in time. */
static mach_port_t
look_up_server(void)
{
    mach_port_t bootstrap, service = MACH_PORT_NULL;
    kern_return_t kr = BOOTSTRAP_UNKNOWN_SERVICE;
    static volatile uint32_t never;

    bench_check("task_get_bootstrap_port", task_get_bootstrap_port(mach_task_self(), &bootstrap));
    for (int i = 0; i < LOOKUP_TRIES && kr == BOOTSTRAP_UNKNOWN_SERVICE; i++) {
        kr = bootstrap_look_up(bootstrap, NULL_RPC_SERVICE, &service);
        if (kr == BOOTSTRAP_UNKNOWN_SERVICE)
            (void)quay_wait(&never, 0, LOOKUP_WAIT_MS);
    }
    (void)mach_port_deallocate(mach_task_self(), bootstrap);
    if (kr != BOOTSTRAP_SUCCESS) {
        printf("bench: null_rpc_cross_task skipped: no %s server (error %#x; run with "
               "--with bench_null_rpc_server)\n",
               NULL_RPC_SERVICE, kr);
        return MACH_PORT_NULL;
    }
    return service;
}

/* The same-task row: a server thread on a port of this task.  Returns the thread's result. */
static int
same_task(mach_port_t reply)
{
    mach_port_t self = mach_task_self(), service;
    quay_thread_t t;
    void *result;

    bench_check("allocate", mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &service));
    bench_check("insert_right",
                mach_port_insert_right(self, service, service, MACH_MSG_TYPE_MAKE_SEND));
    bench_check("thread", quay_thread_create(server_thread, (void *)(uintptr_t)service, &t));
    measure("null_rpc_same_task", service, reply);

    mach_msg_header_t stop = {.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
                              .msgh_size = sizeof(stop),
                              .msgh_remote_port = service,
                              .msgh_id = NULL_RPC_STOP_ID};
    bench_check("stop",
                mach_msg(&stop, MACH_SEND_MSG, sizeof(stop), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL));
    bench_check("join", quay_thread_join(t, &result));
    (void)mach_port_mod_refs(self, service, MACH_PORT_RIGHT_RECEIVE, -1);
    (void)mach_port_deallocate(self, service);
    return result == NULL ? 0 : 1;
}

int
main(void)
{
    mach_port_t self = mach_task_self(), reply, server;
    int status;

    bench_check("allocate", mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &reply));
    server = look_up_server();
    if (server != MACH_PORT_NULL) {
        measure("null_rpc_cross_task", server, reply);
        (void)mach_port_deallocate(self, server);
    }
    status = same_task(reply);
    (void)mach_port_mod_refs(self, reply, MACH_PORT_RIGHT_RECEIVE, -1);
    return status;
}

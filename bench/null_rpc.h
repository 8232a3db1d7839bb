/* SPDX-License-Identifier: MIT
 *
 * The null RPC of null_rpc.c and null_rpc_server.c: an empty request with
 * a MAKE_SEND_ONCE reply right, answered with an empty reply of id + 100,
 * and the server loop both the same-task thread and the cross-task server
 * run.
 */
#ifndef BENCH_NULL_RPC_H
#define BENCH_NULL_RPC_H

#include <mach.h>

#define NULL_RPC_SERVICE "bench.null_rpc" /* registered with the name service */
#define NULL_RPC_ID      1
#define NULL_RPC_STOP_ID 999 /* no reply right: the loop returns */

typedef union {
    mach_msg_header_t h;
    char bytes[256];
} null_rpc_buf_t;

/*
 * The classic server loop: receive a request, then answer it and wait for
 * the next one in a single mach_msg(SEND|RCV) -- the call the fast path
 * hands off from on the server's side.  A request without a send-once
 * reply right is destroyed, unless it is NULL_RPC_STOP_ID, which ends the
 * loop.  Returns 0 after a stop, 1 when mach_msg fails.
 */
static inline int
null_rpc_serve(mach_port_t service)
{
    null_rpc_buf_t u;
    mach_msg_option_t option = MACH_RCV_MSG;
    mach_msg_size_t send_size = 0;

    for (;;) {
        if (mach_msg(&u.h, option, send_size, sizeof(u), service, 0, MACH_PORT_NULL) !=
            MACH_MSG_SUCCESS)
            return 1;
        if (MACH_MSGH_BITS_REMOTE(u.h.msgh_bits) != MACH_MSG_TYPE_PORT_SEND_ONCE) {
            if (u.h.msgh_id == NULL_RPC_STOP_ID)
                return 0;
            mach_msg_destroy(&u.h);
            option = MACH_RCV_MSG;
            send_size = 0;
            continue;
        }
        u.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
        u.h.msgh_local_port = MACH_PORT_NULL;
        u.h.msgh_size = sizeof(u.h);
        u.h.msgh_id += 100;
        option = MACH_SEND_MSG | MACH_RCV_MSG;
        send_size = sizeof(u.h);
    }
}

#endif

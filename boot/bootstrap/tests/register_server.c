/* SPDX-License-Identifier: MIT */
/*
 * A server for the name service's QEMU test (test/qemu: the
 * qemu.bootstrap.name_service_* tests): boot module 2 under
 * `bootstrap --task`, beside lookup_client.  It registers a port under
 * ECHO_SERVICE with its bootstrap port, then answers echo requests for as
 * long as the machine runs.  Its setup happens at once, so the counts have
 * settled before bootstrap starts the client.
 */
#include <mach.h>
#include <servers/bootstrap.h>
#include <stdio.h>

#include "echo.h"

typedef union {
    mach_msg_header_t h;
    char bytes[256];
} echo_buf_t;

/* Answers requests on `port` until a receive fails. */
static void
serve(mach_port_t port)
{
    echo_buf_t u;
    mach_msg_return_t mr;

    for (;;) {
        mr = mach_msg(&u.h, MACH_RCV_MSG, 0, sizeof(u), port, 0, MACH_PORT_NULL);
        if (mr != MACH_MSG_SUCCESS) {
            printf("register_server: receive: error %#x\n", mr);
            return;
        }
        if (u.h.msgh_id != ECHO_ID ||
            MACH_MSGH_BITS_REMOTE(u.h.msgh_bits) != MACH_MSG_TYPE_PORT_SEND_ONCE) {
            mach_msg_destroy(&u.h);
            continue;
        }
        u.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
        u.h.msgh_size = sizeof(u.h);
        u.h.msgh_local_port = MACH_PORT_NULL;
        u.h.msgh_id = ECHO_ID + 100;
        mr = mach_msg(&u.h, MACH_SEND_MSG, sizeof(u.h), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
        if (mr != MACH_MSG_SUCCESS)
            mach_msg_destroy(&u.h);
    }
}

int
main(void)
{
    mach_port_t self = mach_task_self(), bootstrap, port;
    kern_return_t kr;

    kr = task_get_bootstrap_port(self, &bootstrap);
    if (kr != KERN_SUCCESS) {
        printf("register_server: task_get_bootstrap_port: error %#x\n", kr);
        return 1;
    }
    kr = mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &port);
    if (kr != KERN_SUCCESS) {
        printf("register_server: mach_port_allocate: error %#x\n", kr);
        return 1;
    }
    kr = bootstrap_register(bootstrap, ECHO_SERVICE, port);
    if (kr != BOOTSTRAP_SUCCESS) {
        printf("register_server: bootstrap_register: error %#x\n", kr);
        return 1;
    }
    printf("register_server: registered %s\n", ECHO_SERVICE);
    serve(port);
    return 1;
}

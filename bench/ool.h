/* SPDX-License-Identifier: MIT
 *
 * The out-of-line round trip the OOL and fault benchmarks share: a
 * mach_msg(SEND) of one region by virtual copy to a port of this task, and
 * the mach_msg(RCV) that maps it into the task at a new address.
 */
#ifndef BENCH_OOL_H
#define BENCH_OOL_H

#include "bench.h"

#include <string.h>

typedef struct {
    mach_msg_header_t h;
    mach_msg_body_t body;
    mach_msg_ool_descriptor_t ool;
} ool_msg_t;

typedef union {
    ool_msg_t m;
    char bytes[256];
} ool_buf_t;

/* Sends [a, a + size) to `port` by virtual copy (deallocate FALSE) and
 * receives it; returns where the copy landed. */
static inline vm_address_t
bench_ool_round_trip(mach_port_t port, vm_address_t a, vm_size_t size)
{
    ool_msg_t m;
    ool_buf_t in;

    memset(&m, 0, sizeof(m));
    m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
    m.h.msgh_size = sizeof(m);
    m.h.msgh_remote_port = port;
    m.body.msgh_descriptor_count = 1;
    m.ool.address = (void *)a;
    m.ool.size = (mach_msg_size_t)size;
    m.ool.deallocate = FALSE;
    m.ool.copy = MACH_MSG_VIRTUAL_COPY;
    m.ool.type = MACH_MSG_OOL_DESCRIPTOR;
    bench_check("send",
                mach_msg(&m.h, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL));
    bench_check("receive", mach_msg(&in.m.h, MACH_RCV_MSG, 0, sizeof(in), port, 0, MACH_PORT_NULL));
    return (vm_address_t)in.m.ool.address;
}

#endif

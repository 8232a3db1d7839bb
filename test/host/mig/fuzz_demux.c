/* SPDX-License-Identifier: MIT */
/*
 * fuzz_demux.c: libFuzzer target for generated server stubs.  The input is
 * a request message as a kernel would deliver it: the harness plays the
 * kernel's part (msgh_size is the real size, out-of-line regions are real
 * memory of the size their descriptor says, port names are null, a seqno
 * trailer follows), then hands it to the generated demux of loop.defs.
 * Whatever the bytes, the stubs must not crash, read out of bounds, or free
 * anything twice (the transport counts bad frees), and must leave nothing
 * behind.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "loopServer.h"
#include "loop_impl.h"
#include "transport.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Make the descriptors real; false if they do not fit in the message. */
static bool
play_kernel(mach_msg_header_t *m)
{
    mach_msg_body_t *body = (mach_msg_body_t *)(m + 1);
    char *p = (char *)(body + 1), *end = (char *)m + m->msgh_size;

    if (!(m->msgh_bits & MACH_MSGH_BITS_COMPLEX))
        return true;
    if ((char *)(body + 1) > end || body->msgh_descriptor_count > 64)
        return false;
    for (mach_msg_size_t i = 0; i < body->msgh_descriptor_count; i++) {
        mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)p;
        vm_address_t a = 0;
        if (p + sizeof(mach_msg_type_descriptor_t) > end || d->type.type > 2)
            return false;
        if (d->type.type == MACH_MSG_PORT_DESCRIPTOR) {
            if (p + sizeof(d->port) > end)
                return false;
            d->port.name = MACH_PORT_NULL;
            p += sizeof(d->port);
            continue;
        }
        if (p + sizeof(d->out_of_line) > end)
            return false;
        if (d->type.type == MACH_MSG_OOL_DESCRIPTOR) {
            d->out_of_line.size %= 1 << 20;
            if (d->out_of_line.size != 0)
                vm_allocate(mach_task_self(), &a, d->out_of_line.size, TRUE);
            d->out_of_line.address = (void *)a;
        } else {
            d->ool_ports.count %= 4096;
            if (d->ool_ports.count != 0)
                vm_allocate(mach_task_self(), &a, d->ool_ports.count * sizeof(mach_port_t), TRUE);
            d->ool_ports.address = (void *)a; /* zeroed: all null names */
        }
        p += sizeof(d->out_of_line);
    }
    return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint64_t in[(65536 + 256) / 8], out[(65536 + 256) / 8];
    mach_msg_header_t *m = (mach_msg_header_t *)in;
    mach_msg_seqno_trailer_t *t;

    if (size < sizeof(*m) || size > 65536 || loop_max_reply_size > sizeof(out))
        return 0;
    tp_reset();
    tp_set_quiet(true);
    memset(&loop_state, 0, sizeof(loop_state));
    memcpy(in, data, size);
    m->msgh_size = (mach_msg_size_t)(size & ~(size_t)3);
    if (!(data[0] & 0x80)) /* mostly aim at a real routine, sometimes at any id */
        m->msgh_id = 4000 + (mach_msg_id_t)((uint32_t)m->msgh_id % 24);
    m->msgh_remote_port = MACH_PORT_NULL;
    m->msgh_local_port = MACH_PORT_NULL;
    if (!play_kernel(m))
        m->msgh_bits &= ~MACH_MSGH_BITS_COMPLEX;
    t = (mach_msg_seqno_trailer_t *)((char *)in + m->msgh_size);
    t->msgh_trailer_type = MACH_MSG_TRAILER_FORMAT_0;
    t->msgh_trailer_size = sizeof(*t);
    t->msgh_seqno = 1;
    loop_server(m, (mach_msg_header_t *)out);
    if (tp_errors() != 0)
        abort(); /* a bad or double free */
    tp_reset();
    return 0;
}

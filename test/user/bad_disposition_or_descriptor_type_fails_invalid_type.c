/* SPDX-License-Identifier: MIT
 *
 * MACH_SEND_INVALID_TYPE for a descriptor the kernel cannot decode: a port
 * descriptor or out-of-line port array whose disposition is not one of the
 * six (0, MACH_MSG_TYPE_PORT_NAME, MACH_MSG_TYPE_COPY_RECEIVE, 23), or an
 * unknown descriptor type.  The header's moved send right and the good
 * descriptor before the bad one are untouched and nothing is queued.  (A bad
 * disposition in the header itself is MACH_SEND_INVALID_HEADER, see
 * bad_header_fails_invalid_header.)
 */
#include "ut_msg.h"

typedef struct {
    mach_msg_header_t h;
    mach_msg_body_t body;
    mach_msg_port_descriptor_t good;
    mach_msg_descriptor_t bad; /* 16 bytes: room for any descriptor */
} two_desc_msg_t;

static mach_port_name_t dest, q;

static mach_msg_return_t
send_bad(const mach_msg_descriptor_t *bad, mach_msg_size_t size)
{
    two_desc_msg_t m;

    memset(&m, 0, sizeof(m));
    m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
    m.h.msgh_size = size;
    m.h.msgh_remote_port = dest;
    m.body.msgh_descriptor_count = 2;
    m.good.name = q;
    m.good.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
    m.good.type = MACH_MSG_PORT_DESCRIPTOR;
    m.bad = *bad;
    return mach_msg(&m.h, MACH_SEND_MSG, size, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

static void
expect_untouched(void)
{
    UT_EQ(ut_refs(dest, MACH_PORT_RIGHT_SEND), 1);
    UT_EQ(ut_status(dest).mps_msgcount, 0);
    UT_EQ(ut_type(q), MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND);
    UT_EQ(ut_refs(q, MACH_PORT_RIGHT_SEND), 1);
    UT_EQ(ut_status(q).mps_mscount, 1);
}

int
main(void)
{
    static const mach_msg_type_name_t bad_disps[] = {0, MACH_MSG_TYPE_PORT_NAME,
                                                     MACH_MSG_TYPE_COPY_RECEIVE, 23, 255};
    const mach_msg_size_t port_size = sizeof(mach_msg_header_t) + sizeof(mach_msg_body_t) +
                                      2 * sizeof(mach_msg_port_descriptor_t);
    mach_msg_descriptor_t d;
    mach_port_name_t names[1];

    ut_stats_begin();
    dest = ut_port_send();
    q = ut_port_send();
    names[0] = q;

    for (unsigned i = 0; i < sizeof(bad_disps) / sizeof(bad_disps[0]); i++) {
        memset(&d, 0, sizeof(d));
        d.port.name = q;
        d.port.disposition = bad_disps[i];
        d.port.type = MACH_MSG_PORT_DESCRIPTOR;
        UT_KR(send_bad(&d, port_size), MACH_SEND_INVALID_TYPE);
        expect_untouched();

        memset(&d, 0, sizeof(d));
        d.ool_ports.address = names;
        d.ool_ports.count = 1;
        d.ool_ports.disposition = bad_disps[i];
        d.ool_ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
        UT_KR(send_bad(&d, sizeof(two_desc_msg_t)), MACH_SEND_INVALID_TYPE);
        expect_untouched();
    }

    /* Descriptor types past MACH_MSG_OOL_VOLATILE_DESCRIPTOR are unknown. */
    memset(&d, 0, sizeof(d));
    d.type.type = 4;
    UT_KR(send_bad(&d, sizeof(two_desc_msg_t)), MACH_SEND_INVALID_TYPE);
    expect_untouched();
    d.type.type = 0xff;
    UT_KR(send_bad(&d, sizeof(two_desc_msg_t)), MACH_SEND_INVALID_TYPE);
    expect_untouched();

    ut_port_destroy(q);
    ut_port_destroy(dest);
    ut_stats_expect_baseline();
    return ut_pass();
}

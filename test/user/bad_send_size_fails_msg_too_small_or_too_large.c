/* SPDX-License-Identifier: MIT
 *
 * The send size is checked before anything else (XNU's rules):
 * MACH_SEND_MSG_TOO_SMALL for a size below the header or not a multiple of
 * 4, and for a complex message whose size cannot hold the body or the
 * descriptors it counts; MACH_SEND_TOO_LARGE for a size above the kernel's
 * limit, even when the buffer behind it is small (the size is refused before
 * the buffer is read).  The moved send right in the header stays.  The
 * kernel takes send_size as the message's size (msgh_size is rewritten).
 */
#include "ut_msg.h"

typedef struct {
    mach_msg_header_t h;
    mach_msg_body_t body;
    mach_msg_port_descriptor_t d[2];
} complex_msg_t;

static mach_port_name_t dest, q;

static mach_msg_return_t
send_sized(mach_msg_size_t size, mach_msg_size_t msgh_size)
{
    union {
        ut_simple_msg_t m;
        char bytes[64];
    } u;

    memset(&u, 0, sizeof(u));
    u.m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0);
    u.m.h.msgh_size = msgh_size;
    u.m.h.msgh_remote_port = dest;
    return mach_msg(&u.m.h, MACH_SEND_MSG, size, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

static mach_msg_return_t
send_complex(mach_msg_size_t size, mach_msg_size_t count)
{
    complex_msg_t m;

    memset(&m, 0, sizeof(m));
    m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
    m.h.msgh_size = size;
    m.h.msgh_remote_port = dest;
    m.body.msgh_descriptor_count = count;
    for (int i = 0; i < 2; i++) {
        m.d[i].name = q;
        m.d[i].disposition = MACH_MSG_TYPE_COPY_SEND;
        m.d[i].type = MACH_MSG_PORT_DESCRIPTOR;
    }
    return mach_msg(&m.h, MACH_SEND_MSG, size, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

int
main(void)
{
    const mach_msg_size_t hs = sizeof(mach_msg_header_t);
    ut_msg_buf_t buf;

    ut_stats_begin();
    dest = ut_port_send();
    q = ut_port_send();

    UT_KR(send_sized(0, 0), MACH_SEND_MSG_TOO_SMALL);
    UT_KR(send_sized(hs - 4, hs - 4), MACH_SEND_MSG_TOO_SMALL);
    UT_KR(send_sized(hs + 2, hs + 2), MACH_SEND_MSG_TOO_SMALL);
    UT_KR(send_sized(hs + 7, hs + 7), MACH_SEND_MSG_TOO_SMALL);
    UT_KR(send_sized(0x40000000, 0x40000000), MACH_SEND_TOO_LARGE);
    UT_KR(send_sized(0xfffffffc, 0xfffffffc), MACH_SEND_TOO_LARGE);

    /* Complex, but no room for the body, or for the descriptors counted. */
    UT_KR(send_complex(hs, 1), MACH_SEND_MSG_TOO_SMALL);
    UT_KR(send_complex(hs + 4, 1), MACH_SEND_MSG_TOO_SMALL);
    UT_KR(send_complex(hs + 4 + sizeof(mach_msg_port_descriptor_t), 2), MACH_SEND_MSG_TOO_SMALL);
    UT_KR(send_complex(hs + 4 + 4, 1), MACH_SEND_MSG_TOO_SMALL);

    UT_EQ(ut_refs(dest, MACH_PORT_RIGHT_SEND), 1);
    UT_EQ(ut_refs(q, MACH_PORT_RIGHT_SEND), 1);
    UT_EQ(ut_status(dest).mps_msgcount, 0);

    /* A header-only message is fine, and send_size wins over msgh_size. */
    UT_KR(send_sized(hs, 1000), MACH_MSG_SUCCESS);
    ut_recv(dest, &buf);
    UT_EQ(buf.h.msgh_size, hs);
    UT_EQ(ut_type(dest), MACH_PORT_TYPE_RECEIVE);

    ut_port_destroy(q);
    ut_port_destroy(dest);
    ut_stats_expect_baseline();
    return ut_pass();
}

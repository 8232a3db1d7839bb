/* SPDX-License-Identifier: MIT
 *
 * MACH_SEND_INVALID_HEADER for a header the kernel cannot decode (XNU's
 * rule): a destination disposition that is not a send disposition (0,
 * MOVE_RECEIVE, COPY_RECEIVE, PORT_NAME, 31) and msgh_bits outside
 * MACH_MSGH_BITS_USER; MACH_SEND_INVALID_VOUCHER for a voucher (Quay has
 * none: the voucher field and bits must be zero).  Nothing moves.
 */
#include "ut_msg.h"

static mach_port_name_t dest;

static mach_msg_return_t
send_bits(mach_msg_bits_t bits, mach_port_name_t voucher)
{
    ut_simple_msg_t m;

    memset(&m, 0, sizeof(m));
    m.h.msgh_bits = bits;
    m.h.msgh_size = sizeof(m);
    m.h.msgh_remote_port = dest;
    m.h.msgh_voucher_port = voucher;
    return mach_msg(&m.h, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

int
main(void)
{
    static const mach_msg_type_name_t bad_dest[] = {
        0, MACH_MSG_TYPE_MOVE_RECEIVE, MACH_MSG_TYPE_COPY_RECEIVE, MACH_MSG_TYPE_PORT_NAME, 31};

    ut_stats_begin();
    dest = ut_port_send();

    for (unsigned i = 0; i < sizeof(bad_dest) / sizeof(bad_dest[0]); i++)
        UT_KR(send_bits(MACH_MSGH_BITS(bad_dest[i], 0), MACH_PORT_NULL), MACH_SEND_INVALID_HEADER);
    UT_KR(send_bits(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0) | 0x00400000, MACH_PORT_NULL),
          MACH_SEND_INVALID_HEADER);
    UT_KR(send_bits(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0) | 0x20, MACH_PORT_NULL),
          MACH_SEND_INVALID_HEADER);
    UT_KR(send_bits(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0), dest), MACH_SEND_INVALID_VOUCHER);
    UT_KR(send_bits(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0) | (MACH_MSG_TYPE_COPY_SEND << 16),
                    dest),
          MACH_SEND_INVALID_VOUCHER);

    UT_EQ(ut_type(dest), MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND);
    UT_EQ(ut_refs(dest, MACH_PORT_RIGHT_SEND), 1);
    UT_EQ(ut_status(dest).mps_msgcount, 0);

    /* The well-formed message goes through. */
    UT_KR(send_bits(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0), MACH_PORT_NULL), MACH_MSG_SUCCESS);
    UT_EQ(ut_status(dest).mps_msgcount, 1);

    ut_port_destroy(dest);
    ut_stats_expect_baseline();
    return ut_pass();
}

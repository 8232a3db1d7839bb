/* SPDX-License-Identifier: MIT
 *
 * Quay has no msg-accepted notifications: a send with MACH_SEND_NOTIFY
 * fails with MACH_SEND_INVALID_NOTIFY and changes nothing -- the header's
 * MOVE_SEND right and the MAKE_SEND_ONCE reply are not taken, and nothing
 * is queued.  The same message without the option goes through.
 */
#include "ut_msg.h"

int
main(void)
{
    mach_port_name_t dest, reply;
    unsigned names;

    ut_stats_begin();
    dest = ut_port_send();
    reply = ut_port();
    names = ut_names();

    UT_KR(ut_send_opt(dest, MACH_MSG_TYPE_MOVE_SEND, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE, 1, 0,
                      MACH_SEND_NOTIFY, 0),
          MACH_SEND_INVALID_NOTIFY);
    UT_EQ(ut_refs(dest, MACH_PORT_RIGHT_SEND), 1);
    UT_EQ(ut_status(dest).mps_msgcount, 0);
    UT_EQ(ut_status(reply).mps_sorights, 0);
    UT_EQ(ut_names(), names);

    UT_KR(ut_send_opt(dest, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 2, 0, 0, 0),
          MACH_MSG_SUCCESS);
    UT_EQ(ut_status(dest).mps_msgcount, 1);

    ut_port_destroy(dest);
    ut_port_destroy(reply);
    ut_stats_expect_baseline();
    return ut_pass();
}

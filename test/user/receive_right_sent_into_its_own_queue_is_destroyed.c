/* SPDX-License-Identifier: MIT
 *
 * A message that carries the receive right of its own destination (directly,
 * or through a chain of ports in transit: A's receive right queued on B, then
 * B's receive right sent to A) could never be received.  As in XNU, the send
 * succeeds and the kernel destroys the message at once: every port in the
 * cycle dies, the sender's send rights to them become dead names, and nothing
 * is left behind.
 */
#include "ut_msg.h"

int
main(void)
{
    mach_port_name_t p, a, b;

    ut_stats_begin();

    /* Directly. */
    p = ut_port_send();
    UT_KR(ut_send_port(p, p, MACH_MSG_TYPE_MOVE_RECEIVE, 1), MACH_MSG_SUCCESS);
    UT_EQ(ut_type(p), MACH_PORT_TYPE_DEAD_NAME);
    UT_EQ(ut_refs(p, MACH_PORT_RIGHT_DEAD_NAME), 1);
    UT_KR(mach_port_deallocate(mach_task_self(), p), KERN_SUCCESS);

    /* Through another port in transit. */
    a = ut_port_send();
    b = ut_port_send();
    UT_KR(ut_send_port(b, a, MACH_MSG_TYPE_MOVE_RECEIVE, 2), MACH_MSG_SUCCESS);
    UT_EQ(ut_type(a), MACH_PORT_TYPE_SEND);
    UT_KR(ut_send_port(a, b, MACH_MSG_TYPE_MOVE_RECEIVE, 3), MACH_MSG_SUCCESS);
    UT_EQ(ut_type(a), MACH_PORT_TYPE_DEAD_NAME);
    UT_EQ(ut_type(b), MACH_PORT_TYPE_DEAD_NAME);
    UT_KR(mach_port_deallocate(mach_task_self(), a), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), b), KERN_SUCCESS);

    ut_stats_expect_baseline();
    return ut_pass();
}

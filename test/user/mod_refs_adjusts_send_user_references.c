/* SPDX-License-Identifier: MIT */
/*
 * mach_port_mod_refs adds to and subtracts from the user references of one
 * right of a name: a send right's count moves by delta and the right goes
 * at zero; going below zero is KERN_INVALID_VALUE; naming a right the name
 * does not hold is KERN_INVALID_RIGHT; receive, send-once and port-set
 * rights take only 0 or -1.  A failed call changes nothing.
 */
#include "ut_ports.h"

int
main(void)
{
    mach_port_t self = mach_task_self();
    mach_port_name_t port, pset, dead;
    mach_port_type_t type;

    ut_stats_begin();
    port = ut_port_send();
    UT_KR(mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &pset), KERN_SUCCESS);
    UT_KR(mach_port_allocate(self, MACH_PORT_RIGHT_DEAD_NAME, &dead), KERN_SUCCESS);

    /* Arithmetic on the send right. */
    UT_KR(mach_port_mod_refs(self, port, MACH_PORT_RIGHT_SEND, 4), KERN_SUCCESS);
    UT_EQ(ut_refs(port, MACH_PORT_RIGHT_SEND), 5);
    UT_KR(mach_port_mod_refs(self, port, MACH_PORT_RIGHT_SEND, -2), KERN_SUCCESS);
    UT_EQ(ut_refs(port, MACH_PORT_RIGHT_SEND), 3);
    UT_KR(mach_port_mod_refs(self, port, MACH_PORT_RIGHT_SEND, 0), KERN_SUCCESS);
    UT_EQ(ut_refs(port, MACH_PORT_RIGHT_SEND), 3);
    UT_KR(mach_port_mod_refs(self, port, MACH_PORT_RIGHT_SEND, -4), KERN_INVALID_VALUE);
    UT_EQ(ut_refs(port, MACH_PORT_RIGHT_SEND), 3);

    /* Rights the name does not hold. */
    UT_KR(mach_port_mod_refs(self, port, MACH_PORT_RIGHT_SEND_ONCE, -1), KERN_INVALID_RIGHT);
    UT_KR(mach_port_mod_refs(self, port, MACH_PORT_RIGHT_DEAD_NAME, 1), KERN_INVALID_RIGHT);
    UT_KR(mach_port_mod_refs(self, port, MACH_PORT_RIGHT_PORT_SET, -1), KERN_INVALID_RIGHT);
    UT_KR(mach_port_mod_refs(self, pset, MACH_PORT_RIGHT_SEND, 1), KERN_INVALID_RIGHT);
    UT_KR(mach_port_mod_refs(self, dead, MACH_PORT_RIGHT_SEND, 1), KERN_INVALID_RIGHT);
    UT_KR(mach_port_mod_refs(self, port, MACH_PORT_RIGHT_NUMBER, 1), KERN_INVALID_VALUE);

    /* Single rights: only 0 or -1. */
    UT_KR(mach_port_mod_refs(self, port, MACH_PORT_RIGHT_RECEIVE, 1), KERN_INVALID_VALUE);
    UT_KR(mach_port_mod_refs(self, port, MACH_PORT_RIGHT_RECEIVE, -2), KERN_INVALID_VALUE);
    UT_KR(mach_port_mod_refs(self, port, MACH_PORT_RIGHT_RECEIVE, 0), KERN_SUCCESS);
    UT_KR(mach_port_mod_refs(self, pset, MACH_PORT_RIGHT_PORT_SET, 1), KERN_INVALID_VALUE);
    UT_EQ(ut_type(port), MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND);
    UT_EQ(ut_refs(port, MACH_PORT_RIGHT_SEND), 3);

    /* Dead names count user references like send rights. */
    UT_KR(mach_port_mod_refs(self, dead, MACH_PORT_RIGHT_DEAD_NAME, 2), KERN_SUCCESS);
    UT_EQ(ut_refs(dead, MACH_PORT_RIGHT_DEAD_NAME), 3);
    UT_KR(mach_port_mod_refs(self, dead, MACH_PORT_RIGHT_DEAD_NAME, -4), KERN_INVALID_VALUE);
    UT_KR(mach_port_mod_refs(self, dead, MACH_PORT_RIGHT_DEAD_NAME, -3), KERN_SUCCESS);
    UT_KR(mach_port_type(self, dead, &type), KERN_INVALID_NAME);

    /* Send right to zero: the receive right stays; then the receive right. */
    UT_KR(mach_port_mod_refs(self, port, MACH_PORT_RIGHT_SEND, -3), KERN_SUCCESS);
    UT_EQ(ut_type(port), MACH_PORT_TYPE_RECEIVE);
    UT_KR(mach_port_mod_refs(self, port, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
    UT_KR(mach_port_type(self, port, &type), KERN_INVALID_NAME);
    UT_KR(mach_port_mod_refs(self, pset, MACH_PORT_RIGHT_PORT_SET, -1), KERN_SUCCESS);
    UT_KR(mach_port_type(self, pset, &type), KERN_INVALID_NAME);

    ut_stats_expect_baseline();
    return ut_pass();
}

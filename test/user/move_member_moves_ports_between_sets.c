/* SPDX-License-Identifier: MIT */
/*
 * mach_port_move_member puts a receive right into a port set, moves it from
 * one set to another (a port is in at most one set) or, with
 * MACH_PORT_NULL, out of its set; get_set_status lists a set's members and
 * mps_pset names a member's set.  Destroying a set frees its members.
 */
#include "ut_ports.h"

/* Checks that SET's members are exactly the N names in WANT (any order). */
static void
expect_members(mach_port_name_t set, const mach_port_name_t *want, unsigned n)
{
    mach_port_name_array_t members = NULL;
    mach_msg_type_number_t count = 99;

    UT_KR(mach_port_get_set_status(mach_task_self(), set, &members, &count), KERN_SUCCESS);
    UT_EQ(count, n);
    for (unsigned i = 0; i < n; i++) {
        unsigned found = 0;
        for (unsigned j = 0; j < count; j++)
            found += members[j] == want[i];
        UT_EQ(found, 1);
    }
    if (count != 0)
        UT_KR(vm_deallocate(mach_task_self(), (vm_address_t)members, count * sizeof(*members)),
              KERN_SUCCESS);
}

int
main(void)
{
    mach_port_t self = mach_task_self();
    mach_port_name_t a, b, p1, p2, dead, both[2];

    ut_stats_begin();
    UT_KR(mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &a), KERN_SUCCESS);
    UT_KR(mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &b), KERN_SUCCESS);
    UT_KR(mach_port_allocate(self, MACH_PORT_RIGHT_DEAD_NAME, &dead), KERN_SUCCESS);
    p1 = ut_port();
    p2 = ut_port_send();
    expect_members(a, NULL, 0);
    UT_EQ(ut_status(p1).mps_pset, MACH_PORT_NULL);

    UT_KR(mach_port_move_member(self, p1, a), KERN_SUCCESS);
    expect_members(a, &p1, 1);
    UT_EQ(ut_status(p1).mps_pset, a);

    /* Into another set: out of the first. */
    UT_KR(mach_port_move_member(self, p1, b), KERN_SUCCESS);
    expect_members(a, NULL, 0);
    expect_members(b, &p1, 1);
    UT_EQ(ut_status(p1).mps_pset, b);

    UT_KR(mach_port_move_member(self, p2, b), KERN_SUCCESS);
    both[0] = p1;
    both[1] = p2;
    expect_members(b, both, 2);

    /* Out of any set. */
    UT_KR(mach_port_move_member(self, p1, MACH_PORT_NULL), KERN_SUCCESS);
    UT_EQ(ut_status(p1).mps_pset, MACH_PORT_NULL);
    expect_members(b, &p2, 1);
    UT_KR(mach_port_move_member(self, p1, MACH_PORT_NULL), KERN_NOT_IN_SET);

    /* Wrong kinds of names. */
    UT_KR(mach_port_move_member(self, a, b), KERN_INVALID_RIGHT);    /* member is a set */
    UT_KR(mach_port_move_member(self, dead, a), KERN_INVALID_RIGHT); /* member is dead */
    UT_KR(mach_port_move_member(self, p1, p2), KERN_INVALID_RIGHT);  /* after is a port */
    UT_KR(mach_port_move_member(self, p1, 0x9f01u), KERN_INVALID_NAME);
    UT_KR(mach_port_move_member(self, 0x9f01u, a), KERN_INVALID_NAME);
    mach_port_name_array_t members;
    mach_msg_type_number_t count;
    UT_KR(mach_port_get_set_status(self, p1, &members, &count), KERN_INVALID_RIGHT);
    UT_KR(mach_port_get_set_status(self, 0x9f01u, &members, &count), KERN_INVALID_NAME);
    UT_EQ(ut_status(p1).mps_pset, MACH_PORT_NULL);
    expect_members(b, &p2, 1);

    /* Destroying a set leaves its member outside any set. */
    UT_KR(mach_port_destroy(self, b), KERN_SUCCESS);
    UT_EQ(ut_status(p2).mps_pset, MACH_PORT_NULL);
    UT_EQ(ut_type(p2), MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND);

    /* Destroying a member leaves the set empty. */
    UT_KR(mach_port_move_member(self, p1, a), KERN_SUCCESS);
    UT_KR(mach_port_destroy(self, p1), KERN_SUCCESS);
    expect_members(a, NULL, 0);

    UT_KR(mach_port_destroy(self, p2), KERN_SUCCESS);
    UT_KR(mach_port_destroy(self, a), KERN_SUCCESS);
    UT_KR(mach_port_destroy(self, dead), KERN_SUCCESS);
    ut_stats_expect_baseline();
    return ut_pass();
}

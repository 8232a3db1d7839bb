/* SPDX-License-Identifier: MIT */
/*
 * mach_port_names returns every name of a space with its type, in two
 * arrays of the same length: here a receive+send name, a port set, a dead
 * name and a send-once right appear with exactly those types, and vanish
 * again once destroyed.  A new task's space is empty.
 */
#include "ut_ports.h"

/* The type NAME has in the list, or MACH_PORT_TYPE_NONE if absent. */
static mach_port_type_t
listed_type(mach_port_name_t *names, mach_port_type_t *types, mach_msg_type_number_t n,
            mach_port_name_t name)
{
    for (mach_msg_type_number_t i = 0; i < n; i++)
        if (names[i] == name)
            return types[i];
    return MACH_PORT_TYPE_NONE;
}

int
main(void)
{
    mach_port_t self = mach_task_self();
    mach_port_name_t port, pset, dead, so;
    mach_msg_type_name_t t;
    mach_port_name_array_t names;
    mach_port_type_array_t types;
    mach_msg_type_number_t n, nt, before;
    task_t child;

    ut_stats_begin();
    before = ut_name_count(self);

    port = ut_port_send();
    UT_KR(mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &pset), KERN_SUCCESS);
    UT_KR(mach_port_allocate(self, MACH_PORT_RIGHT_DEAD_NAME, &dead), KERN_SUCCESS);
    UT_KR(mach_port_extract_right(self, port, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &t), KERN_SUCCESS);

    UT_KR(mach_port_names(self, &names, &n, &types, &nt), KERN_SUCCESS);
    UT_EQ(nt, n);
    UT_EQ(n, before + 4);
    UT_EQ(listed_type(names, types, n, port), MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND);
    UT_EQ(listed_type(names, types, n, pset), MACH_PORT_TYPE_PORT_SET);
    UT_EQ(listed_type(names, types, n, dead), MACH_PORT_TYPE_DEAD_NAME);
    UT_EQ(listed_type(names, types, n, so), MACH_PORT_TYPE_SEND_ONCE);
    /* Our own task port is one of the names, as a send right. */
    UT_EQ(listed_type(names, types, n, self) & MACH_PORT_TYPE_SEND, MACH_PORT_TYPE_SEND);
    for (mach_msg_type_number_t i = 0; i < n; i++) {
        UT_ASSERT(MACH_PORT_VALID(names[i]));
        UT_ASSERT(types[i] != MACH_PORT_TYPE_NONE);
        for (mach_msg_type_number_t j = i + 1; j < n; j++)
            UT_ASSERT(names[i] != names[j]);
    }
    UT_KR(vm_deallocate(self, (vm_address_t)names, n * sizeof(*names)), KERN_SUCCESS);
    UT_KR(vm_deallocate(self, (vm_address_t)types, n * sizeof(*types)), KERN_SUCCESS);

    UT_KR(mach_port_destroy(self, so), KERN_SUCCESS);
    UT_KR(mach_port_destroy(self, port), KERN_SUCCESS);
    UT_KR(mach_port_destroy(self, pset), KERN_SUCCESS);
    UT_KR(mach_port_destroy(self, dead), KERN_SUCCESS);
    UT_EQ(ut_name_count(self), before);

    /* A task made with task_create starts with no names at all. */
    child = ut_child_task();
    UT_EQ(ut_name_count(child), 0);
    UT_KR(mach_port_insert_right(child, 0x6301u, child, MACH_MSG_TYPE_COPY_SEND), KERN_SUCCESS);
    UT_KR(mach_port_names(child, &names, &n, &types, &nt), KERN_SUCCESS);
    UT_EQ(n, 1);
    UT_EQ(nt, 1);
    UT_EQ(names[0], 0x6301u);
    UT_EQ(types[0], MACH_PORT_TYPE_SEND);
    UT_KR(vm_deallocate(self, (vm_address_t)names, sizeof(*names)), KERN_SUCCESS);
    UT_KR(vm_deallocate(self, (vm_address_t)types, sizeof(*types)), KERN_SUCCESS);

    ut_child_end(child);
    ut_stats_settle_baseline();
    return ut_pass();
}

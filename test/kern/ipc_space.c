// SPDX-License-Identifier: MIT
//
// IPC spaces and entries: names are allocated, looked up and freed, a
// freed name comes back with a new generation, the table grows, reserved
// names are never handed out, and counters return to their baseline.

#include "ipc_test.h"
#include <ipc/ipc_entry.h>
#include <kern/kalloc.h>

KTEST(ipc, space_allocate_lookup_remove_and_reuse_with_new_generation)
{
    IPC_TEST_BEGIN();
    struct ipc_space *s = ipc_space_create();
    mach_port_name_t a, b;

    KT_ASSERT(s != NULL);
    KT_EQ(mach_port_allocate(s, MACH_PORT_RIGHT_RECEIVE, &a), KERN_SUCCESS);
    KT_ASSERT(MACH_PORT_VALID(a));
    KT_EQ(ttype(s, a), MACH_PORT_TYPE_RECEIVE);
    KT_EQ(mach_port_destroy(s, a), KERN_SUCCESS);
    KT_EQ(mach_port_type(s, a, &(mach_port_type_t){0}), KERN_INVALID_NAME);
    KT_EQ(mach_port_allocate(s, MACH_PORT_RIGHT_RECEIVE, &b), KERN_SUCCESS);
    KT_EQ(IE_INDEX(b), IE_INDEX(a)); /* the slot is reused ... */
    KT_NE(b, a);                     /* ... under a new name */
    KT_EQ(mach_port_type(s, a, &(mach_port_type_t){0}), KERN_INVALID_NAME);
    tspace_done(s);
    IPC_TEST_END();
}

KTEST(ipc, space_table_grows_and_every_name_is_distinct)
{
    IPC_TEST_BEGIN();
    enum { N = 300 };
    static mach_port_name_t names[N];
    struct ipc_space *s = ipc_space_create();

    KT_ASSERT(s != NULL);
    for (int i = 0; i < N; i++) {
        KT_EQ(mach_port_allocate(s, MACH_PORT_RIGHT_RECEIVE, &names[i]), KERN_SUCCESS);
        KT_ASSERT(MACH_PORT_VALID(names[i]));
        for (int j = 0; j < i; j++)
            KT_NE(names[i], names[j]);
    }
    KT_ASSERT(s->is_table_size > IE_TABLE_INITIAL);
    KT_EQ(s->is_in_use, N);
    for (int i = 0; i < N; i++)
        KT_EQ(ttype(s, names[i]), MACH_PORT_TYPE_RECEIVE);
    for (int i = 0; i < N; i += 2)
        KT_EQ(mach_port_mod_refs(s, names[i], MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
    KT_EQ(s->is_in_use, N / 2);
    tspace_done(s);
    IPC_TEST_END();
}

KTEST(ipc, allocate_name_rejects_null_dead_and_taken_names)
{
    IPC_TEST_BEGIN();
    struct ipc_space *s = ipc_space_create();
    mach_port_name_t n = 0x12345;

    KT_ASSERT(s != NULL);
    KT_EQ(mach_port_allocate_name(s, MACH_PORT_RIGHT_RECEIVE, MACH_PORT_NULL), KERN_INVALID_VALUE);
    KT_EQ(mach_port_allocate_name(s, MACH_PORT_RIGHT_RECEIVE, MACH_PORT_DEAD), KERN_INVALID_VALUE);
    KT_EQ(mach_port_allocate_name(s, MACH_PORT_RIGHT_RECEIVE, 7), KERN_INVALID_VALUE);
    KT_EQ(mach_port_allocate_name(s, MACH_PORT_RIGHT_RECEIVE, n), KERN_SUCCESS);
    KT_EQ(ttype(s, n), MACH_PORT_TYPE_RECEIVE);
    KT_EQ(mach_port_allocate_name(s, MACH_PORT_RIGHT_PORT_SET, n), KERN_NAME_EXISTS);
    KT_EQ(mach_port_allocate_name(s, MACH_PORT_RIGHT_PORT_SET, n + 1), KERN_NAME_EXISTS);
    KT_EQ(mach_port_allocate_name(s, MACH_PORT_RIGHT_DEAD_NAME, 0x20000), KERN_SUCCESS);
    KT_EQ(ttype(s, 0x20000), MACH_PORT_TYPE_DEAD_NAME);
    KT_EQ(mach_port_allocate(s, MACH_PORT_RIGHT_SEND, &n), KERN_INVALID_VALUE);
    tspace_done(s);
    IPC_TEST_END();
}

KTEST(ipc, names_lists_every_right_with_its_type)
{
    IPC_TEST_BEGIN();
    struct ipc_space *s = ipc_space_create();
    mach_port_name_t r, set, *names;
    mach_port_type_t *types;
    mach_msg_type_number_t nn, nt;
    bool seen_r = false, seen_set = false;

    KT_ASSERT(s != NULL);
    r = tport(s);
    KT_EQ(mach_port_allocate(s, MACH_PORT_RIGHT_PORT_SET, &set), KERN_SUCCESS);
    KT_EQ(mach_port_names(s, &names, &nn, &types, &nt), KERN_SUCCESS);
    KT_EQ(nn, 2);
    KT_EQ(nt, 2);
    for (unsigned i = 0; i < nn; i++) {
        seen_r |= names[i] == r && types[i] == MACH_PORT_TYPE_RECEIVE;
        seen_set |= names[i] == set && types[i] == MACH_PORT_TYPE_PORT_SET;
    }
    kfree(names, nn * sizeof(*names));
    kfree(types, nt * sizeof(*types));
    KT_ASSERT(seen_r && seen_set);
    tspace_done(s);
    IPC_TEST_END();
}

KTEST(ipc, rename_moves_the_rights_to_the_new_name)
{
    IPC_TEST_BEGIN();
    struct ipc_space *s = ipc_space_create();
    mach_port_name_t r = tport(s), other = tport(s);
    mach_port_status_t st;

    KT_EQ(mach_port_insert_right(s, r, IP_NULL, MACH_MSG_TYPE_MAKE_SEND), KERN_INVALID_VALUE);
    KT_EQ(mach_port_rename(s, r, other), KERN_NAME_EXISTS);
    KT_EQ(mach_port_rename(s, r, 0x4242), KERN_SUCCESS);
    KT_EQ(mach_port_type(s, r, &(mach_port_type_t){0}), KERN_INVALID_NAME);
    KT_EQ(ttype(s, 0x4242), MACH_PORT_TYPE_RECEIVE);
    KT_EQ(mach_port_get_receive_status(s, 0x4242, &st), KERN_SUCCESS);
    KT_EQ(st.mps_qlimit, MACH_PORT_QLIMIT_DEFAULT);
    tspace_done(s);
    IPC_TEST_END();
}

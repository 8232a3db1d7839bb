// SPDX-License-Identifier: MIT
//
// Rights: user-reference arithmetic and its limits, send and receive rights
// sharing a name, send-once rights with their own names, dead names after
// the port dies, and insert/extract.

#include "ipc_test.h"

KTEST(ipc, mod_refs_adds_and_removes_send_urefs)
{
    IPC_TEST_BEGIN();
    struct ipc_space *s = ipc_space_create();
    mach_port_name_t r = tport(s);

    KT_EQ(tgive(s, r, MACH_MSG_TYPE_MAKE_SEND, s), r); /* shares the receive's name */
    KT_EQ(ttype(s, r), MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE);
    KT_EQ(trefs(s, r, MACH_PORT_RIGHT_SEND), 1);
    KT_EQ(mach_port_mod_refs(s, r, MACH_PORT_RIGHT_SEND, 4), KERN_SUCCESS);
    KT_EQ(trefs(s, r, MACH_PORT_RIGHT_SEND), 5);
    KT_EQ(mach_port_mod_refs(s, r, MACH_PORT_RIGHT_SEND, -6), KERN_INVALID_VALUE);
    KT_EQ(trefs(s, r, MACH_PORT_RIGHT_SEND), 5);
    KT_EQ(mach_port_deallocate(s, r), KERN_SUCCESS);
    KT_EQ(trefs(s, r, MACH_PORT_RIGHT_SEND), 4);
    KT_EQ(mach_port_mod_refs(s, r, MACH_PORT_RIGHT_SEND, -4), KERN_SUCCESS);
    KT_EQ(ttype(s, r), MACH_PORT_TYPE_RECEIVE);
    KT_EQ(trefs(s, r, MACH_PORT_RIGHT_RECEIVE), 1);
    KT_EQ(mach_port_mod_refs(s, r, MACH_PORT_RIGHT_RECEIVE, 2), KERN_INVALID_VALUE);
    KT_EQ(mach_port_mod_refs(s, r, MACH_PORT_RIGHT_SEND_ONCE, -1), KERN_INVALID_RIGHT);
    KT_EQ(mach_port_mod_refs(s, r, MACH_PORT_RIGHT_NUMBER, 0), KERN_INVALID_VALUE);
    KT_EQ(mach_port_deallocate(s, r), KERN_INVALID_RIGHT); /* receive alone */
    KT_EQ(mach_port_mod_refs(s, r, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
    KT_EQ(mach_port_type(s, r, &(mach_port_type_t){0}), KERN_INVALID_NAME);
    tspace_done(s);
    IPC_TEST_END();
}

KTEST(ipc, urefs_overflow_returns_kern_urefs_overflow)
{
    IPC_TEST_BEGIN();
    struct ipc_space *s = ipc_space_create();
    mach_port_name_t r = tport(s);

    KT_EQ(tgive(s, r, MACH_MSG_TYPE_MAKE_SEND, s), r);
    KT_EQ(mach_port_mod_refs(s, r, MACH_PORT_RIGHT_SEND, MACH_PORT_UREFS_MAX - 1), KERN_SUCCESS);
    KT_EQ(trefs(s, r, MACH_PORT_RIGHT_SEND), MACH_PORT_UREFS_MAX);
    KT_EQ(mach_port_mod_refs(s, r, MACH_PORT_RIGHT_SEND, 1), KERN_UREFS_OVERFLOW);
    KT_EQ(trefs(s, r, MACH_PORT_RIGHT_SEND), MACH_PORT_UREFS_MAX);
    /* A copied-out send right that would overflow is refused too. */
    KT_EQ(tgive(s, r, MACH_MSG_TYPE_MAKE_SEND, s), MACH_PORT_NULL);
    tspace_done(s);
    IPC_TEST_END();
}

KTEST(ipc, send_once_rights_get_their_own_names)
{
    IPC_TEST_BEGIN();
    struct ipc_space *s = ipc_space_create(), *t = ipc_space_create();
    mach_port_name_t r = tport(s);
    mach_port_name_t so1 = tgive(s, r, MACH_MSG_TYPE_MAKE_SEND_ONCE, t);
    mach_port_name_t so2 = tgive(s, r, MACH_MSG_TYPE_MAKE_SEND_ONCE, t);
    mach_port_name_t snd = tgive(s, r, MACH_MSG_TYPE_MAKE_SEND, t);
    mach_port_name_t snd2 = tgive(s, r, MACH_MSG_TYPE_MAKE_SEND, t);
    mach_port_status_t st;

    KT_ASSERT(MACH_PORT_VALID(so1) && MACH_PORT_VALID(so2));
    KT_NE(so1, so2);
    KT_NE(so1, snd);
    KT_EQ(snd, snd2); /* send rights to one port share one name */
    KT_EQ(trefs(t, snd, MACH_PORT_RIGHT_SEND), 2);
    KT_EQ(ttype(t, so1), MACH_PORT_TYPE_SEND_ONCE);
    KT_EQ(trefs(t, so1, MACH_PORT_RIGHT_SEND_ONCE), 1);
    KT_EQ(mach_port_mod_refs(t, so1, MACH_PORT_RIGHT_SEND_ONCE, 1), KERN_INVALID_VALUE);
    KT_EQ(mach_port_get_receive_status(s, r, &st), KERN_SUCCESS);
    KT_EQ(st.mps_sorights, 2);
    KT_EQ(st.mps_mscount, 2);
    KT_EQ(st.mps_srights, TRUE);
    tspace_done(t);
    tspace_done(s);
    IPC_TEST_END();
}

KTEST(ipc, send_rights_become_dead_names_when_the_port_dies)
{
    IPC_TEST_BEGIN();
    struct ipc_space *s = ipc_space_create(), *t = ipc_space_create();
    mach_port_name_t r = tport(s);
    mach_port_name_t snd = tgive(s, r, MACH_MSG_TYPE_MAKE_SEND, t);
    mach_port_name_t so = tgive(s, r, MACH_MSG_TYPE_MAKE_SEND_ONCE, t);
    struct tmsg m;

    KT_EQ(mach_port_mod_refs(t, snd, MACH_PORT_RIGHT_SEND, 2), KERN_SUCCESS);
    KT_EQ(mach_port_destroy(s, r), KERN_SUCCESS);
    KT_EQ(ttype(t, snd), MACH_PORT_TYPE_DEAD_NAME);
    KT_EQ(trefs(t, snd, MACH_PORT_RIGHT_DEAD_NAME), 3); /* urefs kept */
    KT_EQ(ttype(t, so), MACH_PORT_TYPE_DEAD_NAME);
    KT_EQ(trefs(t, so, MACH_PORT_RIGHT_DEAD_NAME), 1);
    tmsg_init(&m.h, sizeof(m), snd, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1);
    KT_EQ(tsend(t, &m, sizeof(m)), MACH_SEND_INVALID_DEST);
    KT_EQ(mach_port_mod_refs(t, snd, MACH_PORT_RIGHT_DEAD_NAME, -3), KERN_SUCCESS);
    KT_EQ(mach_port_type(t, snd, &(mach_port_type_t){0}), KERN_INVALID_NAME);
    KT_EQ(mach_port_deallocate(t, so), KERN_SUCCESS);
    KT_EQ(mach_port_type(t, so, &(mach_port_type_t){0}), KERN_INVALID_NAME);
    tspace_done(t);
    tspace_done(s);
    IPC_TEST_END();
}

KTEST(ipc, insert_right_checks_names_and_existing_rights)
{
    IPC_TEST_BEGIN();
    struct ipc_space *s = ipc_space_create(), *t = ipc_space_create();
    mach_port_name_t r = tport(s), r2 = tport(s), other = tport(t);
    struct ipc_port *p, *p2;
    mach_msg_type_name_t type;

    KT_EQ(mach_port_extract_right(s, r, MACH_MSG_TYPE_MAKE_SEND, &p, &type), KERN_SUCCESS);
    KT_EQ(type, MACH_MSG_TYPE_PORT_SEND);
    KT_EQ(mach_port_insert_right(t, other, p, type), KERN_NAME_EXISTS);
    KT_EQ(mach_port_insert_right(t, 0x5000, p, type), KERN_SUCCESS);
    KT_EQ(mach_port_extract_right(s, r, MACH_MSG_TYPE_MAKE_SEND, &p, &type), KERN_SUCCESS);
    KT_EQ(mach_port_insert_right(t, 0x6000, p, type), KERN_RIGHT_EXISTS);
    KT_EQ(mach_port_insert_right(t, 0x5000, p, type), KERN_SUCCESS); /* one more uref */
    KT_EQ(trefs(t, 0x5000, MACH_PORT_RIGHT_SEND), 2);
    KT_EQ(mach_port_extract_right(s, r2, MACH_MSG_TYPE_MOVE_RECEIVE, &p2, &type), KERN_SUCCESS);
    KT_EQ(type, MACH_MSG_TYPE_PORT_RECEIVE);
    KT_EQ(mach_port_type(s, r2, &(mach_port_type_t){0}), KERN_INVALID_NAME);
    KT_EQ(mach_port_insert_right(t, 0x7000, p2, type), KERN_SUCCESS);
    KT_EQ(ttype(t, 0x7000), MACH_PORT_TYPE_RECEIVE);
    KT_EQ(mach_port_extract_right(s, r, MACH_MSG_TYPE_MOVE_SEND, &p, &type), KERN_INVALID_RIGHT);
    tspace_done(t);
    tspace_done(s);
    IPC_TEST_END();
}

// SPDX-License-Identifier: MIT
//
// Notifications: no-senders with the make-send count, dead-name with its
// extra uref (and at once, with sync, on a name already dead),
// port-destroyed carrying the receive right back, port-deleted when a name
// with a request goes away, and send-once for an unused send-once right.

#include "ipc_test.h"

// Registers `id` on `name` in `s`, to be sent to the receive right `to`.
static kern_return_t
request(struct ipc_space *s, mach_port_name_t name, mach_msg_id_t id, mach_port_mscount_t sync,
        mach_port_name_t to, struct ipc_port **prev)
{
    struct ipc_port *so;
    mach_msg_type_name_t type;
    kern_return_t kr;

    if (mach_port_extract_right(s, to, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &type) != KERN_SUCCESS)
        return KERN_FAILURE;
    kr = mach_port_request_notification(s, name, id, sync, so, prev);
    if (kr != KERN_SUCCESS)
        ipc_kmsg_destroy_right(so, type);
    ipc_defer_run();
    return kr;
}

KTEST(ipc, notify_no_senders_after_last_send_right_with_mscount)
{
    IPC_TEST_BEGIN();
    struct ipc_space *a = ipc_space_create(), *b = ipc_space_create();
    mach_port_name_t r = tport(a), n = tport(a);
    mach_port_name_t s1 = tgive(a, r, MACH_MSG_TYPE_MAKE_SEND, b);
    struct ipc_port *prev = IP_DEAD;
    struct tbuf buf;

    KT_EQ(tgive(a, r, MACH_MSG_TYPE_MAKE_SEND, b), s1);
    KT_EQ(request(a, r, MACH_NOTIFY_NO_SENDERS, 0, n, &prev), KERN_SUCCESS);
    KT_EQ(prev, IP_NULL);
    KT_EQ(mach_port_deallocate(b, s1), KERN_SUCCESS);
    KT_EQ(trecv(a, n, &buf, 0), MACH_RCV_TIMED_OUT); /* one uref left */
    KT_EQ(mach_port_deallocate(b, s1), KERN_SUCCESS);
    KT_EQ(trecv(a, n, &buf, 0), MACH_MSG_SUCCESS);
    KT_EQ(buf.h.uh_id, MACH_NOTIFY_NO_SENDERS);
    KT_EQ(buf.n.name, 2); /* the make-send count */
    KT_EQ(MACH_MSGH_BITS_LOCAL(buf.h.uh_bits), MACH_MSG_TYPE_PORT_SEND_ONCE);
    /* Already no senders and mscount >= sync: at once. */
    KT_EQ(request(a, r, MACH_NOTIFY_NO_SENDERS, 2, n, &prev), KERN_SUCCESS);
    KT_EQ(trecv(a, n, &buf, 0), MACH_MSG_SUCCESS);
    KT_EQ(buf.h.uh_id, MACH_NOTIFY_NO_SENDERS);
    /* mscount < sync: registered, not sent. */
    KT_EQ(request(a, r, MACH_NOTIFY_NO_SENDERS, 3, n, &prev), KERN_SUCCESS);
    KT_EQ(trecv(a, n, &buf, 0), MACH_RCV_TIMED_OUT);
    KT_EQ(request(a, n, MACH_NOTIFY_NO_SENDERS + 100, 0, n, &prev), KERN_INVALID_VALUE);
    tspace_done(b);
    tspace_done(a);
    IPC_TEST_END();
}

KTEST(ipc, notify_dead_name_adds_a_uref_and_fires_at_once_when_dead)
{
    IPC_TEST_BEGIN();
    struct ipc_space *a = ipc_space_create(), *b = ipc_space_create();
    mach_port_name_t r = tport(a), n = tport(b);
    mach_port_name_t s = tgive(a, r, MACH_MSG_TYPE_MAKE_SEND, b);
    struct ipc_port *prev;
    struct tbuf buf;

    KT_EQ(request(b, s, MACH_NOTIFY_DEAD_NAME, 0, n, &prev), KERN_SUCCESS);
    KT_EQ(prev, IP_NULL);
    KT_EQ(mach_port_mod_refs(a, r, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
    KT_EQ(trecv(b, n, &buf, 0), MACH_MSG_SUCCESS);
    KT_EQ(buf.h.uh_id, MACH_NOTIFY_DEAD_NAME);
    KT_EQ(buf.n.name, s);
    KT_EQ(ttype(b, s), MACH_PORT_TYPE_DEAD_NAME);
    KT_EQ(trefs(b, s, MACH_PORT_RIGHT_DEAD_NAME), 2);
    KT_EQ(request(b, s, MACH_NOTIFY_DEAD_NAME, 0, n, &prev), KERN_INVALID_RIGHT);
    KT_EQ(trecv(b, n, &buf, 0), MACH_MSG_SUCCESS); /* the unused send-once right */
    KT_EQ(buf.h.uh_id, MACH_NOTIFY_SEND_ONCE);
    KT_EQ(request(b, s, MACH_NOTIFY_DEAD_NAME, 1, n, &prev), KERN_SUCCESS);
    KT_EQ(trecv(b, n, &buf, 0), MACH_MSG_SUCCESS);
    KT_EQ(buf.h.uh_id, MACH_NOTIFY_DEAD_NAME);
    KT_EQ(trefs(b, s, MACH_PORT_RIGHT_DEAD_NAME), 3);
    tspace_done(b);
    tspace_done(a);
    IPC_TEST_END();
}

KTEST(ipc, notify_port_deleted_when_the_requested_name_goes_away)
{
    IPC_TEST_BEGIN();
    struct ipc_space *a = ipc_space_create(), *b = ipc_space_create();
    mach_port_name_t r = tport(a), n = tport(b);
    mach_port_name_t so = tgive(a, r, MACH_MSG_TYPE_MAKE_SEND_ONCE, b);
    struct ipc_port *prev;
    struct tbuf buf;

    KT_EQ(request(b, so, MACH_NOTIFY_DEAD_NAME, 0, n, &prev), KERN_SUCCESS);
    KT_EQ(mach_port_deallocate(b, so), KERN_SUCCESS);
    KT_EQ(trecv(b, n, &buf, 0), MACH_MSG_SUCCESS);
    KT_EQ(buf.h.uh_id, MACH_NOTIFY_PORT_DELETED);
    KT_EQ(buf.n.name, so);
    /* The send-once right, destroyed unused, became a send-once notification. */
    KT_EQ(trecv(a, r, &buf, 0), MACH_MSG_SUCCESS);
    KT_EQ(buf.h.uh_id, MACH_NOTIFY_SEND_ONCE);
    KT_EQ(buf.h.uh_size, sizeof(struct ipc_user_header));
    tspace_done(b);
    tspace_done(a);
    IPC_TEST_END();
}

KTEST(ipc, notify_port_destroyed_carries_the_receive_right_back)
{
    IPC_TEST_BEGIN();
    struct ipc_space *a = ipc_space_create(), *b = ipc_space_create();
    mach_port_name_t r = tport(a), n = tport(b);
    mach_port_name_t s = tgive(a, r, MACH_MSG_TYPE_MAKE_SEND, b);
    mach_port_name_t nsend = tgive(b, n, MACH_MSG_TYPE_MAKE_SEND, a);
    struct tmsg_port *np;
    struct ipc_port *so, *prev;
    mach_msg_type_name_t type;
    struct tmsg m;
    struct tbuf buf;

    (void)nsend;
    KT_EQ(mach_port_extract_right(b, n, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &type), KERN_SUCCESS);
    KT_EQ(mach_port_request_notification(a, r, MACH_NOTIFY_PORT_DESTROYED, 1, so, &prev),
          KERN_INVALID_VALUE);
    KT_EQ(mach_port_request_notification(a, r, MACH_NOTIFY_PORT_DESTROYED, 0, so, &prev),
          KERN_SUCCESS);
    tmsg_init(&m.h, sizeof(m), s, MACH_MSG_TYPE_COPY_SEND, 0, 0, 77);
    KT_EQ(tsend(b, &m, sizeof(m)), MACH_MSG_SUCCESS); /* queued on r */
    KT_EQ(mach_port_destroy(a, r), KERN_SUCCESS);
    KT_EQ(ttype(b, s), MACH_PORT_TYPE_SEND); /* the port lives on */
    KT_EQ(trecv(b, n, &buf, 0), MACH_MSG_SUCCESS);
    np = (struct tmsg_port *)&buf;
    KT_EQ(np->h.uh_id, MACH_NOTIFY_PORT_DESTROYED);
    KT_ASSERT(np->h.uh_bits & MACH_MSGH_BITS_COMPLEX);
    KT_EQ(np->port.upd_disposition, MACH_MSG_TYPE_PORT_RECEIVE);
    KT_EQ(np->port.upd_name, s); /* joins b's send right under one name */
    KT_EQ(ttype(b, s), MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE);
    KT_EQ(trecv(b, s, &buf, 0), MACH_MSG_SUCCESS); /* its queue came along */
    KT_EQ(buf.h.uh_id, 77);
    tspace_done(b);
    tspace_done(a);
    IPC_TEST_END();
}

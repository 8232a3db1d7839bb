// SPDX-License-Identifier: MIT
//
// Messages between two spaces, through mach_msg on kernel buffers: every
// disposition in the header and in descriptors, out-of-line memory and
// port arrays, decode-then-commit (a bad message changes nothing), the
// precise send errors, queue limits, RCV_LARGE / RCV_TOO_LARGE, trailers
// and sequence numbers, receive timeouts, and destruction of queued
// messages with everything they carry.

#include "ipc_test.h"
#include <ipc/ipc_ool.h>
#include <ipc/ipc_pset.h>

#pragma pack(push, 4)
struct tmsg_all {
    struct ipc_user_header h;
    mach_msg_body_t body;
    struct ipc_user_port_desc p[6];
    mach_msg_ool_descriptor_t ool;
    mach_msg_ool_ports_descriptor_t ports;
    uint64_t data;
};
#pragma pack(pop)

static void
port_desc(struct ipc_user_port_desc *d, mach_port_name_t name, mach_msg_type_name_t disp)
{
    d->upd_name = name;
    d->upd_pad1 = 0;
    d->upd_pad2 = 0;
    d->upd_disposition = disp;
    d->upd_type = MACH_MSG_PORT_DESCRIPTOR;
}

KTEST(ipc, kmsg_every_disposition_moves_the_right_it_names)
{
    IPC_TEST_BEGIN();
    struct ipc_space *a = ipc_space_create(), *b = ipc_space_create();
    mach_port_name_t dest_b = tport(b);
    mach_port_name_t dest = tgive(b, dest_b, MACH_MSG_TYPE_MAKE_SEND, a);
    mach_port_name_t reply = tport(a), mr_ = tport(a), ms = tport(a), cs = tport(a);
    mach_port_name_t mk = tport(a), mko = tport(a), mso_port = tport(b);
    mach_port_name_t mso = tgive(b, mso_port, MACH_MSG_TYPE_MAKE_SEND_ONCE, a);
    mach_port_name_t arr[2] = {tport(a), tport(a)};
    static char ool[100];
    static struct tbuf buf;
    struct tmsg_all m;
    struct tmsg_all *r = (struct tmsg_all *)&buf;

    for (int i = 0; i < 100; i++)
        ool[i] = (char)i;
    KT_EQ(tgive(a, ms, MACH_MSG_TYPE_MAKE_SEND, a), ms);
    KT_EQ(tgive(a, cs, MACH_MSG_TYPE_MAKE_SEND, a), cs);
    tmsg_init(&m.h, sizeof(m), dest, MACH_MSG_TYPE_COPY_SEND, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE,
              100);
    m.h.uh_bits |= MACH_MSGH_BITS_COMPLEX;
    m.body.msgh_descriptor_count = 8;
    port_desc(&m.p[0], mr_, MACH_MSG_TYPE_MOVE_RECEIVE);
    port_desc(&m.p[1], ms, MACH_MSG_TYPE_MOVE_SEND);
    port_desc(&m.p[2], cs, MACH_MSG_TYPE_COPY_SEND);
    port_desc(&m.p[3], mk, MACH_MSG_TYPE_MAKE_SEND);
    port_desc(&m.p[4], mko, MACH_MSG_TYPE_MAKE_SEND_ONCE);
    port_desc(&m.p[5], mso, MACH_MSG_TYPE_MOVE_SEND_ONCE);
    m.ool = (mach_msg_ool_descriptor_t){.address = ool,
                                        .size = sizeof(ool),
                                        .copy = MACH_MSG_PHYSICAL_COPY,
                                        .type = MACH_MSG_OOL_DESCRIPTOR};
    m.ports = (mach_msg_ool_ports_descriptor_t){.address = arr,
                                                .count = 2,
                                                .disposition = MACH_MSG_TYPE_MAKE_SEND,
                                                .type = MACH_MSG_OOL_PORTS_DESCRIPTOR};
    m.data = 0x1122334455667788ull;
    KT_EQ(tsend(a, &m, sizeof(m)), MACH_MSG_SUCCESS);

    /* The sender lost what it moved and kept the rest. */
    KT_EQ(mach_port_type(a, mr_, &(mach_port_type_t){0}), KERN_INVALID_NAME);
    KT_EQ(ttype(a, ms), MACH_PORT_TYPE_RECEIVE);
    KT_EQ(ttype(a, cs), MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE);
    KT_EQ(mach_port_type(a, mso, &(mach_port_type_t){0}), KERN_INVALID_NAME);
    KT_EQ(trefs(a, dest, MACH_PORT_RIGHT_SEND), 1);

    KT_EQ(trecv(b, dest_b, &buf, 0), MACH_MSG_SUCCESS);
    KT_EQ(r->h.uh_size, sizeof(m));
    KT_EQ(r->h.uh_id, 100);
    KT_EQ(r->h.uh_local, dest_b);
    KT_EQ(MACH_MSGH_BITS_REMOTE(r->h.uh_bits), MACH_MSG_TYPE_PORT_SEND_ONCE);
    KT_EQ(MACH_MSGH_BITS_LOCAL(r->h.uh_bits), MACH_MSG_TYPE_PORT_SEND);
    KT_ASSERT(r->h.uh_bits & MACH_MSGH_BITS_COMPLEX);
    KT_EQ(ttype(b, r->h.uh_remote), MACH_PORT_TYPE_SEND_ONCE);
    KT_EQ(ttype(b, r->p[0].upd_name), MACH_PORT_TYPE_RECEIVE);
    KT_EQ(r->p[0].upd_disposition, MACH_MSG_TYPE_PORT_RECEIVE);
    for (int i = 1; i <= 3; i++) {
        KT_EQ(r->p[i].upd_disposition, MACH_MSG_TYPE_PORT_SEND);
        KT_EQ(ttype(b, r->p[i].upd_name), MACH_PORT_TYPE_SEND);
    }
    KT_EQ(r->p[4].upd_disposition, MACH_MSG_TYPE_PORT_SEND_ONCE);
    KT_EQ(ttype(b, r->p[4].upd_name), MACH_PORT_TYPE_SEND_ONCE);
    /* The send-once right came home: it shares no name with the receive right. */
    KT_EQ(r->p[5].upd_disposition, MACH_MSG_TYPE_PORT_SEND_ONCE);
    KT_NE(r->p[5].upd_name, mso_port);
    KT_EQ(ttype(b, r->p[5].upd_name), MACH_PORT_TYPE_SEND_ONCE);
    KT_EQ(r->ool.size, sizeof(ool));
    KT_ASSERT(r->ool.address != NULL && r->ool.address != ool);
    KT_EQ(memcmp(r->ool.address, ool, sizeof(ool)), 0);
    ipc_ool_discard(r->ool.address, r->ool.size);
    KT_EQ(r->ports.count, 2);
    mach_port_name_t *names = r->ports.address;
    KT_EQ(ttype(b, names[0]), MACH_PORT_TYPE_SEND);
    KT_EQ(ttype(b, names[1]), MACH_PORT_TYPE_SEND);
    ipc_ool_discard(names, 2 * sizeof(*names));
    KT_EQ(r->data, 0x1122334455667788ull);
    tspace_done(b);
    tspace_done(a);
    IPC_TEST_END();
}

KTEST(ipc, kmsg_bad_right_in_a_descriptor_moves_nothing)
{
    IPC_TEST_BEGIN();
    struct ipc_space *a = ipc_space_create(), *b = ipc_space_create();
    mach_port_name_t dest_b = tport(b);
    mach_port_name_t dest = tgive(b, dest_b, MACH_MSG_TYPE_MAKE_SEND, a);
    mach_port_name_t rcv = tport(a), snd = tport(a), so = tport(a);
    mach_port_name_t soname = tgive(a, so, MACH_MSG_TYPE_MAKE_SEND_ONCE, a);
    struct tmsg_all m;
    struct tbuf buf;

    KT_EQ(tgive(a, snd, MACH_MSG_TYPE_MAKE_SEND, a), snd);
    tmsg_init(&m.h, sizeof(m), dest, MACH_MSG_TYPE_MOVE_SEND, soname, MACH_MSG_TYPE_MOVE_SEND_ONCE,
              1);
    m.h.uh_bits |= MACH_MSGH_BITS_COMPLEX;
    m.body.msgh_descriptor_count = 3;
    port_desc(&m.p[0], rcv, MACH_MSG_TYPE_MOVE_RECEIVE);
    port_desc(&m.p[1], snd, MACH_MSG_TYPE_MOVE_SEND);
    port_desc(&m.p[2], snd, MACH_MSG_TYPE_MOVE_SEND); /* only one uref: the message fails */
    KT_EQ(tsend(a, &m, sizeof(m) - 2 * sizeof(m.p[0]) - 16), MACH_SEND_INVALID_RIGHT);
    KT_EQ(ttype(a, rcv), MACH_PORT_TYPE_RECEIVE);
    KT_EQ(trefs(a, snd, MACH_PORT_RIGHT_SEND), 1);
    KT_EQ(ttype(a, soname), MACH_PORT_TYPE_SEND_ONCE);
    KT_EQ(trefs(a, dest, MACH_PORT_RIGHT_SEND), 1);
    /* A bad type in the last descriptor also leaves everything in place. */
    port_desc(&m.p[2], snd, MACH_MSG_TYPE_COPY_RECEIVE);
    KT_EQ(tsend(a, &m, sizeof(m) - 2 * sizeof(m.p[0]) - 16), MACH_SEND_INVALID_TYPE);
    KT_EQ(ttype(a, rcv), MACH_PORT_TYPE_RECEIVE);
    KT_EQ(trefs(a, dest, MACH_PORT_RIGHT_SEND), 1);
    KT_EQ(trecv(b, dest_b, &buf, 0), MACH_RCV_TIMED_OUT);
    tspace_done(b);
    tspace_done(a);
    IPC_TEST_END();
}

KTEST(ipc, kmsg_bad_messages_return_precise_send_errors)
{
    IPC_TEST_BEGIN();
    struct ipc_space *a = ipc_space_create();
    mach_port_name_t r = tport(a), dead;
    static char unmapped_probe;
    struct tmsg m;
    struct tmsg_all c;

    (void)unmapped_probe;
    KT_EQ(mach_port_allocate(a, MACH_PORT_RIGHT_DEAD_NAME, &dead), KERN_SUCCESS);
    tmsg_init(&m.h, sizeof(m), r, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1);
    KT_EQ(tsend(a, &m, 20), MACH_SEND_MSG_TOO_SMALL);
    KT_EQ(tsend(a, &m, sizeof(m) - 2), MACH_SEND_MSG_TOO_SMALL);
    m.h.uh_remote = dead;
    m.h.uh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
    KT_EQ(tsend(a, &m, sizeof(m)), MACH_SEND_INVALID_DEST);
    m.h.uh_remote = 0x99999;
    KT_EQ(tsend(a, &m, sizeof(m)), MACH_SEND_INVALID_DEST);
    m.h.uh_remote = r;
    KT_EQ(tsend(a, &m, sizeof(m)), MACH_SEND_INVALID_DEST); /* receive right, no send */
    m.h.uh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_RECEIVE, 0);
    KT_EQ(tsend(a, &m, sizeof(m)), MACH_SEND_INVALID_HEADER);
    m.h.uh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MOVE_SEND);
    m.h.uh_local = r;
    KT_EQ(tsend(a, &m, sizeof(m)), MACH_SEND_INVALID_REPLY);
    m.h.uh_local = 0;
    m.h.uh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | 0x00400000;
    KT_EQ(tsend(a, &m, sizeof(m)), MACH_SEND_INVALID_HEADER);
    tmsg_init(&c.h, sizeof(c), r, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1);
    c.h.uh_bits |= MACH_MSGH_BITS_COMPLEX;
    c.body.msgh_descriptor_count = 100;
    KT_EQ(tsend(a, &c, sizeof(c)), MACH_SEND_MSG_TOO_SMALL);
    c.body.msgh_descriptor_count = 1;
    c.p[0].upd_type = 9;
    KT_EQ(tsend(a, &c, sizeof(c)), MACH_SEND_INVALID_TYPE);
    KT_EQ(ttype(a, r), MACH_PORT_TYPE_RECEIVE);
    tspace_done(a);
    IPC_TEST_END();
}

KTEST(ipc, kmsg_full_queue_times_out_and_gives_rights_back)
{
    IPC_TEST_BEGIN();
    struct ipc_space *a = ipc_space_create();
    mach_port_name_t r = tport(a), carried = tport(a);
    struct tmsg_port m;
    struct tbuf buf;

    KT_EQ(mach_port_set_qlimit(a, r, 2), KERN_SUCCESS);
    KT_EQ(mach_port_set_qlimit(a, r, MACH_PORT_QLIMIT_MAX + 1), KERN_INVALID_VALUE);
    for (int i = 0; i < 2; i++) {
        tmsg_init(&m.h, sizeof(m), r, MACH_MSG_TYPE_MAKE_SEND, 0, 0, i);
        KT_EQ(tsend(a, &m, sizeof(m)), MACH_MSG_SUCCESS);
    }
    tmsg_init(&m.h, sizeof(m), r, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 2);
    m.h.uh_bits |= MACH_MSGH_BITS_COMPLEX;
    m.body.msgh_descriptor_count = 1;
    port_desc(&m.port, carried, MACH_MSG_TYPE_MOVE_RECEIVE);
    KT_EQ(tsend(a, &m, sizeof(m)), MACH_SEND_TIMED_OUT);
    /* The receive right came back to the sender, named in the returned message. */
    KT_EQ(ttype(a, m.port.upd_name), MACH_PORT_TYPE_RECEIVE);
    /* A send-once message is accepted even when the queue is full. */
    tmsg_init(&m.h, sizeof(struct tmsg), r, MACH_MSG_TYPE_MAKE_SEND_ONCE, 0, 0, 3);
    KT_EQ(tsend(a, &m, sizeof(struct tmsg)), MACH_MSG_SUCCESS);
    for (int i = 0; i < 2; i++) {
        KT_EQ(trecv(a, r, &buf, 0), MACH_MSG_SUCCESS);
        KT_EQ(buf.h.uh_id, i);
    }
    KT_EQ(trecv(a, r, &buf, 0), MACH_MSG_SUCCESS);
    KT_EQ(buf.h.uh_id, 3);
    KT_EQ(trecv(a, r, &buf, 0), MACH_RCV_TIMED_OUT);
    tspace_done(a);
    IPC_TEST_END();
}

KTEST(ipc, kmsg_rcv_large_keeps_message_queued_and_too_large_destroys_it)
{
    IPC_TEST_BEGIN();
    struct ipc_space *a = ipc_space_create();
    mach_port_name_t r = tport(a), carried = tport(a);
    struct tmsg_port m;
    struct tbuf buf;

    tmsg_init(&m.h, sizeof(m), r, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 7);
    m.h.uh_bits |= MACH_MSGH_BITS_COMPLEX;
    m.body.msgh_descriptor_count = 1;
    port_desc(&m.port, carried, MACH_MSG_TYPE_MOVE_RECEIVE);
    KT_EQ(tsend(a, &m, sizeof(m)), MACH_MSG_SUCCESS);
    memset(&buf, 0, sizeof(buf));
    KT_EQ(mach_msg_kernel_buffers(a, &buf, MACH_RCV_MSG | MACH_RCV_TIMEOUT | MACH_RCV_LARGE, 0,
                                  sizeof(struct ipc_user_header), r, 0),
          MACH_RCV_TOO_LARGE);
    KT_EQ(buf.h.uh_size, sizeof(m));
    KT_EQ(mach_msg_kernel_buffers(a, &buf,
                                  MACH_RCV_MSG | MACH_RCV_TIMEOUT | MACH_RCV_LARGE |
                                      MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO),
                                  0, sizeof(m), r, 0),
          MACH_RCV_TOO_LARGE);
    KT_EQ(buf.h.uh_size, sizeof(m) + sizeof(mach_msg_seqno_trailer_t));
    /* Without RCV_LARGE the message is destroyed, with the right it carried. */
    KT_EQ(mach_msg_kernel_buffers(a, &buf, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, 40, r, 0),
          MACH_RCV_TOO_LARGE);
    KT_EQ(trecv(a, r, &buf, 0), MACH_RCV_TIMED_OUT);
    tspace_done(a);
    IPC_TEST_END();
}

KTEST(ipc, kmsg_seqno_trailer_only_when_asked_and_set_seqno)
{
    IPC_TEST_BEGIN();
    struct ipc_space *a = ipc_space_create();
    mach_port_name_t r = tport(a);
    struct tmsg m;
    struct tbuf buf;
    mach_msg_seqno_trailer_t t;

    for (int i = 0; i < 3; i++) {
        tmsg_init(&m.h, sizeof(m), r, MACH_MSG_TYPE_MAKE_SEND, 0, 0, i);
        KT_EQ(tsend(a, &m, sizeof(m)), MACH_MSG_SUCCESS);
    }
    KT_EQ(trecv(a, r, &buf, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO)), MACH_MSG_SUCCESS);
    memcpy(&t, buf.bytes + sizeof(m), sizeof(t));
    KT_EQ(t.msgh_trailer_type, MACH_MSG_TRAILER_FORMAT_0);
    KT_EQ(t.msgh_trailer_size, sizeof(t));
    KT_EQ(t.msgh_seqno, 0);
    KT_EQ(mach_port_set_seqno(a, r, 40), KERN_SUCCESS);
    KT_EQ(trecv(a, r, &buf, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO)), MACH_MSG_SUCCESS);
    memcpy(&t, buf.bytes + sizeof(m), sizeof(t));
    KT_EQ(t.msgh_seqno, 40);
    KT_EQ(trecv(a, r, &buf, 0), MACH_MSG_SUCCESS);
    KT_EQ(*(uint32_t *)(buf.bytes + sizeof(m)), 0); /* no trailer written */
    KT_EQ(trecv(a, r, &buf, MACH_RCV_TRAILER_TYPE(1)), MACH_RCV_INVALID_TRAILER);
    tspace_done(a);
    IPC_TEST_END();
}

KTEST(ipc, kmsg_finite_receive_timeout_times_out)
{
    IPC_TEST_BEGIN();
    struct ipc_space *a = ipc_space_create();
    mach_port_name_t r = tport(a);
    struct tbuf buf;

    KT_EQ(mach_msg_kernel_buffers(a, &buf, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(buf), r, 20),
          MACH_RCV_TIMED_OUT);
    KT_EQ(mach_msg_kernel_buffers(a, &buf, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(buf), 0x77777,
                                  0),
          MACH_RCV_INVALID_NAME);
    tspace_done(a);
    IPC_TEST_END();
}

KTEST(ipc, kmsg_queued_messages_die_with_their_port_and_release_rights)
{
    IPC_TEST_BEGIN();
    struct ipc_space *a = ipc_space_create(), *b = ipc_space_create();
    mach_port_name_t r = tport(b);
    mach_port_name_t dest = tgive(b, r, MACH_MSG_TYPE_MAKE_SEND, a);
    mach_port_name_t carried = tport(a), reply = tport(a);
    mach_port_name_t csend = tgive(a, carried, MACH_MSG_TYPE_MAKE_SEND, a);
    struct tmsg_port m;
    struct tbuf buf;

    KT_EQ(csend, carried);
    tmsg_init(&m.h, sizeof(m), dest, MACH_MSG_TYPE_COPY_SEND, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE,
              5);
    m.h.uh_bits |= MACH_MSGH_BITS_COMPLEX;
    m.body.msgh_descriptor_count = 1;
    port_desc(&m.port, carried, MACH_MSG_TYPE_MOVE_RECEIVE);
    KT_EQ(tsend(a, &m, sizeof(m)), MACH_MSG_SUCCESS);
    KT_EQ(ttype(a, carried), MACH_PORT_TYPE_SEND);
    KT_EQ(mach_port_destroy(b, r), KERN_SUCCESS);
    /* The queued message died: its receive right with it (a's send right is
     * now a dead name), and its reply right as a send-once notification. */
    KT_EQ(ttype(a, carried), MACH_PORT_TYPE_DEAD_NAME);
    KT_EQ(trecv(a, reply, &buf, 0), MACH_MSG_SUCCESS);
    KT_EQ(buf.h.uh_id, MACH_NOTIFY_SEND_ONCE);
    tspace_done(b);
    tspace_done(a);
    IPC_TEST_END();
}

KTEST(ipc, kmsg_receive_right_sent_to_itself_is_destroyed)
{
    IPC_TEST_BEGIN();
    struct ipc_space *a = ipc_space_create();
    mach_port_name_t r = tport(a);
    struct tmsg_port m;

    tmsg_init(&m.h, sizeof(m), r, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1);
    m.h.uh_bits |= MACH_MSGH_BITS_COMPLEX;
    m.body.msgh_descriptor_count = 1;
    port_desc(&m.port, r, MACH_MSG_TYPE_MOVE_RECEIVE);
    /* Used (MAKE_SEND in the header), then moved: allowed, as rights are
     * copied in in order; the message carries r's receive right into r's
     * own queue, so it is destroyed and r dies. */
    KT_EQ(tsend(a, &m, sizeof(m)), MACH_MSG_SUCCESS);
    KT_EQ(ttype(a, r), 0);
    r = tport(a);
    tmsg_init(&m.h, sizeof(m), r, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1);
    KT_EQ(tgive(a, r, MACH_MSG_TYPE_MAKE_SEND, a), r);
    m.h.uh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
    m.body.msgh_descriptor_count = 1;
    port_desc(&m.port, r, MACH_MSG_TYPE_MOVE_RECEIVE);
    KT_EQ(tsend(a, &m, sizeof(m)), MACH_MSG_SUCCESS);
    KT_EQ(ttype(a, r), MACH_PORT_TYPE_DEAD_NAME);
    tspace_done(a);
    IPC_TEST_END();
}

KTEST(ipc, pset_receives_from_any_member_in_arrival_order)
{
    IPC_TEST_BEGIN();
    struct ipc_space *a = ipc_space_create();
    mach_port_name_t p1 = tport(a), p2 = tport(a), set, *members;
    mach_msg_type_number_t n;
    mach_port_status_t st;
    struct tmsg m;
    struct tbuf buf;

    KT_EQ(mach_port_allocate(a, MACH_PORT_RIGHT_PORT_SET, &set), KERN_SUCCESS);
    tmsg_init(&m.h, sizeof(m), p1, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1);
    KT_EQ(tsend(a, &m, sizeof(m)), MACH_MSG_SUCCESS); /* queued before joining */
    KT_EQ(mach_port_move_member(a, p1, set), KERN_SUCCESS);
    KT_EQ(mach_port_move_member(a, p2, set), KERN_SUCCESS);
    KT_EQ(mach_port_move_member(a, set, set), KERN_INVALID_RIGHT);
    tmsg_init(&m.h, sizeof(m), p2, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 2);
    KT_EQ(tsend(a, &m, sizeof(m)), MACH_MSG_SUCCESS);
    KT_EQ(mach_port_get_set_status(a, set, &members, &n), KERN_SUCCESS);
    KT_EQ(n, 2);
    KT_ASSERT((members[0] == p1 && members[1] == p2) || (members[0] == p2 && members[1] == p1));
    kfree(members, n * sizeof(*members));
    KT_EQ(mach_port_get_receive_status(a, p1, &st), KERN_SUCCESS);
    KT_EQ(st.mps_pset, set);
    KT_EQ(trecv(a, p1, &buf, 0), MACH_RCV_IN_SET);
    KT_EQ(trecv(a, set, &buf, 0), MACH_MSG_SUCCESS);
    KT_EQ(buf.h.uh_id, 1);
    KT_EQ(buf.h.uh_local, p1);
    KT_EQ(trecv(a, set, &buf, 0), MACH_MSG_SUCCESS);
    KT_EQ(buf.h.uh_id, 2);
    KT_EQ(buf.h.uh_local, p2);
    KT_EQ(mach_port_move_member(a, p1, MACH_PORT_NULL), KERN_SUCCESS);
    KT_EQ(mach_port_move_member(a, p1, MACH_PORT_NULL), KERN_NOT_IN_SET);
    tmsg_init(&m.h, sizeof(m), p1, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 3);
    KT_EQ(tsend(a, &m, sizeof(m)), MACH_MSG_SUCCESS);
    KT_EQ(trecv(a, set, &buf, 0), MACH_RCV_TIMED_OUT);
    KT_EQ(trecv(a, p1, &buf, 0), MACH_MSG_SUCCESS);
    KT_EQ(mach_port_destroy(a, set), KERN_SUCCESS);
    KT_EQ(mach_port_get_receive_status(a, p2, &st), KERN_SUCCESS);
    KT_EQ(st.mps_pset, MACH_PORT_NULL);
    tspace_done(a);
    IPC_TEST_END();
}

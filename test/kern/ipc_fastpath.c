// SPDX-License-Identifier: MIT
//
// The RPC fast path (kern/ipc/mach_msg_fast.c): a client space and a
// server space, each driven by a kernel thread through mach_msg on kernel
// buffers.  A simple RPC to a server thread blocked in receive is handed
// over (the hit counter moves), a complex message is not, a receiver whose
// buffer is too small gets MACH_RCV_TOO_LARGE as on the slow path, and the
// same exchange gives byte-identical messages with the fast path on and
// off.  With the fast path off (`ipc_fastpath=0`, or a kernel built
// without QUAY_IPC_FASTPATH) the tests check that it is never taken.

#include "ipc_test.h"
#include <ipc/mach_msg_fast.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_entry.h>
#include <kern/sched.h>
#include <kern/thread.h>

#define STOP_ID 999
#define ROUNDS  20

/* A server thread: receives on `service` in `space`, answers each request
 * on its send-once right (id + 100, data * 3 + 1) with SEND|RCV, and keeps
 * the last request it got. */
struct server {
    struct ipc_space *space;
    mach_port_name_t service;
    mach_msg_option_t extra; /* receive options (trailer) */
    mach_msg_size_t rcv_size;
    struct tbuf last;
    mach_msg_return_t mr;
};

static void
server_main(void *arg)
{
    struct server *s = arg;
    struct tbuf buf;
    struct tmsg *m = (struct tmsg *)&buf;
    mach_msg_option_t option = MACH_RCV_MSG | s->extra;
    mach_msg_size_t send_size = 0;

    memset(&buf, 0, sizeof(buf)); /* runs compare what lies past the message too */
    for (;;) {
        s->mr =
            mach_msg_kernel_buffers(s->space, &buf, option, send_size, s->rcv_size, s->service, 0);
        if (s->mr != MACH_MSG_SUCCESS)
            return;
        s->last = buf;
        if (m->h.uh_id == STOP_ID)
            return;
        m->h.uh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
        m->h.uh_local = MACH_PORT_NULL;
        m->h.uh_size = sizeof(*m);
        m->h.uh_id += 100;
        m->data[0] = m->data[0] * 3 + 1;
        option = MACH_SEND_MSG | MACH_RCV_MSG | s->extra;
        send_size = sizeof(*m);
    }
}

// Waits (up to 1 s) until a thread is blocked receiving on `name`.
static bool
receiver_waits(struct ipc_space *space, mach_port_name_t name)
{
    for (int i = 0; i < 1000; i++) {
        ipc_space_lock(space);
        struct ipc_entry *e = ipc_entry_lookup(space, name);
        struct ipc_port *port = e != NULL ? e->ie_object : NULL;
        bool waits = port != NULL &&
                     __atomic_load_n(&port->ip_messages.imq_waiters, __ATOMIC_RELAXED) != NULL;
        ipc_space_unlock(space);
        if (waits)
            return true;
        thread_sleep_ns(1000 * 1000);
    }
    return false;
}

/* One run: a server thread in space b, ROUNDS RPCs from space a, then a
 * one-way stop message.  What both sides saw is kept for comparison. */
struct run {
    struct tbuf reply; /* the client's last reply, with its seqno trailer */
    struct tbuf request;
    mach_msg_return_t client_mr, server_mr;
    uint32_t wrong; /* replies with the wrong id or data */
    uint64_t hits;  /* fast-path hits during the run */
};

static void
rpc_run(struct run *r, mach_msg_option_t extra)
{
    struct ipc_space *a = ipc_space_create(), *b = ipc_space_create();
    struct server s = {.space = b, .extra = extra, .rcv_size = sizeof(struct tbuf)};
    mach_port_name_t service, reply = tport(a);
    struct tmsg *m = (struct tmsg *)&r->reply;
    uint64_t hits0 = __atomic_load_n(&ipc_fast_stats.fs_hits, __ATOMIC_RELAXED);

    memset(r, 0, sizeof(*r));
    s.service = tport(b);
    service = tgive(b, s.service, MACH_MSG_TYPE_MAKE_SEND, a);
    struct thread *t = kernel_thread_create(server_main, &s, PRI_KERNEL_DEFAULT, "kt-server");
    (void)receiver_waits(b, s.service);
    for (uint32_t i = 0; i < ROUNDS && t != NULL; i++) {
        memset(&r->reply, 0, sizeof(r->reply));
        tmsg_init(&m->h, sizeof(*m), service, MACH_MSG_TYPE_COPY_SEND, reply,
                  MACH_MSG_TYPE_MAKE_SEND_ONCE, 1000 + (mach_msg_id_t)i);
        m->data[0] = i;
        r->client_mr = mach_msg_kernel_buffers(a, &r->reply, MACH_SEND_MSG | MACH_RCV_MSG | extra,
                                               sizeof(*m), sizeof(r->reply), reply, 0);
        if (r->client_mr != MACH_MSG_SUCCESS)
            break;
        r->wrong += m->h.uh_id != 1100 + (mach_msg_id_t)i || m->data[0] != i * 3 + 1;
    }
    r->hits = __atomic_load_n(&ipc_fast_stats.fs_hits, __ATOMIC_RELAXED) - hits0;
    struct tmsg stop;
    tmsg_init(&stop.h, sizeof(stop), service, MACH_MSG_TYPE_COPY_SEND, 0, 0, STOP_ID);
    (void)tsend(a, &stop, sizeof(stop));
    if (t != NULL) {
        thread_wait_terminated(t);
        thread_deallocate(t);
    }
    r->request = s.last;
    r->server_mr = s.mr;
    tspace_done(b);
    tspace_done(a);
}

KTEST(ipc, fastpath_hands_simple_rpc_to_waiting_server_thread)
{
    IPC_TEST_BEGIN();
    static struct run r;

    rpc_run(&r, 0);
    KT_EQ(r.client_mr, MACH_MSG_SUCCESS);
    KT_EQ(r.server_mr, MACH_MSG_SUCCESS);
    KT_EQ(r.wrong, 0);
    KT_EQ(r.request.h.uh_id, STOP_ID);
    if (ipc_fastpath_enabled())
        KT_ASSERT(r.hits >= 2 * ROUNDS - 2); /* request and reply of (nearly) every round */
    else
        KT_EQ(r.hits, 0);
    IPC_TEST_END();
}

KTEST(ipc, fastpath_and_slow_path_deliver_identical_messages)
{
    IPC_TEST_BEGIN();
    static struct run fast, slow;
    mach_msg_option_t seqno = MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO);
    bool was = ipc_fastpath_set(true);

    rpc_run(&fast, seqno);
    ipc_fastpath_set(false);
    rpc_run(&slow, seqno);
    ipc_fastpath_set(was);
    KT_EQ(fast.client_mr, MACH_MSG_SUCCESS);
    KT_EQ(slow.client_mr, MACH_MSG_SUCCESS);
    KT_EQ(fast.wrong + slow.wrong, 0);
    KT_EQ(slow.hits, 0);
    /* Header, body and seqno trailer, byte for byte (fresh spaces name alike). */
    KT_EQ(memcmp(&fast.reply, &slow.reply, sizeof(fast.reply)), 0);
    KT_EQ(memcmp(&fast.request, &slow.request, sizeof(fast.request)), 0);
    mach_msg_seqno_trailer_t *tr =
        (mach_msg_seqno_trailer_t *)(fast.reply.bytes + sizeof(struct tmsg));
    KT_EQ(tr->msgh_trailer_size, sizeof(*tr));
    KT_EQ(tr->msgh_seqno, ROUNDS - 1); /* the reply port's ROUNDS-th message */
    IPC_TEST_END();
}

KTEST(ipc, fastpath_falls_back_for_a_complex_message)
{
    IPC_TEST_BEGIN();
    struct ipc_space *a = ipc_space_create(), *b = ipc_space_create();
    struct server s = {.space = b, .rcv_size = sizeof(struct tbuf)};
    mach_port_name_t service, reply = tport(a), carried = tport(a);
    static struct tbuf buf;
    struct tmsg_port *m = (struct tmsg_port *)&buf;
    uint64_t hits0 = ipc_fast_stats.fs_hits;

    s.service = tport(b);
    service = tgive(b, s.service, MACH_MSG_TYPE_MAKE_SEND, a);
    struct thread *t = kernel_thread_create(server_main, &s, PRI_KERNEL_DEFAULT, "kt-server");
    KT_ASSERT(t != NULL);
    KT_ASSERT(receiver_waits(b, s.service));
    memset(&buf, 0, sizeof(buf));
    tmsg_init(&m->h, sizeof(*m), service, MACH_MSG_TYPE_COPY_SEND, reply,
              MACH_MSG_TYPE_MAKE_SEND_ONCE, 7);
    m->h.uh_bits |= MACH_MSGH_BITS_COMPLEX;
    m->body.msgh_descriptor_count = 1;
    m->port = (struct ipc_user_port_desc){.upd_name = carried,
                                          .upd_disposition = MACH_MSG_TYPE_MAKE_SEND,
                                          .upd_type = MACH_MSG_PORT_DESCRIPTOR};
    KT_EQ(mach_msg_kernel_buffers(a, &buf, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(*m), sizeof(buf),
                                  reply, 0),
          MACH_MSG_SUCCESS);
    KT_EQ(buf.h.uh_id, 107);
    /* The request went the slow way; only the (simple) reply may be a hit. */
    KT_ASSERT(ipc_fast_stats.fs_hits - hits0 <= 1);
    KT_ASSERT(s.last.h.uh_bits & MACH_MSGH_BITS_COMPLEX);
    KT_EQ(ttype(b, ((struct tmsg_port *)&s.last)->port.upd_name), MACH_PORT_TYPE_SEND);
    struct tmsg stop;
    tmsg_init(&stop.h, sizeof(stop), service, MACH_MSG_TYPE_COPY_SEND, 0, 0, STOP_ID);
    KT_EQ(tsend(a, &stop, sizeof(stop)), MACH_MSG_SUCCESS);
    thread_wait_terminated(t);
    thread_deallocate(t);
    KT_EQ(s.mr, MACH_MSG_SUCCESS);
    tspace_done(b);
    tspace_done(a);
    IPC_TEST_END();
}

KTEST(ipc, fastpath_leaves_a_too_small_receiver_to_the_slow_path)
{
    IPC_TEST_BEGIN();
    struct ipc_space *a = ipc_space_create(), *b = ipc_space_create();
    struct server s = {.space = b, .rcv_size = sizeof(struct ipc_user_header)};
    mach_port_name_t service, reply = tport(a);
    static struct tbuf buf;
    struct tmsg *m = (struct tmsg *)&buf;
    uint64_t hits0 = ipc_fast_stats.fs_hits;

    s.service = tport(b);
    service = tgive(b, s.service, MACH_MSG_TYPE_MAKE_SEND, a);
    struct thread *t = kernel_thread_create(server_main, &s, PRI_KERNEL_DEFAULT, "kt-server");
    KT_ASSERT(t != NULL);
    KT_ASSERT(receiver_waits(b, s.service));
    tmsg_init(&m->h, sizeof(*m), service, MACH_MSG_TYPE_COPY_SEND, reply,
              MACH_MSG_TYPE_MAKE_SEND_ONCE, 8);
    /* The server's buffer holds a header only: it gets MACH_RCV_TOO_LARGE and
     * the request is destroyed, so the client's reply right dies: a send-once
     * notification arrives instead of a reply. */
    KT_EQ(mach_msg_kernel_buffers(a, &buf, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(*m), sizeof(buf),
                                  reply, 0),
          MACH_MSG_SUCCESS);
    KT_EQ(buf.h.uh_id, MACH_NOTIFY_SEND_ONCE);
    thread_wait_terminated(t);
    thread_deallocate(t);
    KT_EQ(s.mr, MACH_RCV_TOO_LARGE);
    KT_EQ(ipc_fast_stats.fs_hits, hits0);
    tspace_done(b);
    tspace_done(a);
    IPC_TEST_END();
}

// A server that answered the last RPC with SEND|RCV by hand-off and went
// back to waiting must not keep a reference to the client's thread: an idle
// server would otherwise keep a finished client (and its task) alive.
KTEST(ipc, fastpath_idle_server_holds_no_reference_to_its_client)
{
    IPC_TEST_BEGIN();
    struct ipc_space *a = ipc_space_create(), *b = ipc_space_create();
    struct server s = {.space = b, .rcv_size = sizeof(struct tbuf)};
    mach_port_name_t service, reply = tport(a);
    static struct tbuf buf;
    struct tmsg *m = (struct tmsg *)&buf;
    struct thread *self = current_thread();

    s.service = tport(b);
    service = tgive(b, s.service, MACH_MSG_TYPE_MAKE_SEND, a);
    struct thread *t = kernel_thread_create(server_main, &s, PRI_KERNEL_DEFAULT, "kt-server");
    KT_ASSERT(t != NULL);
    KT_ASSERT(receiver_waits(b, s.service));
    uint32_t refs = __atomic_load_n(&self->th_refs, __ATOMIC_RELAXED);
    for (uint32_t i = 0; i < 3; i++) {
        tmsg_init(&m->h, sizeof(*m), service, MACH_MSG_TYPE_COPY_SEND, reply,
                  MACH_MSG_TYPE_MAKE_SEND_ONCE, 1000);
        KT_EQ(mach_msg_kernel_buffers(a, &buf, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(*m),
                                      sizeof(buf), reply, 0),
              MACH_MSG_SUCCESS);
    }
    KT_ASSERT(receiver_waits(b, s.service)); /* the server is idle in its receive */
    KT_EQ(__atomic_load_n(&self->th_refs, __ATOMIC_RELAXED), refs);
    tmsg_init(&m->h, sizeof(*m), service, MACH_MSG_TYPE_COPY_SEND, 0, 0, STOP_ID);
    (void)tsend(a, m, sizeof(*m));
    thread_wait_terminated(t);
    thread_deallocate(t);
    tspace_done(b);
    tspace_done(a);
    IPC_TEST_END();
}

/* SPDX-License-Identifier: MIT
 *
 * Stress: NWORKERS threads of one task send each other MSGS_PER_WORKER
 * messages to random inboxes, each carrying a random kind of right:
 *
 *   PLAIN       nothing
 *   RECV_QUEUE  the receive right of a fresh port, with a message queued on it
 *   SONCE_PAIR  a send-once right and the receive right of a fresh port
 *   COPY_G      COPY_SEND of a shared port G      (receiver drops the uref)
 *   MAKE_G      MAKE_SEND of G                    (receiver drops the uref)
 *   MOVE_G      MOVE_SEND of a uref just added to G (receiver drops it)
 *   REPLY       a MAKE_SEND_ONCE reply right: the receiver answers on it or
 *               deallocates it (the sender then gets a send-once notification)
 *
 * Each worker receives on a port set holding its inbox and its reply port,
 * and drains it after every send, so a blocked sender always has a receiver
 * coming; the inbox queue limit is large enough that two workers can never
 * block on each other.  At the end every count must add up, G must be back to
 * one uref with the make-send count it should have, and after all is torn
 * down the kernel's object counts must be at the baseline.
 */
#include "ut_msg.h"

#define NWORKERS        4
#define MSGS_PER_WORKER 400

enum kind { PLAIN, RECV_QUEUE, SONCE_PAIR, COPY_G, MAKE_G, MOVE_G, REPLY, NKINDS };

#define ID_WORK  0x5000
#define ID_INNER 0x5100
#define ID_REPLY 0x5200

typedef struct {
    mach_msg_header_t h;
    mach_msg_body_t body;
    mach_msg_port_descriptor_t d[2];
    uint32_t kind, from, seq;
} work_msg_t;

struct worker {
    int w_index;
    mach_port_name_t w_inbox, w_reply, w_set;
    uint32_t w_rng;
    uint32_t w_outstanding; /* reply rights sent, not yet answered */
    uint32_t w_sent[NKINDS];
    uint32_t w_received[NKINDS];
    quay_thread_t w_thread;
};

static struct worker workers[NWORKERS];
static mach_port_name_t g;
static volatile uint32_t total_received;

static uint32_t
rnd(struct worker *w)
{
    w->w_rng ^= w->w_rng << 13;
    w->w_rng ^= w->w_rng >> 17;
    w->w_rng ^= w->w_rng << 5;
    return w->w_rng;
}

static void
set_port(mach_msg_port_descriptor_t *d, mach_port_name_t name, mach_msg_type_name_t disp)
{
    d->name = name;
    d->disposition = disp;
    d->type = MACH_MSG_PORT_DESCRIPTOR;
}

/* Builds and sends one message of a random kind to a random inbox. */
static void
send_one(struct worker *w, uint32_t seq)
{
    enum kind k = (enum kind)(rnd(w) % NKINDS);
    struct worker *to = &workers[rnd(w) % NWORKERS];
    mach_msg_type_name_t rtype = 0;
    mach_port_name_t x;
    work_msg_t m;

    memset(&m, 0, sizeof(m));
    m.body.msgh_descriptor_count = 0;
    switch (k) {
    case PLAIN:
        break;
    case RECV_QUEUE:
        x = ut_port();
        UT_KR(ut_send(x, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, ID_INNER), MACH_MSG_SUCCESS);
        set_port(&m.d[0], x, MACH_MSG_TYPE_MOVE_RECEIVE);
        m.body.msgh_descriptor_count = 1;
        break;
    case SONCE_PAIR:
        x = ut_port();
        set_port(&m.d[0], x, MACH_MSG_TYPE_MAKE_SEND_ONCE);
        set_port(&m.d[1], x, MACH_MSG_TYPE_MOVE_RECEIVE);
        m.body.msgh_descriptor_count = 2;
        break;
    case COPY_G:
        set_port(&m.d[0], g, MACH_MSG_TYPE_COPY_SEND);
        m.body.msgh_descriptor_count = 1;
        break;
    case MAKE_G:
        set_port(&m.d[0], g, MACH_MSG_TYPE_MAKE_SEND);
        m.body.msgh_descriptor_count = 1;
        break;
    case MOVE_G:
        UT_KR(mach_port_mod_refs(mach_task_self(), g, MACH_PORT_RIGHT_SEND, 1), KERN_SUCCESS);
        set_port(&m.d[0], g, MACH_MSG_TYPE_MOVE_SEND);
        m.body.msgh_descriptor_count = 1;
        break;
    case REPLY:
        rtype = MACH_MSG_TYPE_MAKE_SEND_ONCE;
        __atomic_add_fetch(&w->w_outstanding, 1, __ATOMIC_SEQ_CST);
        break;
    case NKINDS:
        break;
    }
    m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, rtype) | MACH_MSGH_BITS_COMPLEX;
    m.h.msgh_size = sizeof(m);
    m.h.msgh_remote_port = to->w_inbox;
    m.h.msgh_local_port = rtype != 0 ? w->w_reply : MACH_PORT_NULL;
    m.h.msgh_id = ID_WORK;
    m.kind = k;
    m.from = (uint32_t)w->w_index;
    m.seq = seq;
    UT_KR(mach_msg(&m.h, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
          MACH_MSG_SUCCESS);
    w->w_sent[k]++;
}

/* A received receive right must hold one queued message: take it, destroy the port. */
static void
consume_receive(mach_port_name_t x)
{
    ut_msg_buf_t buf;

    UT_EQ(ut_type(x) & MACH_PORT_TYPE_RECEIVE, MACH_PORT_TYPE_RECEIVE);
    UT_KR(ut_recv_opt(x, &buf, sizeof(buf), MACH_RCV_TIMEOUT, 0), MACH_MSG_SUCCESS);
    UT_ASSERT(buf.h.msgh_id == ID_INNER || buf.h.msgh_id == ID_INNER + 1);
    ut_port_destroy(x);
}

/* Handles one work message received on the inbox. */
static void
handle_work(struct worker *w, work_msg_t *m)
{
    enum kind k = (enum kind)m->kind;
    mach_port_name_t so;

    UT_ASSERT(m->kind < NKINDS && m->from < NWORKERS);
    UT_EQ(m->h.msgh_size, sizeof(work_msg_t));
    UT_EQ(MACH_MSGH_BITS_LOCAL(m->h.msgh_bits), MACH_MSG_TYPE_PORT_SEND);
    switch (k) {
    case RECV_QUEUE:
        UT_EQ(m->d[0].disposition, MACH_MSG_TYPE_PORT_RECEIVE);
        consume_receive(m->d[0].name);
        break;
    case SONCE_PAIR:
        UT_EQ(m->d[0].disposition, MACH_MSG_TYPE_PORT_SEND_ONCE);
        UT_EQ(m->d[1].disposition, MACH_MSG_TYPE_PORT_RECEIVE);
        UT_KR(ut_send(m->d[0].name, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, ID_INNER + 1),
              MACH_MSG_SUCCESS);
        consume_receive(m->d[1].name);
        break;
    case COPY_G:
    case MAKE_G:
    case MOVE_G:
        UT_EQ(m->d[0].disposition, MACH_MSG_TYPE_PORT_SEND);
        UT_EQ(m->d[0].name, g);
        UT_KR(mach_port_deallocate(mach_task_self(), g), KERN_SUCCESS);
        break;
    case REPLY:
        UT_EQ(MACH_MSGH_BITS_REMOTE(m->h.msgh_bits), MACH_MSG_TYPE_PORT_SEND_ONCE);
        so = m->h.msgh_remote_port;
        if (m->seq & 1)
            UT_KR(ut_send(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, ID_REPLY),
                  MACH_MSG_SUCCESS);
        else
            UT_KR(mach_port_deallocate(mach_task_self(), so), KERN_SUCCESS);
        break;
    default:
        UT_EQ(MACH_MSGH_BITS_REMOTE(m->h.msgh_bits), 0);
        break;
    }
    w->w_received[k]++;
    __atomic_add_fetch(&total_received, 1, __ATOMIC_SEQ_CST);
}

/* Receives on the worker's set for up to TIMEOUT ms; false if nothing came. */
static boolean_t
receive_one(struct worker *w, mach_msg_timeout_t timeout)
{
    ut_msg_buf_t buf;
    mach_msg_return_t mr;

    mr = ut_recv_opt(w->w_set, &buf, sizeof(buf), MACH_RCV_TIMEOUT, timeout);
    if (mr == MACH_RCV_TIMED_OUT)
        return FALSE;
    UT_KR(mr, MACH_MSG_SUCCESS);
    if (buf.h.msgh_local_port == w->w_reply) {
        UT_ASSERT(buf.h.msgh_id == ID_REPLY || buf.h.msgh_id == MACH_NOTIFY_SEND_ONCE);
        UT_EQ(MACH_MSGH_BITS_LOCAL(buf.h.msgh_bits), MACH_MSG_TYPE_PORT_SEND_ONCE);
        UT_ASSERT(__atomic_sub_fetch(&w->w_outstanding, 1, __ATOMIC_SEQ_CST) != (uint32_t)-1);
        return TRUE;
    }
    UT_EQ(buf.h.msgh_local_port, w->w_inbox);
    UT_EQ(buf.h.msgh_id, ID_WORK);
    handle_work(w, (work_msg_t *)&buf);
    return TRUE;
}

static void *
worker_main(void *arg)
{
    struct worker *w = arg;
    const uint32_t total = NWORKERS * MSGS_PER_WORKER;

    for (uint32_t i = 0; i < MSGS_PER_WORKER; i++) {
        send_one(w, i);
        while (receive_one(w, 0))
            ;
    }
    while (__atomic_load_n(&total_received, __ATOMIC_SEQ_CST) < total ||
           __atomic_load_n(&w->w_outstanding, __ATOMIC_SEQ_CST) != 0)
        (void)receive_one(w, 10);
    return NULL;
}

int
main(void)
{
    uint32_t sent[NKINDS] = {0}, received[NKINDS] = {0}, make_g = 0;

    ut_stats_begin();
    g = ut_port_send();
    for (int i = 0; i < NWORKERS; i++) {
        struct worker *w = &workers[i];
        w->w_index = i;
        w->w_rng = 0x9e3779b9u * (uint32_t)(i + 1);
        w->w_inbox = ut_port_send();
        w->w_reply = ut_port();
        UT_KR(mach_port_set_qlimit(mach_task_self(), w->w_inbox, MACH_PORT_QLIMIT_LARGE),
              KERN_SUCCESS);
        UT_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &w->w_set),
              KERN_SUCCESS);
        UT_KR(mach_port_move_member(mach_task_self(), w->w_inbox, w->w_set), KERN_SUCCESS);
        UT_KR(mach_port_move_member(mach_task_self(), w->w_reply, w->w_set), KERN_SUCCESS);
    }
    for (int i = 0; i < NWORKERS; i++)
        UT_KR(quay_thread_create(worker_main, &workers[i], &workers[i].w_thread), KERN_SUCCESS);
    for (int i = 0; i < NWORKERS; i++)
        UT_KR(quay_thread_join(workers[i].w_thread, NULL), KERN_SUCCESS);

    for (int i = 0; i < NWORKERS; i++) {
        struct worker *w = &workers[i];
        UT_EQ(w->w_outstanding, 0);
        for (int k = 0; k < NKINDS; k++) {
            sent[k] += w->w_sent[k];
            received[k] += w->w_received[k];
        }
        UT_EQ(ut_status(w->w_inbox).mps_msgcount, 0);
        UT_EQ(ut_status(w->w_reply).mps_msgcount, 0);
        UT_EQ(ut_status(w->w_reply).mps_sorights, 0);
    }
    for (int k = 0; k < NKINDS; k++)
        UT_EQ(received[k], sent[k]);
    UT_EQ(total_received, NWORKERS * MSGS_PER_WORKER);
    make_g = sent[MAKE_G];
    UT_EQ(ut_refs(g, MACH_PORT_RIGHT_SEND), 1);
    UT_EQ(ut_status(g).mps_mscount, 1 + make_g);
    UT_EQ(ut_status(g).mps_msgcount, 0);

    for (int i = 0; i < NWORKERS; i++) {
        ut_port_destroy(workers[i].w_set);
        ut_port_destroy(workers[i].w_inbox);
        ut_port_destroy(workers[i].w_reply);
    }
    ut_port_destroy(g);
    ut_stats_expect_baseline();
    return ut_pass();
}

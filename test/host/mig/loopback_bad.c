/* SPDX-License-Identifier: MIT */
/*
 * loopback_bad.c: malformed messages in both directions.  Requests built
 * by hand reach the generated demux, which must answer MIG_BAD_ID or
 * MIG_BAD_ARGUMENTS and destroy what they carried; replies forged by a
 * fake server reach the generated user stubs, which must return
 * MIG_REPLY_MISMATCH, MIG_SERVER_DIED or MIG_TYPE_ERROR and destroy them.
 */
#include <stdio.h>
#include <string.h>

#include "loop.h"
#include "loopServer.h"
#include "loop_impl.h"
#include "loopback.h"
#include "transport.h"

union raw {
    mach_msg_header_t head;
    mig_reply_error_t error;
    char bytes[8192];
    uint64_t align;
};

/* Send HEAD (SIZE bytes) to the test server and return the reply's RetCode. */
static kern_return_t
raw_call(union raw *m, mach_msg_size_t size, mach_msg_id_t id)
{
    mach_port_t reply = mig_get_reply_port();
    mach_msg_return_t mr;

    m->head.msgh_bits |= MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
    m->head.msgh_size = size;
    m->head.msgh_remote_port = lb_server;
    m->head.msgh_local_port = reply;
    m->head.msgh_id = id;
    mr = mach_msg(&m->head, MACH_SEND_MSG | MACH_RCV_MSG, size, sizeof(*m), reply, 0, 0);
    if (mr != MACH_MSG_SUCCESS)
        return mr;
    LB_CHECK(m->head.msgh_id == id + 100);
    LB_CHECK(m->head.msgh_size == sizeof(mig_reply_error_t));
    return m->error.RetCode;
}

struct ool_request {
    mach_msg_header_t head;
    mach_msg_body_t body;
    mach_msg_ool_descriptor_t a;
    mach_msg_port_descriptor_t p;
    mach_msg_type_number_t aCnt;
};

static void
fill_ool_request(union raw *m, struct ool_request *r, mach_port_t p)
{
    memset(m, 0, sizeof(*m));
    r->head.msgh_bits = MACH_MSGH_BITS_COMPLEX;
    r->body.msgh_descriptor_count = 2;
    r->a.address = lb_region(64, 'q');
    r->a.size = 64;
    r->a.deallocate = TRUE;
    r->a.type = MACH_MSG_OOL_DESCRIPTOR;
    r->p.name = p;
    r->p.disposition = MACH_MSG_TYPE_MOVE_SEND;
    r->p.type = MACH_MSG_PORT_DESCRIPTOR;
    r->aCnt = 64;
}

void
unknown_id_is_answered_bad_id_and_destroyed(void)
{
    union raw m;
    struct ool_request *r = (struct ool_request *)&m;
    mach_port_t p = tp_port_new();

    tp_port_add_send(p);
    fill_ool_request(&m, r, p);
    LB_CHECK_KR(raw_call(&m, sizeof(*r), 4999), MIG_BAD_ID);
    LB_CHECK(tp_rights(p).send == 0);
    memset(&m, 0, sizeof(m));
    LB_CHECK_KR(raw_call(&m, sizeof(mach_msg_header_t), 4003), MIG_BAD_ID); /* a skip */
    LB_CHECK_KR(raw_call(&m, sizeof(mach_msg_header_t), 3999), MIG_BAD_ID);
    LB_CHECK_KR(raw_call(&m, sizeof(mach_msg_header_t), 0x7fffffff - 100), MIG_BAD_ID);
}

void
malformed_descriptors_are_bad_arguments_and_destroyed(void)
{
    union raw m;
    struct ool_request *r = (struct ool_request *)&m;
    mach_port_t p = tp_port_new();

    /* `fail` wants: ool a, port p, ool b, ool-ports c; we send too few. */
    tp_port_add_send(p);
    fill_ool_request(&m, r, p);
    LB_CHECK_KR(raw_call(&m, sizeof(*r), 4015), MIG_BAD_ARGUMENTS);
    LB_CHECK(tp_rights(p).send == 0 && loop_state.calls == 0);
    /* `maybe` wants one OOL descriptor: a port descriptor in its place is refused. */
    tp_port_add_send(p);
    fill_ool_request(&m, r, p);
    vm_deallocate(mach_task_self(), (vm_address_t)r->a.address, 64);
    r->body.msgh_descriptor_count = 1;
    memcpy(&r->a, &r->p, sizeof(r->p)); /* descriptor 1 is now a port */
    LB_CHECK_KR(raw_call(&m, sizeof(mach_msg_header_t) + 4 + 12 + 4, 4019), MIG_BAD_ARGUMENTS);
    LB_CHECK(tp_rights(p).send == 0);
}

void
ool_size_not_matching_count_is_bad_arguments(void)
{
    union raw m;
    struct {
        mach_msg_header_t head;
        mach_msg_body_t body;
        mach_msg_ool_descriptor_t a;
        mach_msg_type_number_t aCnt;
    } *r = (void *)&m;

    memset(&m, 0, sizeof(m));
    r->head.msgh_bits = MACH_MSGH_BITS_COMPLEX;
    r->body.msgh_descriptor_count = 1;
    r->a.address = lb_region(32, 1);
    r->a.size = 32;
    r->a.deallocate = TRUE;
    r->a.type = MACH_MSG_OOL_DESCRIPTOR;
    r->aCnt = 33;
    LB_CHECK_KR(raw_call(&m, sizeof(*r), 4019), MIG_BAD_ARGUMENTS);
    LB_CHECK(loop_state.ival == 0);
}

void
truncated_and_oversized_requests_are_bad_arguments(void)
{
    union raw m;

    memset(&m, 0, sizeof(m));
    LB_CHECK_KR(raw_call(&m, sizeof(mach_msg_header_t), 4020), MIG_BAD_ARGUMENTS); /* incr */
    memset(&m, 0, sizeof(m));
    LB_CHECK_KR(raw_call(&m, sizeof(mach_msg_header_t) + 8, 4020), MIG_BAD_ARGUMENTS);
    memset(&m, 0, sizeof(m));
    LB_CHECK_KR(raw_call(&m, sizeof(mach_msg_header_t) + 4, 4001), MIG_BAD_ARGUMENTS);
    memset(&m, 0, sizeof(m));
    m.head.msgh_bits = MACH_MSGH_BITS_COMPLEX; /* complex, but incr is not */
    ((mach_msg_body_t *)(&m.head + 1))->msgh_descriptor_count = 0;
    LB_CHECK_KR(raw_call(&m, sizeof(mach_msg_header_t) + 4, 4020), MIG_BAD_ARGUMENTS);
    memset(&m, 0, sizeof(m));
    LB_CHECK_KR(raw_call(&m, 4000, 4005), MIG_BAD_ARGUMENTS); /* bounded: far too long */
}

void
counts_and_strings_are_checked(void)
{
    union raw m;
    struct {
        mach_msg_header_t head;
        mach_msg_type_number_t aCnt, cCnt;
        int data[20];
    } *b = (void *)&m;
    struct {
        mach_msg_header_t head;
        char n[32];
        mach_msg_type_number_t pCnt, ioCnt;
        char data[8];
    } *s = (void *)&m;

    memset(&m, 0, sizeof(m));
    b->aCnt = 17; /* over array[*:16] */
    LB_CHECK_KR(raw_call(&m, sizeof(mach_msg_header_t) + 8 + 17 * 4, 4005), MIG_BAD_ARGUMENTS);
    memset(&m, 0, sizeof(m));
    b->aCnt = 2; /* data says 2 + 0 ints, size says 3 */
    LB_CHECK_KR(raw_call(&m, sizeof(mach_msg_header_t) + 8 + 12, 4005), MIG_BAD_ARGUMENTS);
    memset(&m, 0, sizeof(m));
    memset(s->n, 'x', sizeof(s->n)); /* c_string[32] without its NUL */
    s->pCnt = 1;
    s->ioCnt = 1;
    LB_CHECK_KR(raw_call(&m, sizeof(mach_msg_header_t) + 32 + 8 + 4, 4008), MIG_BAD_ARGUMENTS);
    memset(&m, 0, sizeof(m));
    s->pCnt = 2;
    s->ioCnt = 1;
    memcpy(s->data, "ab\0", 3); /* p = "ab" without NUL in its count */
    LB_CHECK_KR(raw_call(&m, sizeof(mach_msg_header_t) + 32 + 8 + 4, 4008), MIG_BAD_ARGUMENTS);
    memset(&m, 0, sizeof(m));
    s->pCnt = 0; /* a C string needs at least its NUL */
    s->ioCnt = 1;
    LB_CHECK_KR(raw_call(&m, sizeof(mach_msg_header_t) + 32 + 8 + 4, 4008), MIG_BAD_ARGUMENTS);
    LB_CHECK(loop_state.calls == 0);
}

/* ---- forged replies ---- */

static int evil_mode;
static mach_port_t evil_gift;

static boolean_t
evil_demux(mach_msg_header_t *in, mach_msg_header_t *out)
{
    mig_reply_error_t *r = (mig_reply_error_t *)out;
    struct {
        mach_msg_header_t head;
        mach_msg_body_t body;
        mach_msg_port_descriptor_t port;
        kern_return_t RetCode;
        int x;
    } *c = (void *)out;

    out->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(in->msgh_bits), 0);
    out->msgh_remote_port = in->msgh_remote_port;
    out->msgh_local_port = MACH_PORT_NULL;
    out->msgh_voucher_port = MACH_PORT_NULL;
    out->msgh_id = in->msgh_id + 100;
    out->msgh_size = sizeof(*r) + 4;
    r->RetCode = KERN_SUCCESS;
    if (evil_mode == 0)
        out->msgh_id = 77;
    else if (evil_mode == 1)
        out->msgh_id = MACH_NOTIFY_SEND_ONCE;
    else if (evil_mode == 2)
        out->msgh_size = sizeof(*r); /* too short for incr's reply, and RetCode 0 */
    else if (evil_mode == 3) {
        out->msgh_bits |= MACH_MSGH_BITS_COMPLEX;
        out->msgh_size = sizeof(*c);
        c->body.msgh_descriptor_count = 1;
        memset(&c->port, 0, sizeof(c->port));
        c->port.name = evil_gift;
        c->port.disposition = MACH_MSG_TYPE_MAKE_SEND;
        c->port.type = MACH_MSG_PORT_DESCRIPTOR;
        c->RetCode = KERN_SUCCESS;
    }
    return TRUE;
}

void
forged_replies_are_refused_and_destroyed(void)
{
    mach_port_t evil = tp_port_new();
    int x = 1;
    int64_t sum;
    boolean_t neg;
    double half;

    tp_port_add_send(evil);
    tp_serve(evil, evil_demux, 4096, 4096);
    evil_gift = tp_port_new();
    evil_mode = 0;
    LB_CHECK_KR(incr(evil, &x), MIG_REPLY_MISMATCH);
    evil_mode = 1;
    LB_CHECK_KR(incr(evil, &x), MIG_SERVER_DIED);
    evil_mode = 2;
    LB_CHECK_KR(incr(evil, &x), MIG_TYPE_ERROR);
    evil_mode = 3;
    LB_CHECK_KR(scalars(evil, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, &sum, &neg, &half), MIG_TYPE_ERROR);
    LB_CHECK(tp_rights(evil_gift).send == 0); /* the stub destroyed the forged right */
    LB_CHECK(x == 1);
}

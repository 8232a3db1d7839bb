/* SPDX-License-Identifier: MIT */
/*
 * loop_impl.c: the server side of loop.defs for the loopback test.  Each
 * implementation computes something checkable from its arguments and, as
 * the ownership rule asks, releases what it owns when it returns
 * KERN_SUCCESS: received rights and always-out-of-line memory.  When
 * loop_state.result is an error it returns that error and touches nothing.
 */
#include <stdio.h>
#include <string.h>

#include "loopServer.h"
#include "loop_reply.h"
#include "loop_impl.h"
#include "transport.h"

struct loop_state loop_state;

/* Wrapping int arithmetic: the demux fuzzer sends any values. */
static int
add(int a, int b)
{
    return (int)((unsigned)a + (unsigned)b);
}

static void
drop(mach_port_t name)
{
    if (!loop_state.keep)
        (void)mach_port_deallocate(mach_task_self(), name);
}

static void
drop_memory(const void *addr, size_t size)
{
    if (!loop_state.keep)
        (void)vm_deallocate(mach_task_self(), (vm_address_t)addr, size);
}

counter_t
counter_in(int value)
{
    static struct counter c;
    c.value = value;
    c.refs = 1;
    loop_state.counters_live++;
    return &c;
}

int
counter_out(counter_t c)
{
    return c->value;
}

void
counter_done(counter_t c)
{
    c->refs--;
    loop_state.counters_live--;
}

obj_t
obj_lookup(mach_port_t port)
{
    static struct obj o;
    o.port = port;
    o.refs = 1;
    loop_state.objs_live++;
    return &o;
}

void
obj_release(obj_t obj)
{
    obj->refs--;
    loop_state.objs_live--;
}

kern_return_t
S_later(mach_port_t server, mach_port_t reply, int value, int *result)
{
    (void)server;
    (void)result;
    loop_state.calls++;
    loop_state.stashed_reply = reply;
    loop_state.stashed_value = value;
    return MIG_NO_REPLY;
}

/* After the server loop: answer a stashed `later` request through loop_reply. */
void
loop_after_server(void)
{
    mach_port_t reply = loop_state.stashed_reply;

    if (reply == MACH_PORT_NULL)
        return;
    loop_state.stashed_reply = MACH_PORT_NULL;
    (void)later_reply(reply, KERN_SUCCESS, loop_state.stashed_value * 2);
}

kern_return_t
S_scalars(mach_port_t server, char c, int8_t i8, int16_t s, int i, int64_t i64, unsigned u,
          uint64_t u64, boolean_t b, real_t f, double d, int64_t *sum, boolean_t *neg, double *half)
{
    (void)server;
    loop_state.calls++;
    *sum = (int64_t)((uint64_t)c + (uint64_t)i8 + (uint64_t)s + (uint64_t)i + (uint64_t)i64 + u +
                     (u64 >> 1) + (uint64_t)b + (uint64_t)(f > -1e9f && f < 1e9f ? (int64_t)f : 0));
    *neg = !b;
    *half = d / 2; /* (any double, even NaN, is fine) */
    return loop_state.result;
}

kern_return_t
S_structs(mach_port_t server, point_t p, pair_t q, point_t *pr, pair_t *qr)
{
    (void)server;
    pr->x = p.y;
    pr->y = p.x;
    qr->a = (int32_t)q.b;
    qr->b = q.a;
    return loop_state.result;
}

kern_return_t
S_fixed_arrays(mach_port_t server, ints4_t a, ints4_t b, ints4_t c)
{
    (void)server;
    for (int i = 0; i < 4; i++) {
        c[i] = add(a[i], b[i]);
        b[i] = (int)(0u - (unsigned)b[i]);
    }
    return loop_state.result;
}

kern_return_t
S_bounded(mach_port_t server, ints_bounded_t a, mach_msg_type_number_t aCnt, ints_bounded_t b,
          mach_msg_type_number_t *bCnt, ints_bounded_t c, mach_msg_type_number_t *cCnt)
{
    (void)server;
    if (*bCnt != 16)
        return KERN_FAILURE;
    *bCnt = (mach_msg_type_number_t)loop_state.n;
    for (int i = 0; i < loop_state.n; i++)
        b[i] = i * 10;
    for (mach_msg_type_number_t i = 0; i < *cCnt; i++)
        c[i] = add(c[i], i < aCnt ? a[i] : 0);
    if (*cCnt < 16)
        c[(*cCnt)++] = 99;
    return loop_state.result;
}

/* Fill N ints: in the stub's inline buffer when they fit, else new memory. */
static kern_return_t
fill_ints(ints_t *c, mach_msg_type_number_t *cCnt, int n)
{
    if ((mach_msg_type_number_t)n > *cCnt)
        vm_allocate(mach_task_self(), (vm_address_t *)c, (vm_size_t)n * sizeof(int), TRUE);
    for (int i = 0; i < n; i++)
        (*c)[i] = i;
    *cCnt = (mach_msg_type_number_t)n;
    return KERN_SUCCESS;
}

kern_return_t
S_unbounded(mach_port_t server, ints_t a, mach_msg_type_number_t aCnt, bytes_t b,
            mach_msg_type_number_t bCnt, int n, ints_t *c, mach_msg_type_number_t *cCnt, bytes_t *d,
            mach_msg_type_number_t *dCnt)
{
    long sum = 0;

    (void)server;
    if (n < 0 || n > 100000)
        return KERN_INVALID_ARGUMENT;
    for (mach_msg_type_number_t i = 0; i < aCnt; i++)
        sum += a[i];
    for (mach_msg_type_number_t i = 0; i < bCnt; i++)
        sum += b[i];
    loop_state.ival = (int)sum;
    fill_ints(c, cCnt, n);
    if ((mach_msg_type_number_t)n > *dCnt)
        vm_allocate(mach_task_self(), (vm_address_t *)d, (vm_size_t)n, TRUE);
    memset(*d, 'x', (size_t)n);
    *dCnt = (mach_msg_type_number_t)n;
    return loop_state.result;
}

kern_return_t
S_ool(mach_port_t server, ool_bytes_t a, mach_msg_type_number_t aCnt, ool_fixed_t f, int n,
      ool_bytes_t *b, mach_msg_type_number_t *bCnt, ool_fixed_t *g)
{
    (void)server;
    if (loop_state.result != KERN_SUCCESS || n < 0 || n > 100000)
        return loop_state.result ? loop_state.result : KERN_INVALID_ARGUMENT;
    loop_state.ival = add(aCnt ? a[aCnt - 1] : 0, f[63]);
    drop_memory(a, aCnt);
    drop_memory(f, 64);
    vm_allocate(mach_task_self(), (vm_address_t *)b, (vm_size_t)n, TRUE);
    memset(*b, 'b', (size_t)n);
    *bCnt = (mach_msg_type_number_t)n;
    /* g is sent without dealloc: keep it in static memory. */
    static char gbuf[64];
    memset(gbuf, 'g', sizeof(gbuf));
    *g = gbuf;
    return KERN_SUCCESS;
}

kern_return_t
S_strings(mach_port_t server, name_t n, path_t p, name_t on, path_t op, path_t io)
{
    (void)server;
    strcpy(on, p[0] ? "named" : "empty");
    snprintf(op, 128, "%s/%s", p, n);
    strcat(io, "+");
    return loop_state.result;
}

kern_return_t
S_ports(mach_port_t server, mach_port_t send, mach_port_t make, mach_port_t move, mach_port_t once,
        mach_port_t rcv, mach_port_t pair, mach_port_t *o1, mach_port_t *o2)
{
    mach_port_t got[6] = {send, make, move, once, rcv, pair};

    (void)server;
    if (loop_state.result != KERN_SUCCESS)
        return loop_state.result;
    memcpy(loop_state.ports, got, sizeof(got));
    for (int i = 0; i < 6; i++)
        if (i != 4)
            drop(got[i]);
    if (!loop_state.keep)
        (void)mach_port_mod_refs(mach_task_self(), rcv, MACH_PORT_RIGHT_RECEIVE, -1);
    *o1 = loop_state.out_port; /* MAKE_SEND: we hold its receive right */
    *o2 = loop_state.out_port; /* MOVE_SEND: one of our send rights goes */
    return KERN_SUCCESS;
}

kern_return_t
S_poly(mach_port_t server, mach_port_t p, mach_msg_type_name_t pPoly, mach_port_t *q,
       mach_msg_type_name_t *qPoly)
{
    (void)server;
    loop_state.ports[0] = p;
    loop_state.poly = pPoly;
    if (pPoly == MACH_MSG_TYPE_PORT_SEND || pPoly == MACH_MSG_TYPE_PORT_SEND_ONCE)
        drop(p);
    *q = loop_state.out_port;
    *qPoly = loop_state.out_poly;
    return loop_state.result;
}

kern_return_t
S_port_arrays(mach_port_t server, ports3_t a, ports_bounded_t b, mach_msg_type_number_t bCnt,
              mach_port_array_t c, mach_msg_type_number_t cCnt, mach_port_array_t *d,
              mach_msg_type_number_t *dCnt, ports3_t e)
{
    (void)server;
    loop_state.ival = (int)(bCnt * 100 + cCnt);
    for (int i = 0; i < 3; i++)
        drop(a[i]);
    for (mach_msg_type_number_t i = 0; i < bCnt; i++)
        drop(b[i]);
    for (mach_msg_type_number_t i = 0; i < cCnt; i++)
        drop(c[i]);
    drop_memory(c, cCnt * sizeof(mach_port_t)); /* unbounded port arrays are ours */
    vm_allocate(mach_task_self(), (vm_address_t *)d, 2 * sizeof(mach_port_t), TRUE);
    (*d)[0] = (*d)[1] = loop_state.out_port;
    *dCnt = 2;
    e[0] = e[1] = e[2] = loop_state.out_port;
    return loop_state.result;
}

kern_return_t
S_notify_me(mach_port_t server, int v)
{
    (void)server;
    loop_state.calls++;
    loop_state.ival = v;
    return loop_state.result;
}

kern_return_t
S_timed(mach_port_t server, int v)
{
    (void)server;
    loop_state.ival = v;
    return loop_state.result;
}

kern_return_t
S_countio(mach_port_t server, ints_bounded_t a, mach_msg_type_number_t *aCnt)
{
    (void)server;
    loop_state.ival = (int)*aCnt;
    for (mach_msg_type_number_t i = 0; i < *aCnt; i++)
        a[i] = 7;
    return loop_state.result;
}

kern_return_t
S_fail(mach_port_t server, ool_bytes_t a, mach_msg_type_number_t aCnt, mach_port_t p, bytes_t b,
       mach_msg_type_number_t bCnt, mach_port_array_t c, mach_msg_type_number_t cCnt, int code)
{
    (void)server;
    loop_state.calls++;
    if (code != KERN_SUCCESS)
        return code; /* owns nothing: the stub destroys the request */
    drop_memory(a, aCnt);
    drop(p);
    (void)b;
    (void)bCnt;
    for (mach_msg_type_number_t i = 0; i < cCnt; i++)
        drop(c[i]);
    drop_memory(c, cCnt * sizeof(mach_port_t));
    return KERN_SUCCESS;
}

kern_return_t
S_translated(obj_t server, counter_t c, counter_t *oc)
{
    loop_state.ival = (int)server->port;
    c->value = add(c->value, 1);
    *oc = c;
    return loop_state.result;
}

kern_return_t
S_seqno(mach_port_t server, mach_port_seqno_t seq, natural_t *s)
{
    (void)server;
    loop_state.seqno = seq;
    *s = seq;
    return loop_state.result;
}

kern_return_t
S_scopy(mach_port_t server, ints_t a, mach_msg_type_number_t aCnt, boolean_t aSCopy)
{
    (void)server;
    loop_state.scopy = aSCopy;
    loop_state.ival = aCnt ? a[aCnt - 1] : -1;
    if (loop_state.result != KERN_SUCCESS)
        return loop_state.result;
    if (aSCopy)
        drop_memory(a, aCnt * sizeof(int));
    return KERN_SUCCESS;
}

kern_return_t
S_maybe(mach_port_t server, ool_bytes_t a, mach_msg_type_number_t aCnt)
{
    (void)server;
    loop_state.ival = (int)aCnt;
    drop_memory(a, aCnt);
    return loop_state.result;
}

kern_return_t
S_incr(mach_port_t server, int *x)
{
    (void)server;
    *x = add(*x, 1);
    return loop_state.result;
}

kern_return_t
S_async_req(mach_port_t server, int v)
{
    (void)server;
    loop_state.calls++;
    loop_state.ival = v;
    return loop_state.result;
}

kern_return_t
S_inline_types(mach_port_t server, int a, int *b, mach_msg_type_number_t bCnt, short *c)
{
    (void)server;
    c[0] = (short)a;
    c[1] = (short)(bCnt ? b[bCnt - 1] : 0);
    return loop_state.result;
}

/* SPDX-License-Identifier: MIT */
/*
 * transport.c: the loopback "kernel" for mig tests (see transport.h).
 *
 * One task, one name space: a name is an index into ports[], and rights
 * on the same port share the name (send-once rights too, unlike real
 * Mach; it keeps the counting simple).  Sending a message copies its
 * rights in (MOVE_* removes a right from the sender, COPY/MAKE_* do not)
 * and immediately copies them out to the receiver, which is the same
 * space; out-of-line memory is copied into a fresh tracked region
 * ("virtual copy") and the sender's region is freed when `deallocate` is
 * set.  A message to a served port runs the server loop at once: receive
 * with a seqno trailer, call the demux, send the reply unless it is
 * MIG_NO_REPLY.  Everything the tests could get wrong is counted in
 * tp_errors(): bad rights, bad or double frees, malformed sends.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transport.h"

#define MAX_PORTS 256
#define TASK_SELF ((mach_port_t)0x7fff0001)

struct qmsg {
    struct qmsg *next;
    mach_msg_header_t *msg; /* received form, msgh_size bytes */
};

struct port {
    bool used;
    struct tp_rights r;
    struct qmsg *head, **tail;
    mach_port_seqno_t seqno;
    tp_demux_t demux;
    mach_msg_size_t max_request, max_reply;
};

struct region {
    struct region *next;
    void *addr;
    size_t size;
};

static struct port ports[MAX_PORTS];
static struct region *regions;
static int errors;
static mach_port_t reply_port;
static mach_msg_option_t last_option;
static mach_msg_timeout_t last_timeout;
static void (*after_server)(void);
static bool quiet;

static void
error(const char *what, unsigned long detail)
{
    if (!quiet)
        fprintf(stderr, "transport: %s (%lu)\n", what, detail);
    errors++;
}

void
tp_set_quiet(bool q)
{
    quiet = q;
}

static struct port *
port(mach_port_t name)
{
    if (name == MACH_PORT_NULL || name >= MAX_PORTS || !ports[name].used)
        return NULL;
    return &ports[name];
}

/* ---- memory ---- */

static void *
region_new(size_t size)
{
    struct region *r = calloc(1, sizeof(*r));
    r->addr = calloc(1, size ? size : 1);
    r->size = size;
    r->next = regions;
    regions = r;
    return r->addr;
}

kern_return_t
vm_allocate(mach_port_t task, vm_address_t *addr, vm_size_t size, boolean_t anywhere)
{
    (void)task;
    (void)anywhere;
    *addr = (vm_address_t)region_new(size);
    return KERN_SUCCESS;
}

kern_return_t
vm_deallocate(mach_port_t task, vm_address_t addr, vm_size_t size)
{
    (void)task;
    if (size == 0)
        return KERN_SUCCESS;
    for (struct region **p = &regions; *p != NULL; p = &(*p)->next) {
        if ((vm_address_t)(*p)->addr == addr) {
            struct region *r = *p;
            if (r->size != size)
                error("vm_deallocate with the wrong size", size);
            *p = r->next;
            free(r->addr);
            free(r);
            return KERN_SUCCESS;
        }
    }
    error("vm_deallocate of memory that is not allocated (double free?)", size);
    return KERN_INVALID_ADDRESS;
}

/* ---- rights ---- */

static void destroy_queue(struct port *p);

static bool
has_right(mach_port_t name, mach_msg_type_name_t disp)
{
    struct port *p = port(name);

    if (!MACH_PORT_VALID(name))
        return true;
    if (p == NULL)
        return false;
    switch (disp) {
    case MACH_MSG_TYPE_MOVE_SEND:
    case MACH_MSG_TYPE_COPY_SEND:
        return p->r.send > 0;
    case MACH_MSG_TYPE_MOVE_SEND_ONCE:
        return p->r.send_once > 0;
    case MACH_MSG_TYPE_MAKE_SEND:
    case MACH_MSG_TYPE_MAKE_SEND_ONCE:
    case MACH_MSG_TYPE_MOVE_RECEIVE:
        return p->r.receive;
    default:
        return false;
    }
}

/* Copy a right in and out again in the one space; returns the received type. */
static mach_msg_type_name_t
transfer(mach_port_t name, mach_msg_type_name_t disp)
{
    struct port *p = port(name);
    mach_msg_type_name_t got = disp;

    switch (disp) {
    case MACH_MSG_TYPE_COPY_SEND:
    case MACH_MSG_TYPE_MAKE_SEND:
        got = MACH_MSG_TYPE_PORT_SEND;
        break;
    case MACH_MSG_TYPE_MAKE_SEND_ONCE:
        got = MACH_MSG_TYPE_PORT_SEND_ONCE;
        break;
    default:
        break;
    }
    if (p == NULL)
        return got;
    if (disp == MACH_MSG_TYPE_COPY_SEND || disp == MACH_MSG_TYPE_MAKE_SEND)
        p->r.send++;
    else if (disp == MACH_MSG_TYPE_MAKE_SEND_ONCE)
        p->r.send_once++;
    return got; /* MOVE_*: the right changes hands, the counts do not */
}

/* Drop one right of type TYPE (a received type name) held under NAME. */
static void
release(mach_port_t name, mach_msg_type_name_t type)
{
    struct port *p = port(name);

    if (!MACH_PORT_VALID(name))
        return;
    if (p == NULL) {
        error("release of an unknown name", name);
        return;
    }
    if (type == MACH_MSG_TYPE_PORT_SEND && p->r.send > 0) {
        p->r.send--;
    } else if (type == MACH_MSG_TYPE_PORT_SEND_ONCE && p->r.send_once > 0) {
        p->r.send_once--;
    } else if (type == MACH_MSG_TYPE_PORT_RECEIVE && p->r.receive) {
        p->r.receive = false;
        destroy_queue(p);
    } else {
        error("release of a right that is not held (freed twice?)", name);
    }
}

kern_return_t
mach_port_deallocate(mach_port_t task, mach_port_name_t name)
{
    struct port *p = port(name);

    (void)task;
    if (!MACH_PORT_VALID(name))
        return KERN_SUCCESS;
    if (p != NULL && p->r.send > 0) {
        p->r.send--;
    } else if (p != NULL && p->r.send_once > 0) {
        p->r.send_once--;
    } else {
        error("mach_port_deallocate of a right that is not held", name);
        return KERN_INVALID_RIGHT;
    }
    return KERN_SUCCESS;
}

kern_return_t
mach_port_mod_refs(mach_port_t task, mach_port_name_t name, mach_port_right_t right,
                   mach_port_delta_t delta)
{
    (void)task;
    if (right == MACH_PORT_RIGHT_RECEIVE && delta == -1 && has_right(name, 16)) {
        release(name, MACH_MSG_TYPE_PORT_RECEIVE);
        return KERN_SUCCESS;
    }
    error("unexpected mach_port_mod_refs", name);
    return KERN_INVALID_RIGHT;
}

mach_port_t
mach_task_self(void)
{
    return TASK_SELF;
}

mach_port_t
mig_get_reply_port(void)
{
    if (reply_port == MACH_PORT_NULL)
        reply_port = tp_port_new();
    return reply_port;
}

void
mig_dealloc_reply_port(mach_port_t name)
{
    if (name != reply_port)
        error("mig_dealloc_reply_port of a port that is not the reply port", name);
    release(name, MACH_MSG_TYPE_PORT_RECEIVE);
    reply_port = MACH_PORT_NULL;
}

void
mig_put_reply_port(mach_port_t name)
{
    (void)name;
}

/* ---- messages ---- */

/* Walk the descriptors of a message of SIZE bytes; false if they overrun it. */
static bool
walk(mach_msg_header_t *m, mach_msg_size_t size, void (*fn)(mach_msg_descriptor_t *d, void *arg),
     void *arg)
{
    mach_msg_body_t *body = (mach_msg_body_t *)(m + 1);
    char *p = (char *)(body + 1), *end = (char *)m + size;

    if (!(m->msgh_bits & MACH_MSGH_BITS_COMPLEX))
        return true;
    if ((char *)(body + 1) > end)
        return false;
    for (mach_msg_size_t i = 0; i < body->msgh_descriptor_count; i++) {
        mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)p;
        size_t len;
        if (p + sizeof(mach_msg_type_descriptor_t) > end)
            return false;
        len = d->type.type == MACH_MSG_PORT_DESCRIPTOR ? sizeof(mach_msg_port_descriptor_t)
                                                       : sizeof(mach_msg_ool_descriptor_t);
        if (d->type.type > MACH_MSG_OOL_PORTS_DESCRIPTOR || p + len > end)
            return false;
        if (fn != NULL)
            fn(d, arg);
        p += len;
    }
    return true;
}

static void
destroy_descriptor(mach_msg_descriptor_t *d, void *arg)
{
    (void)arg;
    if (d->type.type == MACH_MSG_PORT_DESCRIPTOR) {
        release(d->port.name, d->port.disposition);
    } else if (d->type.type == MACH_MSG_OOL_DESCRIPTOR) {
        vm_deallocate(TASK_SELF, (vm_address_t)d->out_of_line.address, d->out_of_line.size);
    } else {
        mach_port_t *names = d->ool_ports.address;
        for (mach_msg_size_t i = 0; i < d->ool_ports.count; i++)
            release(names[i], d->ool_ports.disposition);
        vm_deallocate(TASK_SELF, (vm_address_t)names, d->ool_ports.count * sizeof(mach_port_t));
    }
}

void
mach_msg_destroy(mach_msg_header_t *m)
{
    release(m->msgh_remote_port, MACH_MSGH_BITS_REMOTE(m->msgh_bits));
    if (!walk(m, m->msgh_size, destroy_descriptor, NULL))
        error("mach_msg_destroy of a malformed message", m->msgh_size);
}

static void
destroy_queue(struct port *p)
{
    while (p->head != NULL) {
        struct qmsg *q = p->head;
        p->head = q->next;
        mach_msg_destroy(q->msg);
        free(q->msg);
        free(q);
    }
    p->tail = &p->head;
}

static void
check_descriptor(mach_msg_descriptor_t *d, void *arg)
{
    bool *ok = arg;

    if (d->type.type == MACH_MSG_PORT_DESCRIPTOR)
        *ok &= has_right(d->port.name, d->port.disposition);
    else if (d->type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR)
        for (mach_msg_size_t i = 0; i < d->ool_ports.count; i++)
            *ok &= has_right(((mach_port_t *)d->ool_ports.address)[i], d->ool_ports.disposition);
}

static void
carry_descriptor(mach_msg_descriptor_t *d, void *arg)
{
    (void)arg;
    if (d->type.type == MACH_MSG_PORT_DESCRIPTOR) {
        d->port.disposition = transfer(d->port.name, d->port.disposition);
    } else if (d->type.type == MACH_MSG_OOL_DESCRIPTOR) {
        void *copy = NULL;
        if (d->out_of_line.size != 0) {
            copy = region_new(d->out_of_line.size);
            memcpy(copy, d->out_of_line.address, d->out_of_line.size);
            if (d->out_of_line.deallocate)
                vm_deallocate(TASK_SELF, (vm_address_t)d->out_of_line.address, d->out_of_line.size);
        }
        d->out_of_line.address = copy;
        d->out_of_line.deallocate = 0;
    } else {
        size_t bytes = d->ool_ports.count * sizeof(mach_port_t);
        mach_port_t *copy = bytes ? region_new(bytes) : NULL, *names = d->ool_ports.address;
        mach_msg_type_name_t got = d->ool_ports.disposition;
        for (mach_msg_size_t i = 0; i < d->ool_ports.count; i++) {
            copy[i] = names[i];
            got = transfer(names[i], d->ool_ports.disposition);
        }
        if (d->ool_ports.count == 0)
            got = transfer(MACH_PORT_NULL, d->ool_ports.disposition);
        if (d->ool_ports.deallocate && bytes != 0)
            vm_deallocate(TASK_SELF, (vm_address_t)names, bytes);
        d->ool_ports.address = copy;
        d->ool_ports.disposition = got;
        d->ool_ports.deallocate = 0;
    }
}

static void run_server(struct port *p);

/* Send SIZE bytes of MSG: check everything, then carry it (decode, then commit). */
static mach_msg_return_t
tp_send(mach_msg_header_t *msg, mach_msg_size_t size)
{
    mach_msg_bits_t bits = msg->msgh_bits;
    struct port *dest = port(msg->msgh_remote_port);
    mach_msg_header_t *copy;
    struct qmsg *q;
    bool ok = true;

    if (size < sizeof(*msg) || size % 4 != 0 || size != msg->msgh_size)
        return MACH_SEND_MSG_TOO_SMALL;
    if (dest == NULL || !dest->r.receive ||
        !has_right(msg->msgh_remote_port, MACH_MSGH_BITS_REMOTE(bits)))
        return MACH_SEND_INVALID_DEST;
    if (MACH_MSGH_BITS_LOCAL(bits) != 0 &&
        !has_right(msg->msgh_local_port, MACH_MSGH_BITS_LOCAL(bits)))
        return MACH_SEND_INVALID_REPLY;
    if (!walk(msg, size, check_descriptor, &ok))
        return MACH_SEND_MSG_TOO_SMALL;
    if (!ok)
        return MACH_SEND_INVALID_RIGHT;
    copy = malloc(size);
    memcpy(copy, msg, size);
    walk(copy, size, carry_descriptor, NULL);
    /* The receiver sees the reply right as remote and its own port as local. */
    copy->msgh_remote_port = msg->msgh_local_port;
    copy->msgh_local_port = msg->msgh_remote_port;
    copy->msgh_bits =
        (bits & MACH_MSGH_BITS_COMPLEX) |
        MACH_MSGH_BITS(MACH_MSGH_BITS_LOCAL(bits)
                           ? transfer(msg->msgh_local_port, MACH_MSGH_BITS_LOCAL(bits))
                           : 0,
                       MACH_MSG_TYPE_PORT_SEND);
    if (MACH_MSGH_BITS_REMOTE(bits) == MACH_MSG_TYPE_MOVE_SEND)
        dest->r.send--; /* a moved destination right is used up */
    else if (MACH_MSGH_BITS_REMOTE(bits) == MACH_MSG_TYPE_MOVE_SEND_ONCE)
        dest->r.send_once--;
    q = calloc(1, sizeof(*q));
    q->msg = copy;
    if (dest->tail == NULL)
        dest->tail = &dest->head;
    *dest->tail = q;
    dest->tail = &q->next;
    if (dest->demux != NULL)
        run_server(dest);
    return MACH_MSG_SUCCESS;
}

static mach_msg_return_t
tp_receive(mach_msg_header_t *msg, mach_msg_size_t rcv_size, mach_port_t name,
           mach_msg_option_t option)
{
    struct port *p = port(name);
    struct qmsg *q;
    mach_msg_size_t size;

    if (p == NULL || !p->r.receive)
        return MACH_RCV_INVALID_NAME;
    if ((q = p->head) == NULL)
        return MACH_RCV_TIMED_OUT; /* single-threaded: waiting would be forever */
    p->head = q->next;
    if (p->head == NULL)
        p->tail = &p->head;
    size = q->msg->msgh_size;
    if (size > rcv_size) {
        mach_msg_destroy(q->msg);
        free(q->msg);
        free(q);
        return MACH_RCV_TOO_LARGE;
    }
    memcpy(msg, q->msg, size);
    if (option & MACH_RCV_TRAILER_MASK) {
        mach_msg_seqno_trailer_t *t = (mach_msg_seqno_trailer_t *)((char *)msg + size);
        t->msgh_trailer_type = MACH_MSG_TRAILER_FORMAT_0;
        t->msgh_trailer_size = sizeof(*t);
        t->msgh_seqno = p->seqno;
    }
    p->seqno++;
    free(q->msg);
    free(q);
    return MACH_MSG_SUCCESS;
}

/* The server loop: one request at a time, like mach_msg_server(). */
static void
run_server(struct port *p)
{
    mach_port_t name = (mach_port_t)(p - ports);

    while (p->head != NULL) {
        uint64_t *in = calloc(1, p->max_request + MAX_TRAILER_SIZE + 8);
        uint64_t *out = calloc(1, p->max_reply + 8);
        mach_msg_header_t *req = (mach_msg_header_t *)in, *rep = (mach_msg_header_t *)out;
        mach_msg_return_t mr;

        mr = tp_receive(req, p->max_request, name,
                        MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
                            MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO));
        if (mr == MACH_MSG_SUCCESS) {
            p->demux(req, rep);
            if (((mig_reply_error_t *)rep)->RetCode != MIG_NO_REPLY &&
                MACH_PORT_VALID(rep->msgh_remote_port)) {
                mr = tp_send(rep, rep->msgh_size);
                if (mr != MACH_MSG_SUCCESS)
                    error("the server could not send its reply", (unsigned long)mr);
            }
        }
        free(in);
        free(out);
        if (after_server != NULL)
            after_server();
    }
}

mach_msg_return_t
mach_msg(mach_msg_header_t *msg, mach_msg_option_t option, mach_msg_size_t send_size,
         mach_msg_size_t rcv_size, mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
         mach_port_name_t notify)
{
    mach_msg_return_t mr;

    (void)notify;
    last_option = option;
    last_timeout = timeout;
    if (option & MACH_SEND_MSG) {
        mr = tp_send(msg, send_size);
        if (mr != MACH_MSG_SUCCESS)
            return mr;
    }
    if (option & MACH_RCV_MSG)
        return tp_receive(msg, rcv_size, rcv_name, option);
    return MACH_MSG_SUCCESS;
}

/* ---- test controls ---- */

void
tp_reset(void)
{
    for (int i = 0; i < MAX_PORTS; i++) {
        if (ports[i].used)
            destroy_queue(&ports[i]);
        memset(&ports[i], 0, sizeof(ports[i]));
    }
    while (regions != NULL) {
        struct region *r = regions;
        regions = r->next;
        free(r->addr);
        free(r);
    }
    errors = 0;
    reply_port = MACH_PORT_NULL;
    after_server = NULL;
}

mach_port_t
tp_port_new(void)
{
    for (mach_port_t i = 1; i < MAX_PORTS; i++) {
        if (!ports[i].used) {
            memset(&ports[i], 0, sizeof(ports[i]));
            ports[i].used = true;
            ports[i].r.receive = true;
            ports[i].tail = &ports[i].head;
            return i;
        }
    }
    error("out of ports", MAX_PORTS);
    return MACH_PORT_NULL;
}

void
tp_port_add_send(mach_port_t name)
{
    if (port(name) != NULL)
        port(name)->r.send++;
}

struct tp_rights
tp_rights(mach_port_t name)
{
    struct tp_rights none = {0, 0, false};
    return port(name) ? port(name)->r : none;
}

void
tp_serve(mach_port_t name, tp_demux_t demux, mach_msg_size_t max_request, mach_msg_size_t max_reply)
{
    port(name)->demux = demux;
    port(name)->max_request = max_request;
    port(name)->max_reply = max_reply;
}

void
tp_set_after_server(void (*hook)(void))
{
    after_server = hook;
}

int
tp_errors(void)
{
    return errors;
}

int
tp_live_regions(void)
{
    int n = 0;
    for (struct region *r = regions; r != NULL; r = r->next)
        n++;
    return n;
}

size_t
tp_live_bytes(void)
{
    size_t n = 0;
    for (struct region *r = regions; r != NULL; r = r->next)
        n += r->size;
    return n;
}

bool
tp_is_region(const void *addr)
{
    for (struct region *r = regions; r != NULL; r = r->next)
        if (r->addr == addr)
            return true;
    return false;
}

mach_msg_option_t
tp_last_option(void)
{
    return last_option;
}

mach_msg_timeout_t
tp_last_timeout(void)
{
    return last_timeout;
}

int
tp_queued(mach_port_t name)
{
    int n = 0;
    if (port(name) != NULL)
        for (struct qmsg *q = port(name)->head; q != NULL; q = q->next)
            n++;
    return n;
}

mach_port_t
tp_reply_port_in_use(void)
{
    return reply_port;
}

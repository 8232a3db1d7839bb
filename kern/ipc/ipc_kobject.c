// SPDX-License-Identifier: MIT
//
// Kernel objects as ports (ipc_kobject.h) and the kernel's message server.
//
// ipc_kobject_server() serves one request to a kernel object's port inside
// the sender's mach_msg: it presents the request to the mig demux in the
// received form (remote = reply right, local = the object's port), as a
// user server would see it, and sends the reply the demux built.  Who owns
// what follows mig's rule (docs/mig.md): the demux moves the reply right
// into the reply header; a routine that fails consumes nothing and its stub
// destroys the request; MIG_NO_REPLY means the routine kept the reply right
// (sreplyport) and answers later with ipc_kobject_reply_later().
//
// Two classic Mach rules about the rights in a kernel server's reply:
//   - The reply goes to the reply right the request carried, with the
//     disposition the client chose: a send-once right (MAKE_SEND_ONCE, what
//     mig clients use) or a send right (MAKE_SEND / COPY_SEND, which GNU
//     Mach accepts too).  A receive right cannot take a reply: it is
//     destroyed and the request is served without one.
//   - A port a routine returns (an outtran such as convert_task_to_port, a
//     mach_port_t out argument) is a naked send right made for the reply,
//     and mig's kernel server stubs send it with MACH_MSG_TYPE_MOVE_SEND (as
//     XNU's do; docs/mig.md).  Copying it instead would leak one send right
//     (and so the port) per port-returning call.

#include <ipc/ipc_kobject.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_space.h>
#include <ipc/ipc_defer.h>
#include <ipc/mach_msg.h>
#include <mach/mig_errors.h>
#include <kern/spinlock.h>
#include <kern/assert.h>
#include <lib/string.h>

struct kobject_server {
    ipc_kobject_demux_t ks_demux;
    mach_msg_id_t ks_base;
    mach_msg_id_t ks_count;
    mach_msg_size_t ks_reply_size; /* kernel layout */
};

static struct spinlock kobject_lock = SPINLOCK_INIT("ipc.kobject", LOCK_RANK_IPC_KOBJECT);
/* Protected by kobject_lock. */
static struct kobject_server kobject_servers[IPC_KOBJECT_SERVERS_MAX];
static unsigned kobject_nservers;

/*
 * Purpose: register the demux function of a KernelServer subsystem for the
 *     message ids [base, base + count).  max_reply_size is the largest
 *     reply it builds (mig's <subsystem>_max_reply_size); 0 means small.
 * Conditions: no locks held; normally at boot.
 * Returns: KERN_SUCCESS; KERN_INVALID_ARGUMENT (empty or overlapping
 *     range, no demux); KERN_RESOURCE_SHORTAGE (table full).
 */
kern_return_t
ipc_kobject_register_server(ipc_kobject_demux_t demux, mach_msg_id_t base, mach_msg_id_t count,
                            mach_msg_size_t max_reply_size)
{
    kern_return_t kr = KERN_SUCCESS;

    if (demux == NULL || count <= 0)
        return KERN_INVALID_ARGUMENT;
    spin_lock(&kobject_lock);
    for (unsigned i = 0; i < kobject_nservers; i++) {
        struct kobject_server *s = &kobject_servers[i];
        if (base < s->ks_base + s->ks_count && s->ks_base < base + count)
            kr = KERN_INVALID_ARGUMENT;
    }
    if (kr == KERN_SUCCESS && kobject_nservers == IPC_KOBJECT_SERVERS_MAX)
        kr = KERN_RESOURCE_SHORTAGE;
    if (kr == KERN_SUCCESS) {
        kobject_servers[kobject_nservers++] =
            (struct kobject_server){demux, base, count, MAX(max_reply_size, IPC_KOBJECT_REPLY_MIN)};
    }
    spin_unlock(&kobject_lock);
    return kr;
}

// The server for a message id, copied out of the table; false if none.
static bool
find_server(mach_msg_id_t id, struct kobject_server *out)
{
    bool found = false;

    spin_lock(&kobject_lock);
    for (unsigned i = 0; i < kobject_nservers && !found; i++) {
        struct kobject_server *s = &kobject_servers[i];
        if (id >= s->ks_base && id - s->ks_base < s->ks_count) {
            *out = *s;
            found = true;
        }
    }
    spin_unlock(&kobject_lock);
    return found;
}

/*
 * Purpose: a new port standing for `kobject` of type `kotype`, its receive
 *     right held by the kernel.
 * Conditions: no locks needed.
 * Returns: the port (one reference, with the receive right), or NULL.
 */
struct ipc_port *
ipc_kobject_alloc_port(void *kobject, unsigned kotype)
{
    struct ipc_port *port = ipc_port_alloc_special(ipc_space_kernel);

    if (port != NULL)
        ipc_kobject_set(port, kobject, kotype);
    return port;
}

/*
 * Purpose: make a kernel-held port stand for `kobject` (IKOT_NONE: for
 *     nothing; messages are then queued normally).
 * Conditions: port not locked.
 */
void
ipc_kobject_set(struct ipc_port *port, void *kobject, unsigned kotype)
{
    assert(kotype < IKOT_MAX);
    ipc_port_lock(port);
    assert(port->ip_receiver == ipc_space_kernel);
    port->ip_kobject = kobject;
    port->ip_kotype = kotype;
    ipc_port_unlock(port);
}

/*
 * Purpose: the object is going away: its port stops standing for it and
 *     dies (send rights anywhere become dead names).
 * Conditions: no IPC locks held.  Consumes the kernel's receive right.
 */
void
ipc_kobject_destroy_port(struct ipc_port *port)
{
    ipc_kobject_set(port, NULL, IKOT_NONE);
    ipc_port_dealloc_special(port);
    ipc_defer_run();
}

/*
 * Purpose: the object a port stands for, if it is of type `kotype`.
 * Conditions: port locked.  The object stays valid only while the port
 *     lock is held (take a reference on it before unlocking).
 * Returns: the object or NULL.
 */
void *
ipc_kobject_get_locked(struct ipc_port *port, unsigned kotype)
{
    assert_locked(&port->ip_lock);
    if (!port->ip_active || port->ip_kotype != kotype)
        return NULL;
    return port->ip_kobject;
}

// Builds a MIG error reply to `reply_port` (a right of received type
// `rtype`, consumed) in a new kmsg; NULL when memory is short.
static struct ipc_kmsg *
error_reply(struct ipc_port *reply_port, mach_msg_type_name_t rtype, mach_msg_id_t id,
            kern_return_t code)
{
    struct ipc_kmsg *kmsg = ipc_kmsg_alloc(sizeof(mig_reply_error_t));
    mig_reply_error_t *r;

    if (kmsg == NULL) {
        ipc_kmsg_destroy_right(reply_port, rtype);
        return NULL;
    }
    r = (mig_reply_error_t *)ikm_header(kmsg);
    r->Head.msgh_bits = MACH_MSGH_BITS(rtype, 0);
    r->Head.msgh_size = sizeof(*r);
    r->Head.msgh_remote_port = reply_port;
    r->Head.msgh_local_port = IP_NULL;
    r->Head.msgh_voucher_port = MACH_PORT_NULL;
    r->Head.msgh_id = id + MIG_REPLY_ID_OFFSET;
    r->RetCode = code;
    return kmsg;
}

// Takes the reply right out of a received-form request, destroys the rest
// and answers with `code`.
static struct ipc_kmsg *
reject(struct ipc_kmsg *request, kern_return_t code)
{
    mach_msg_header_t *h = ikm_header(request);
    struct ipc_port *reply_port = h->msgh_remote_port;
    mach_msg_type_name_t rtype = MACH_MSGH_BITS_REMOTE(h->msgh_bits);
    mach_msg_id_t id = h->msgh_id;

    h->msgh_remote_port = IP_NULL;
    h->msgh_bits &= ~(mach_msg_bits_t)MACH_MSGH_BITS_REMOTE_MASK;
    mach_msg_destroy(h);
    ipc_kmsg_free(request);
    if (!IP_VALID(reply_port))
        return NULL;
    return error_reply(reply_port, rtype, id, code);
}

// After the demux: the reply to send, or NULL (no reply, or it was freed).
static struct ipc_kmsg *
finish_reply(struct ipc_kmsg *reply)
{
    mach_msg_header_t *out = ikm_header(reply);

    if (!IP_VALID(out->msgh_remote_port) || (!(out->msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
                                             ((mig_reply_error_t *)out)->RetCode == MIG_NO_REPLY)) {
        ipc_kmsg_free(reply);
        return NULL;
    }
    if (out->msgh_size + MAX_TRAILER_SIZE > reply->ikm_size)
        panic("kernel server reply of %u bytes overflowed its buffer", out->msgh_size);
    if (ipc_kmsg_copyin_from_kernel(reply) != MACH_MSG_SUCCESS) {
        ipc_kmsg_destroy(reply); /* kernel memory short: the client sees the reply right die */
        return NULL;
    }
    return reply;
}

// A receive right sent as the reply port cannot take the reply (the reply
// would carry it into its own queue): it is destroyed, and the request is
// served as one without a reply port.
static void
drop_receive_reply(mach_msg_header_t *in)
{
    if (MACH_MSGH_BITS_REMOTE(in->msgh_bits) != MACH_MSG_TYPE_PORT_RECEIVE)
        return;
    ipc_kmsg_destroy_right(in->msgh_remote_port, MACH_MSG_TYPE_PORT_RECEIVE);
    in->msgh_remote_port = IP_NULL;
    in->msgh_bits &= ~(mach_msg_bits_t)MACH_MSGH_BITS_REMOTE_MASK;
}

/*
 * Purpose: serve a message sent to a kernel object's port.
 * Conditions: no IPC locks held; called by ipc_kmsg_send.  Consumes the
 *     request (copied-in form).
 * Returns: the reply, copied in and ready to send, or NULL if there is
 *     none (simple routine, MIG_NO_REPLY, no reply port, no memory).
 */
struct ipc_kmsg *
ipc_kobject_server(struct ipc_kmsg *request)
{
    mach_msg_header_t *in = ikm_header(request);
    struct ipc_port *object_port = in->msgh_remote_port;
    struct kobject_server server;
    struct ipc_kmsg *reply;
    mach_msg_return_t mr;

    ipc_port_reference(object_port); /* the routine's port lives through the call */
    mr = ipc_kmsg_copyout_to_kernel(request);
    drop_receive_reply(in);
    if (mr != MACH_MSG_SUCCESS) { /* an OOL region could not become a kernel buffer */
        reply = reject(request, KERN_RESOURCE_SHORTAGE);
    } else if (!find_server(in->msgh_id, &server)) {
        reply = reject(request, MIG_BAD_ID);
    } else if ((reply = ipc_kmsg_alloc(server.ks_reply_size)) == NULL) {
        reply = reject(request, KERN_RESOURCE_SHORTAGE);
    } else {
        memset(ikm_header(reply), 0, sizeof(mig_reply_error_t));
        (void)server.ks_demux(in, ikm_header(reply));
        ipc_kmsg_free(request); /* the stubs settled every right it held */
        reply = finish_reply(reply);
    }
    ipc_port_release(object_port);
    return reply;
}

/*
 * Purpose: send the reply to a request whose routine returned MIG_NO_REPLY
 *     and kept its reply right: `reply` (kernel layout, `size` bytes, its
 *     body and msgh_id filled in) goes to `reply_port`, consuming the right.
 *     `reply_type` is the type the right was received with, as the request
 *     header said (MACH_MSGH_BITS_REMOTE; mig gives it to a routine whose
 *     sreplyport is polymorphic): MACH_MSG_TYPE_PORT_SEND_ONCE, or
 *     MACH_MSG_TYPE_PORT_SEND when the client made or copied a send right.
 *     The reply moves that right, as the immediate reply would have.
 * Conditions: no IPC locks held.
 * Returns: MACH_MSG_SUCCESS (also when the reply port has died: the reply
 *     is destroyed, as any message to a dead port); MACH_SEND_NO_BUFFER
 *     (the right is destroyed, so a send-once client sees MIG_SERVER_DIED
 *     rather than hanging); MACH_SEND_INVALID_REPLY (no reply port, or a
 *     type that cannot take a reply: a receive right is destroyed).
 */
mach_msg_return_t
ipc_kobject_reply_later(struct ipc_port *reply_port, mach_msg_type_name_t reply_type,
                        mach_msg_header_t *reply, mach_msg_size_t size)
{
    mach_msg_return_t mr;

    if (!IP_VALID(reply_port) ||
        (reply_type != MACH_MSG_TYPE_PORT_SEND_ONCE && reply_type != MACH_MSG_TYPE_PORT_SEND)) {
        if (IP_VALID(reply_port) && reply_type == MACH_MSG_TYPE_PORT_RECEIVE) {
            ipc_kmsg_destroy_right(reply_port, reply_type);
            ipc_defer_run();
        }
        return MACH_SEND_INVALID_REPLY;
    }
    reply->msgh_remote_port = reply_port;
    reply->msgh_local_port = IP_NULL;
    /* PORT_SEND_ONCE / PORT_SEND are MOVE_SEND_ONCE / MOVE_SEND. */
    reply->msgh_bits = (reply->msgh_bits & MACH_MSGH_BITS_COMPLEX) | MACH_MSGH_BITS(reply_type, 0);
    reply->msgh_size = size;
    mr = mach_msg_send_from_kernel(reply, size);
    if (mr == MACH_SEND_NO_BUFFER || mr == MACH_SEND_MSG_TOO_SMALL) {
        ipc_kmsg_destroy_right(reply_port, reply_type);
        ipc_defer_run();
    }
    return mr;
}

// SPDX-License-Identifier: MIT
//
// Kernel notifications (ipc_notify.h) and dead-name requests.
//
// Ownership of a dead-name request: while its port lives, the request is on
// the port's ip_dnrequests list and the entry's ie_request points to it;
// removing the name unlinks it (under the port lock) and sends port-deleted.
// When the port dies, ipc_port_destroy takes the whole list: from then on
// the requests belong to ipc_port_dnrequests_fire, which visits each space,
// turns the name into a dead name with one extra uref and sends dead-name
// (or port-deleted, if the name went away in between).  An entry that finds
// its port dead only forgets its ie_request.

#include <ipc/ipc_notify.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_space.h>
#include <ipc/ipc_entry.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_defer.h>
#include <ipc/ipc_stats.h>
#include <kern/zalloc.h>
#include <kern/assert.h>

static struct zone *ipc_dnrequest_zone;

/*
 * Purpose: create the dead-name request zone.
 * Conditions: ipc_init, once.
 */
void
ipc_notify_bootstrap(void)
{
    ipc_dnrequest_zone = zone_create("ipc.dnrequest", sizeof(struct ipc_dnrequest), 0);
    assert(ipc_dnrequest_zone != NULL);
}

/* A new, empty request, or NULL when memory is short.  Any locks. */
struct ipc_dnrequest *
ipc_dnrequest_alloc(void)
{
    struct ipc_dnrequest *req = zalloc(ipc_dnrequest_zone);

    if (req != NULL) {
        *req = (struct ipc_dnrequest){0};
        IPC_STAT_INC(st_dnrequests);
    }
    return req;
}

/*
 * Purpose: free a request that is on no list; drops its space reference.
 *     Its idr_notify must have been sent, handed back or be NULL.
 * Conditions: any IPC locks but the request's space's last reference.
 */
void
ipc_dnrequest_free(struct ipc_dnrequest *req)
{
    if (req->idr_space != NULL)
        ipc_space_release(req->idr_space);
    zfree(ipc_dnrequest_zone, req);
    IPC_STAT_DEC(st_dnrequests);
}

/*
 * Purpose: unlink a request from its live port's list.
 * Conditions: port locked and active; req is on its list.
 */
void
ipc_dnrequest_cancel(struct ipc_port *port, struct ipc_dnrequest *req)
{
    struct ipc_dnrequest **link = &port->ip_dnrequests;

    assert_locked(&port->ip_lock);
    while (*link != req) {
        assert(*link != NULL);
        link = &(*link)->idr_next;
    }
    *link = req->idr_next;
    req->idr_next = NULL;
}

// Fires one request of a dead port (see the file comment).
static void
fire_one(struct ipc_dnrequest *req)
{
    struct ipc_space *space = req->idr_space;
    struct ipc_entry *e;
    bool dead = false;

    if (space == NULL) { // a kernel request: no name, no message
        req->idr_kernel_fn(req->idr_port);
        ipc_dnrequest_free(req);
        return;
    }
    ipc_space_lock(space);
    e = ipc_entry_lookup(space, req->idr_name);
    if (e != NULL && e->ie_request == req) {
        e->ie_request = NULL;
        dead = ipc_right_check(space, e);
        if (dead && IE_BITS_UREFS(e->ie_bits) < MACH_PORT_UREFS_MAX)
            e->ie_bits++;
    }
    ipc_space_unlock(space);
    if (dead)
        ipc_notify_dead_name(req->idr_notify, req->idr_name);
    else
        ipc_notify_port_deleted(req->idr_notify, req->idr_name);
    req->idr_notify = NULL;
    ipc_dnrequest_free(req);
}

/*
 * Purpose: fire the dead-name requests of a port that just died.
 * Conditions: no IPC locks held (takes each request's space lock).
 *     Consumes the list.
 */
void
ipc_port_dnrequests_fire(struct ipc_dnrequest *list)
{
    struct ipc_dnrequest *next;

    for (; list != NULL; list = next) {
        next = list->idr_next;
        fire_one(list);
    }
}

/*
 * Purpose: a kernel dead-name request on port: fn(port) when it dies.
 * Conditions: no IPC locks held.
 * Returns: KERN_SUCCESS (*reqp set); KERN_INVALID_RIGHT (already dead);
 *     KERN_RESOURCE_SHORTAGE.
 */
kern_return_t
ipc_dnrequest_kernel(struct ipc_port *port, void (*fn)(struct ipc_port *port),
                     struct ipc_dnrequest **reqp)
{
    struct ipc_dnrequest *req = ipc_dnrequest_alloc();

    if (req == NULL)
        return KERN_RESOURCE_SHORTAGE;
    req->idr_kernel_fn = fn;
    req->idr_port = port;
    ipc_port_lock(port);
    if (!port->ip_active) {
        ipc_port_unlock(port);
        ipc_dnrequest_free(req);
        return KERN_INVALID_RIGHT;
    }
    req->idr_next = port->ip_dnrequests;
    port->ip_dnrequests = req;
    ipc_port_unlock(port);
    *reqp = req;
    return KERN_SUCCESS;
}

/*
 * Purpose: withdraw a kernel request while its port lives (see the header
 *     for the dead-port case: the destroyer owns the request then).
 * Conditions: no IPC locks held; the caller holds a reference to port.
 */
void
ipc_dnrequest_kernel_cancel(struct ipc_port *port, struct ipc_dnrequest *req)
{
    bool ours;

    ipc_port_lock(port);
    ours = port->ip_active; // dead: ipc_port_destroy took req (maybe freed it)
    if (ours) {
        assert(req->idr_space == NULL && req->idr_port == port);
        ipc_dnrequest_cancel(port, req);
    }
    ipc_port_unlock(port);
    if (ours)
        ipc_dnrequest_free(req);
}

// A kernel-layout notification of `size` bytes to the send-once right
// `notify` (consumed).  NULL, with the right destroyed, when memory is
// short.
static struct ipc_kmsg *
notify_alloc(struct ipc_port *notify, mach_msg_size_t size, mach_msg_id_t id)
{
    struct ipc_kmsg *kmsg = ipc_kmsg_alloc(size);
    mach_msg_header_t *h;

    if (kmsg == NULL) {
        IPC_STAT_INC(st_notifications_lost);
        ipc_port_release_sonce(notify);
        return NULL;
    }
    kmsg->ikm_flags |= IKM_NOTIFY;
    IPC_STAT_INC(st_notifications);
    h = ikm_header(kmsg);
    h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, 0);
    h->msgh_size = size;
    h->msgh_remote_port = notify;
    h->msgh_local_port = IP_NULL;
    h->msgh_voucher_port = MACH_PORT_NULL;
    h->msgh_id = id;
    return kmsg;
}

typedef struct {
    mach_msg_header_t not_header;
    natural_t not_value; /* the name, or the make-send count */
} notify_value_t;

static void
notify_value(struct ipc_port *notify, mach_msg_id_t id, natural_t value)
{
    struct ipc_kmsg *kmsg;

    if (!IP_VALID(notify))
        return;
    kmsg = notify_alloc(notify, sizeof(notify_value_t), id);
    if (kmsg == NULL)
        return;
    ((notify_value_t *)ikm_header(kmsg))->not_value = value;
    ipc_defer_send(kmsg);
}

/*
 * Purpose: tell `notify` that `name` was deleted while a dead-name request
 *     was registered on it (MACH_NOTIFY_PORT_DELETED).
 * Conditions: any IPC locks (the send is deferred).  Consumes the send-once
 *     right `notify`; NULL or DEAD sends nothing.
 */
void
ipc_notify_port_deleted(struct ipc_port *notify, mach_port_name_t name)
{
    notify_value(notify, MACH_NOTIFY_PORT_DELETED, name);
}

/*
 * Purpose: tell `notify` that the port `name` denoted died; the name is now
 *     a dead name holding an extra uref for this notification
 *     (MACH_NOTIFY_DEAD_NAME).
 * Conditions: as ipc_notify_port_deleted.
 */
void
ipc_notify_dead_name(struct ipc_port *notify, mach_port_name_t name)
{
    notify_value(notify, MACH_NOTIFY_DEAD_NAME, name);
}

/*
 * Purpose: tell `notify` that the last send right of a port went away,
 *     with the port's make-send count (MACH_NOTIFY_NO_SENDERS).
 * Conditions: as ipc_notify_port_deleted.
 */
void
ipc_notify_no_senders(struct ipc_port *notify, mach_port_mscount_t mscount)
{
    notify_value(notify, MACH_NOTIFY_NO_SENDERS, mscount);
}

/*
 * Purpose: destroy an unused send-once right: the message it promised is a
 *     send-once notification to its port (MACH_NOTIFY_SEND_ONCE).
 * Conditions: any IPC locks but the port's.  Consumes the right.
 */
void
ipc_notify_send_once(struct ipc_port *port)
{
    struct ipc_kmsg *kmsg;
    bool active;

    if (!IP_VALID(port))
        return;
    ipc_port_lock(port);
    active = port->ip_active;
    ipc_port_unlock(port);
    if (!active) {
        /* Nobody could receive it, and destroying it would destroy this
         * right again: just let the right go. */
        ipc_port_release_sonce(port);
        return;
    }
    kmsg = notify_alloc(port, sizeof(mach_msg_header_t), MACH_NOTIFY_SEND_ONCE);
    if (kmsg != NULL)
        ipc_defer_send(kmsg);
}

typedef struct {
    mach_msg_header_t not_header;
    mach_msg_body_t not_body;
    mach_msg_port_descriptor_t not_port;
} notify_port_destroyed_t;

/*
 * Purpose: hand the receive right of `port`, which its holder destroyed,
 *     to the port-destroyed requester (MACH_NOTIFY_PORT_DESTROYED).  The
 *     port stays alive, in transit.  If the message cannot be made, or
 *     would carry the port to itself, the port dies after all.
 * Conditions: no IPC locks held (ipc_port_destroy).  Consumes the
 *     send-once right `notify` and the receive right with its reference.
 */
void
ipc_notify_port_destroyed(struct ipc_port *notify, struct ipc_port *port)
{
    struct ipc_kmsg *kmsg =
        notify_alloc(notify, sizeof(notify_port_destroyed_t), MACH_NOTIFY_PORT_DESTROYED);
    notify_port_destroyed_t *n;

    if (kmsg == NULL) {
        ipc_defer_destroy_port(port);
        return;
    }
    n = (notify_port_destroyed_t *)ikm_header(kmsg);
    n->not_header.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
    n->not_body.msgh_descriptor_count = 1;
    n->not_port.name = port;
    n->not_port.pad2 = 0;
    n->not_port.disposition = MACH_MSG_TYPE_PORT_RECEIVE;
    n->not_port.type = MACH_MSG_PORT_DESCRIPTOR;
    ipc_port_lock(port);
    ipc_port_clear_receiver_locked(port, notify);
    ipc_port_unlock(port);
    if (ipc_port_check_circularity(port, notify))
        kmsg->ikm_flags |= IKM_CIRCULAR;
    ipc_defer_send(kmsg);
}

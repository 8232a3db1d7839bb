// SPDX-License-Identifier: MIT
//
// Ports (ipc_port.h): allocation, references, the right counts (send,
// send-once, make-send count) with the no-senders notification they cause,
// the receive right's whereabouts (a space, in transit, the kernel), and
// death: a port dies when its receive right is destroyed, unless someone
// asked for a port-destroyed notification, which carries the receive right
// away instead.

#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_space.h>
#include <ipc/ipc_entry.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_notify.h>
#include <ipc/ipc_defer.h>
#include <ipc/ipc_stats.h>
#include <kern/sched_prim.h>
#include <kern/zalloc.h>
#include <kern/assert.h>

static struct zone *ipc_port_zone;

/*
 * Purpose: create the port zone.
 * Conditions: ipc_init, once.
 */
void
ipc_port_bootstrap(void)
{
    ipc_port_zone = zone_create("ipc.port", sizeof(struct ipc_port), 0);
    assert(ipc_port_zone != NULL);
}

/*
 * Purpose: take a reference on a port.
 * Conditions: the caller holds a reference already (directly, or through a
 *     lock on something that holds one).
 */
void
ipc_port_reference(struct ipc_port *port)
{
    __atomic_add_fetch(&port->ip_refs, 1, __ATOMIC_RELAXED);
}

/*
 * Purpose: drop a reference; the last one frees the (dead) port.
 * Conditions: not holding this port's lock.  Other IPC locks may be held.
 */
void
ipc_port_release(struct ipc_port *port)
{
    if (__atomic_sub_fetch(&port->ip_refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    if (port->ip_active || port->ip_srights != 0 || port->ip_sorights != 0)
        panic("ipc_port_release: last reference to live port %p", port);
    zfree(ipc_port_zone, port);
    IPC_STAT_DEC(st_ports);
}

// A new port with one reference, its receive right not yet anywhere.
static struct ipc_port *
port_alloc(void)
{
    struct ipc_port *port = zalloc(ipc_port_zone);

    if (port == NULL)
        return NULL;
    *port = (struct ipc_port){0};
    spinlock_init(&port->ip_lock, "ipc.port", LOCK_RANK_IPC_PORT);
    port->ip_refs = 1;
    port->ip_active = true;
    port->ip_qlimit = MACH_PORT_QLIMIT_DEFAULT;
    port->ip_seqno = 0;
    ipc_mqueue_init(&port->ip_messages);
    IPC_STAT_INC(st_ports);
    IPC_STAT_INC(st_ports_active);
    return port;
}

/*
 * Purpose: allocate a port whose receive right `space` (normally
 *     ipc_space_kernel) holds without a name.
 * Conditions: no locks needed.
 * Returns: the port, with one reference that goes with the receive right;
 *     NULL when memory is short.
 */
struct ipc_port *
ipc_port_alloc_special(struct ipc_space *space)
{
    struct ipc_port *port = port_alloc();

    if (port != NULL)
        port->ip_receiver = space;
    return port;
}

// Gives a new port's receive right the entry just made for it.
static void
port_name(struct ipc_space *space, mach_port_name_t name, struct ipc_entry *e,
          struct ipc_port *port)
{
    port->ip_receiver = space;
    port->ip_receiver_name = name;
    ipc_entry_set(space, e, port, MACH_PORT_TYPE_RECEIVE);
}

/*
 * Purpose: allocate a port and name its receive right in `space`.
 * Conditions: no locks held; takes the space's.
 * Returns: KERN_SUCCESS with *namep and *portp (the pointer stays valid
 *     while the right is held); KERN_INVALID_TASK for a dead space;
 *     KERN_NO_SPACE when no name or memory is left.
 */
kern_return_t
ipc_port_alloc(struct ipc_space *space, mach_port_name_t *namep, struct ipc_port **portp)
{
    struct ipc_port *port = port_alloc();
    struct ipc_entry *e;
    mach_port_name_t name;
    kern_return_t kr = KERN_INVALID_TASK;

    if (port == NULL)
        return KERN_NO_SPACE;
    ipc_space_lock(space);
    if (!space->is_active || (kr = ipc_entry_alloc(space, &name, &e)) != KERN_SUCCESS)
        goto fail_unlock;
    port_name(space, name, e, port);
    ipc_space_unlock(space);
    *namep = name;
    *portp = port;
    return KERN_SUCCESS;

fail_unlock:
    ipc_space_unlock(space);
    port->ip_active = false;
    IPC_STAT_DEC(st_ports_active);
    ipc_port_release(port);
    return kr;
}

/*
 * Purpose: like ipc_port_alloc, under a name the caller chose.
 * Conditions: no locks held.
 * Returns: KERN_SUCCESS; KERN_INVALID_TASK; KERN_NAME_EXISTS if the name is
 *     in use; KERN_INVALID_VALUE for a name that cannot be represented;
 *     KERN_NO_SPACE.
 */
kern_return_t
ipc_port_alloc_name(struct ipc_space *space, mach_port_name_t name, struct ipc_port **portp)
{
    struct ipc_port *port = port_alloc();
    struct ipc_entry *e;
    kern_return_t kr = KERN_INVALID_TASK;

    if (port == NULL)
        return KERN_NO_SPACE;
    ipc_space_lock(space);
    if (!space->is_active || (kr = ipc_entry_alloc_name(space, name, &e)) != KERN_SUCCESS)
        goto fail_unlock;
    if (e->ie_bits != 0) {
        kr = KERN_NAME_EXISTS;
        goto fail_unlock;
    }
    port_name(space, name, e, port);
    ipc_space_unlock(space);
    *portp = port;
    return KERN_SUCCESS;

fail_unlock:
    ipc_space_unlock(space);
    port->ip_active = false;
    IPC_STAT_DEC(st_ports_active);
    ipc_port_release(port);
    return kr;
}

// Hands the receive right to the port-destroyed notification instead of
// destroying it.  Called with the port locked; unlocks it.
static void
port_destroyed_notify(struct ipc_port *port)
{
    struct ipc_port *pdrequest = port->ip_pdrequest;

    port->ip_pdrequest = NULL;
    port->ip_receiver = NULL;
    port->ip_receiver_name = MACH_PORT_NULL;
    ipc_port_unlock(port);
    ipc_notify_port_destroyed(pdrequest, port);
}

/*
 * Purpose: destroy a receive right.  Unless a port-destroyed notification
 *     was requested (it then carries the right to the requester), the port
 *     dies: its queued messages are destroyed with everything they carry,
 *     receivers and blocked senders wake up, dead-name requests fire, and
 *     the no-senders request gets a send-once notification.
 * Conditions: no IPC locks held.  The caller owns the receive right, which
 *     is in no space, and gives up the reference that goes with it.
 */
void
ipc_port_destroy(struct ipc_port *port)
{
    struct ipc_kmsg *kmsg, *msgs = NULL;
    struct ipc_port *nsrequest, *dest;
    struct ipc_dnrequest *dnrequests;

    ipc_pset_remove_port(port);
    ipc_port_lock(port);
    assert(port->ip_active);
    if (port->ip_pdrequest != NULL && port->ip_kotype == IKOT_NONE) {
        port_destroyed_notify(port);
        return;
    }
    port->ip_active = false;
    port->ip_receiver = NULL;
    while ((kmsg = ipc_mqueue_dequeue_port(&port->ip_messages, port)) != NULL) {
        kmsg->ikm_next = msgs;
        msgs = kmsg;
    }
    port->ip_msgcount = 0;
    nsrequest = port->ip_nsrequest;
    port->ip_nsrequest = NULL;
    dnrequests = port->ip_dnrequests;
    port->ip_dnrequests = NULL;
    dest = port->ip_destination;
    port->ip_destination = NULL;
    thread_wakeup((event_t)&port->ip_messages);
    thread_wakeup((event_t)&port->ip_qlimit);
    ipc_port_unlock(port);
    IPC_STAT_DEC(st_ports_active);

    while ((kmsg = msgs) != NULL) {
        msgs = kmsg->ikm_next;
        ipc_defer_destroy_kmsg(kmsg);
    }
    if (nsrequest != NULL)
        ipc_notify_send_once(nsrequest);
    ipc_port_dnrequests_fire(dnrequests);
    if (dest != NULL)
        ipc_port_release(dest);
    ipc_port_release(port);
}

/*
 * Purpose: destroy a port whose receive right the kernel holds (a kernel
 *     object's port, a kernel reply port).
 * Conditions: no IPC locks held.  Consumes the kernel's receive right and
 *     its reference.
 */
void
ipc_port_dealloc_special(struct ipc_port *port)
{
    ipc_port_lock(port);
    port->ip_pdrequest = NULL; /* a kernel port is never handed out this way */
    ipc_port_unlock(port);
    ipc_port_destroy(port);
}

/*
 * Purpose: make a send right (MAKE_SEND): counts in the make-send count.
 * Conditions: port locked and active (the caller holds the receive right).
 * Returns: the port, which now carries a send right and a reference for it.
 */
struct ipc_port *
ipc_port_make_send_locked(struct ipc_port *port)
{
    assert_locked(&port->ip_lock);
    assert(port->ip_active);
    port->ip_mscount++;
    port->ip_srights++;
    ipc_port_reference(port);
    return port;
}

// Runs make_locked on `port` under its lock: NULL in, NULL out; IP_DEAD for
// a dead port.
static struct ipc_port *
make_right(struct ipc_port *port, struct ipc_port *(*make_locked)(struct ipc_port *))
{
    if (!IP_VALID(port))
        return port;
    ipc_port_lock(port);
    if (!port->ip_active) {
        ipc_port_unlock(port);
        return IP_DEAD;
    }
    make_locked(port);
    ipc_port_unlock(port);
    return port;
}

/* As ipc_port_make_send_locked; takes the port's lock.  NULL in, NULL out;
 * IP_DEAD for a dead port. */
struct ipc_port *
ipc_port_make_send(struct ipc_port *port)
{
    return make_right(port, ipc_port_make_send_locked);
}

/*
 * Purpose: copy a send right the caller holds (COPY_SEND).
 * Conditions: port locked.
 * Returns: the port with a new send right and reference, or IP_DEAD if the
 *     port died (then nothing is made).
 */
struct ipc_port *
ipc_port_copy_send_locked(struct ipc_port *port)
{
    assert_locked(&port->ip_lock);
    if (!port->ip_active)
        return IP_DEAD;
    assert(port->ip_srights > 0);
    port->ip_srights++;
    ipc_port_reference(port);
    return port;
}

/* As ipc_port_copy_send_locked; takes the lock.  Passes NULL and DEAD through. */
struct ipc_port *
ipc_port_copy_send(struct ipc_port *port)
{
    struct ipc_port *sright;

    if (!IP_VALID(port))
        return port;
    ipc_port_lock(port);
    sright = ipc_port_copy_send_locked(port);
    ipc_port_unlock(port);
    return sright;
}

/*
 * Purpose: release a send right.  The last send right of a live port with
 *     a no-senders request sends the notification (deferred).
 * Conditions: this port not locked; other IPC locks may be held.  Consumes
 *     the right and its reference.  NULL and DEAD are ignored.
 */
void
ipc_port_release_send(struct ipc_port *port)
{
    struct ipc_port *nsrequest = NULL;
    mach_port_mscount_t mscount = 0;

    if (!IP_VALID(port))
        return;
    ipc_port_lock(port);
    assert(port->ip_srights > 0);
    if (--port->ip_srights == 0 && port->ip_active && port->ip_nsrequest != NULL) {
        nsrequest = port->ip_nsrequest;
        port->ip_nsrequest = NULL;
        mscount = port->ip_mscount;
    }
    ipc_port_unlock(port);
    if (nsrequest != NULL)
        ipc_notify_no_senders(nsrequest, mscount);
    ipc_port_release(port);
}

/*
 * Purpose: make a send-once right (MAKE_SEND_ONCE).
 * Conditions: port locked and active.
 * Returns: the port with the new right and its reference.
 */
struct ipc_port *
ipc_port_make_sonce_locked(struct ipc_port *port)
{
    assert_locked(&port->ip_lock);
    assert(port->ip_active);
    port->ip_sorights++;
    ipc_port_reference(port);
    return port;
}

/* As ipc_port_make_sonce_locked; takes the lock.  IP_DEAD for a dead port. */
struct ipc_port *
ipc_port_make_sonce(struct ipc_port *port)
{
    return make_right(port, ipc_port_make_sonce_locked);
}

/*
 * Purpose: account for a send-once right that was used up (a message sent
 *     with it was received or destroyed).  Destroying an unused send-once
 *     right is different: that is ipc_notify_send_once().
 * Conditions: this port not locked.  Consumes the right's reference.
 */
void
ipc_port_release_sonce(struct ipc_port *port)
{
    if (!IP_VALID(port))
        return;
    ipc_port_lock(port);
    assert(port->ip_sorights > 0);
    port->ip_sorights--;
    ipc_port_unlock(port);
    ipc_port_release(port);
}

/*
 * Purpose: destroy a receive right that no space names (one carried by a
 *     message being destroyed).
 * Conditions: any IPC locks but this port's may be held (the work is
 *     deferred).  Consumes the right and its reference.
 */
void
ipc_port_release_receive(struct ipc_port *port)
{
    if (!IP_VALID(port))
        return;
    ipc_defer_destroy_port(port);
}

/*
 * Purpose: a receive right leaves its space for a message to `dest`.
 *     Receivers waiting on the port wake up and see it gone.
 * Conditions: port locked and active.  Takes a reference on dest (kept in
 *     ip_destination until the right is received or destroyed).
 */
void
ipc_port_clear_receiver_locked(struct ipc_port *port, struct ipc_port *dest)
{
    assert_locked(&port->ip_lock);
    port->ip_receiver = NULL;
    port->ip_receiver_name = MACH_PORT_NULL;
    if (IP_VALID(dest)) {
        ipc_port_reference(dest);
        port->ip_destination = dest;
    }
    thread_wakeup((event_t)&port->ip_messages);
}

/*
 * Purpose: a receive right arrives in `space` under `name`.
 * Conditions: port locked.  Drops the in-transit destination reference.
 */
void
ipc_port_set_receiver_locked(struct ipc_port *port, struct ipc_space *space, mach_port_name_t name)
{
    struct ipc_port *dest = port->ip_destination;

    assert_locked(&port->ip_lock);
    port->ip_receiver = space;
    port->ip_receiver_name = name;
    port->ip_destination = NULL;
    if (dest != NULL)
        ipc_port_release(dest); /* never the last reference: the message holds dest */
}

/*
 * Purpose: restart the port's sequence numbers at `seqno`: the oldest
 *     message still queued gets it, the next ones follow.
 * Conditions: port locked; takes the lock of its set, if any.
 */
void
ipc_port_set_seqno_locked(struct ipc_port *port, mach_port_seqno_t seqno)
{
    struct ipc_pset *pset = port->ip_pset;
    struct ipc_mqueue *mq = pset != NULL ? &pset->ips_messages : &port->ip_messages;

    assert_locked(&port->ip_lock);
    if (pset != NULL)
        spin_lock(&pset->ips_lock);
    for (struct ipc_kmsg *k = mq->imq_head; k != NULL; k = k->ikm_next) {
        if (ikm_header(k)->msgh_remote_port == port)
            k->ikm_seqno = seqno++;
    }
    port->ip_seqno = seqno;
    if (pset != NULL)
        spin_unlock(&pset->ips_lock);
}

/*
 * Purpose: change the queue limit; blocked senders retry.
 * Conditions: port locked.
 */
void
ipc_port_set_qlimit_locked(struct ipc_port *port, mach_port_msgcount_t qlimit)
{
    assert_locked(&port->ip_lock);
    port->ip_qlimit = qlimit;
    if (port->ip_blocked_senders != 0)
        thread_wakeup((event_t)&port->ip_qlimit);
}

/*
 * Purpose: would putting the receive right of `port` into a message to
 *     `dest` make the port unreachable (dest is the port, or is in transit
 *     in a chain of messages ending at the port)?
 * Conditions: no IPC locks held.  Takes each port's lock in turn.  Not
 *     atomic against moves racing on other CPUs (GNU Mach uses a global
 *     lock for that; Quay will when it runs on several CPUs).
 * Returns: true if circular.
 */
bool
ipc_port_check_circularity(struct ipc_port *port, struct ipc_port *dest)
{
    struct ipc_port *base = dest, *next;

    if (!IP_VALID(dest))
        return false;
    ipc_port_reference(base);
    for (;;) {
        if (base == port) {
            ipc_port_release(base);
            return true;
        }
        ipc_port_lock(base);
        next = base->ip_active && base->ip_receiver == NULL ? base->ip_destination : NULL;
        if (next != NULL)
            ipc_port_reference(next);
        ipc_port_unlock(base);
        ipc_port_release(base);
        if (next == NULL)
            return false;
        base = next;
    }
}

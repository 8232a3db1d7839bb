// SPDX-License-Identifier: MIT
//
// Deferred IPC work (ipc_defer.h): one global FIFO of messages to send or
// destroy and ports to destroy, filled by code that holds IPC locks and
// emptied by ipc_defer_run() at the end of each IPC entry point.  Several
// CPUs may run the queue at once; each takes one item at a time under the
// queue's lock and does the work with no lock held.

#include <ipc/ipc_defer.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_mqueue.h>
#include <kern/spinlock.h>
#include <kern/assert.h>

static struct spinlock defer_lock = SPINLOCK_INIT("ipc.defer", LOCK_RANK_IPC_REAPER);

// Protected by defer_lock.  Messages link through ikm_next; ports through
// ip_pset_next, which is free once a port is dead and out of its set.
static struct ipc_kmsg *defer_kmsg_head, *defer_kmsg_tail;
static struct ipc_port *defer_port_head, *defer_port_tail;

static void
defer_kmsg(struct ipc_kmsg *kmsg)
{
    kmsg->ikm_next = NULL;
    spin_lock(&defer_lock);
    if (defer_kmsg_tail != NULL)
        defer_kmsg_tail->ikm_next = kmsg;
    else
        defer_kmsg_head = kmsg;
    defer_kmsg_tail = kmsg;
    spin_unlock(&defer_lock);
}

/*
 * Purpose: queue a copied-in kernel message to be sent later, with
 *     MACH_SEND_ALWAYS (a notification never blocks its producer).
 * Conditions: any IPC locks may be held.  Consumes the message.
 */
void
ipc_defer_send(struct ipc_kmsg *kmsg)
{
    kmsg->ikm_flags &= ~IKM_DEFER_DESTROY;
    defer_kmsg(kmsg);
}

/*
 * Purpose: queue a copied-in message to be destroyed later (its rights
 *     released, its memory freed).
 * Conditions: any IPC locks may be held.  Consumes the message.
 */
void
ipc_defer_destroy_kmsg(struct ipc_kmsg *kmsg)
{
    kmsg->ikm_flags |= IKM_DEFER_DESTROY;
    defer_kmsg(kmsg);
}

/*
 * Purpose: queue a port whose receive right is being destroyed; the run
 *     calls ipc_port_destroy() on it.
 * Conditions: any IPC locks may be held, but not this port's.  Consumes the
 *     receive right and the reference that goes with it.  The port must be
 *     in no set (its ip_pset_next carries the queue link).
 */
void
ipc_defer_destroy_port(struct ipc_port *port)
{
    assert(port->ip_pset == NULL);
    port->ip_pset_next = NULL;
    spin_lock(&defer_lock);
    if (defer_port_tail != NULL)
        defer_port_tail->ip_pset_next = port;
    else
        defer_port_head = port;
    defer_port_tail = port;
    spin_unlock(&defer_lock);
}

// Takes one item off the queue: a port first (destroying it may queue
// messages), else a message.  Returns false when the queue is empty.
static bool
defer_pop(struct ipc_port **portp, struct ipc_kmsg **kmsgp)
{
    *portp = NULL;
    *kmsgp = NULL;
    spin_lock(&defer_lock);
    if (defer_port_head != NULL) {
        *portp = defer_port_head;
        defer_port_head = (*portp)->ip_pset_next;
        if (defer_port_head == NULL)
            defer_port_tail = NULL;
        (*portp)->ip_pset_next = NULL;
    } else if (defer_kmsg_head != NULL) {
        *kmsgp = defer_kmsg_head;
        defer_kmsg_head = (*kmsgp)->ikm_next;
        if (defer_kmsg_head == NULL)
            defer_kmsg_tail = NULL;
        (*kmsgp)->ikm_next = NULL;
    }
    spin_unlock(&defer_lock);
    return *portp != NULL || *kmsgp != NULL;
}

/*
 * Purpose: do all deferred IPC work: destroy queued ports, send or destroy
 *     queued messages, including whatever that work defers in turn.
 * Conditions: no IPC lock held (the work takes space and port locks and may
 *     run kernel servers).  Never blocks: deferred sends ignore queue limits.
 */
void
ipc_defer_run(void)
{
    struct ipc_port *port;
    struct ipc_kmsg *kmsg;

    while (defer_pop(&port, &kmsg)) {
        if (port != NULL) {
            ipc_port_destroy(port);
        } else if (kmsg->ikm_flags & IKM_DEFER_DESTROY) {
            kmsg->ikm_flags &= ~IKM_DEFER_DESTROY;
            ipc_kmsg_destroy(kmsg);
        } else {
            (void)ipc_kmsg_send(kmsg, MACH_SEND_ALWAYS, 0); /* always consumed */
        }
    }
}

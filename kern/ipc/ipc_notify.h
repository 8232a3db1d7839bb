/* SPDX-License-Identifier: MIT
 *
 * Kernel notifications (notify.defs): the messages the kernel sends when a
 * right dies or moves, and the dead-name requests that ask for them.
 * Each notification is built in the kernel layout and queued with
 * ipc_defer_send(), so it can be produced with IPC locks held; it is sent
 * by the next ipc_defer_run().  A notification that cannot be allocated is
 * lost (and counted), as in GNU Mach.  ipc_notify.c.
 */
#ifndef _IPC_IPC_NOTIFY_H_
#define _IPC_IPC_NOTIFY_H_

#include <kern/types.h>
#include <mach/kern_return.h>
#include <mach/message.h>
#include <mach/notify.h>

struct ipc_port;
struct ipc_space;

/* A dead-name request: notify `idr_notify` (a send-once right) when
 * idr_port dies while idr_space names it idr_name.  On the port's
 * ip_dnrequests list (port lock) and pointed to by the entry's ie_request
 * (space lock); whoever unlinks it from the port owns it. */
struct ipc_dnrequest {
    struct ipc_dnrequest *idr_next;
    struct ipc_space *idr_space; /* referenced; NULL for a kernel request */
    mach_port_name_t idr_name;
    struct ipc_port *idr_notify;
    /* A kernel request (idr_space NULL): the kernel holds a send right
     * outside any space (a pager's port) and wants to hear of its death.
     * idr_kernel_fn(idr_port) runs when the port dies, with no IPC locks
     * held and the port still referenced by its destroyer. */
    void (*idr_kernel_fn)(struct ipc_port *port);
    struct ipc_port *idr_port; /* not referenced: the request dies first */
};

/*
 * The notifications, as mig would lay out notify.defs without NDR records:
 *   port-deleted, dead-name:  header, mach_port_name_t name
 *   no-senders:               header, mach_port_mscount_t mscount
 *   send-once:                header
 *   port-destroyed:           complex header, body, port descriptor carrying
 *                             the receive right (MACH_MSG_TYPE_PORT_RECEIVE)
 * Each is sent with the notify right as destination and no reply port.
 */
void ipc_notify_bootstrap(void);
void ipc_notify_port_deleted(struct ipc_port *notify, mach_port_name_t name);
void ipc_notify_dead_name(struct ipc_port *notify, mach_port_name_t name);
void ipc_notify_no_senders(struct ipc_port *notify, mach_port_mscount_t mscount);
void ipc_notify_send_once(struct ipc_port *port);
void ipc_notify_port_destroyed(struct ipc_port *notify, struct ipc_port *port);
struct ipc_dnrequest *ipc_dnrequest_alloc(void);
void ipc_dnrequest_free(struct ipc_dnrequest *req);
void ipc_dnrequest_cancel(struct ipc_port *port, struct ipc_dnrequest *req);
void ipc_port_dnrequests_fire(struct ipc_dnrequest *list);

/* A kernel dead-name request on `port`: fn(port) runs once when the port
 * dies, with no IPC locks held.  *reqp gets the request, to cancel with
 * ipc_dnrequest_kernel_cancel.  Conditions: no IPC locks held.
 * Returns: KERN_SUCCESS; KERN_INVALID_RIGHT (the port is dead already: fn
 * is not called); KERN_RESOURCE_SHORTAGE. */
kern_return_t ipc_dnrequest_kernel(struct ipc_port *port, void (*fn)(struct ipc_port *port),
                                   struct ipc_dnrequest **reqp);

/* Cancels the kernel request req on port (the caller keeps a reference to
 * port): frees it if the port still lives.  If the port died, its
 * destroyer owns the request (it may be freed already, so it is not
 * touched) and fn may still be running or about to run.
 * Conditions: no IPC locks held. */
void ipc_dnrequest_kernel_cancel(struct ipc_port *port, struct ipc_dnrequest *req);

#endif

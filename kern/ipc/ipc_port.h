/* SPDX-License-Identifier: MIT
 *
 * Ports: the kernel object behind every right.  A port has exactly one
 * receive right (held by a space, by the kernel, or in transit inside a
 * message) and counts the send and send-once rights that exist for it
 * anywhere.  Messages sent to it wait on its queue (or, while it is a member
 * of a port set, on the set's queue) until received.  A port that is dead
 * (inactive) keeps only its memory until the last reference goes.  See
 * ipc_port.c and kern/ipc/README.md.
 */
#ifndef _IPC_IPC_PORT_H_
#define _IPC_IPC_PORT_H_

#include <kern/types.h>
#include <kern/spinlock.h>
#include <mach/message.h>
#include <ipc/ipc_mqueue.h>

struct ipc_space;
struct ipc_pset;
struct ipc_dnrequest;

/* A right that names no port, and a right to a port that died. */
#define IP_NULL     ((struct ipc_port *)0)
#define IP_DEAD     ((struct ipc_port *)~(uintptr_t)0)
#define IP_VALID(p) ((p) != IP_NULL && (p) != IP_DEAD)

/* Kernel object types (ip_kotype). */
#define IKOT_NONE            0
#define IKOT_TASK            1
#define IKOT_THREAD          2
#define IKOT_HOST            3
#define IKOT_HOST_PRIV       4
#define IKOT_DEVICE          5
#define IKOT_MASTER_DEVICE   6
#define IKOT_TEST            7 /* ktests' own kernel objects */
#define IKOT_MEM_OBJ_CONTROL 8 /* an external vm_object's control port (vm/memory_object.c) */
#define IKOT_MAX             9

struct ipc_port {
    struct spinlock ip_lock;
    uint32_t ip_refs; /* atomic: ipc_port_reference / ipc_port_release */

    /* Protected by ip_lock. */
    bool ip_active;                      /* false once the port died */
    struct ipc_space *ip_receiver;       /* holder of the receive right; NULL in transit */
    mach_port_name_t ip_receiver_name;   /* its name there */
    struct ipc_port *ip_destination;     /* in transit: where its message goes (ref) */
    struct ipc_pset *ip_pset;            /* the set it is a member of, or NULL */
    struct ipc_port *ip_pset_next;       /* next member (also protected by the set's lock) */
    mach_port_mscount_t ip_mscount;      /* make-send count */
    mach_port_rights_t ip_srights;       /* send rights in existence */
    mach_port_rights_t ip_sorights;      /* send-once rights in existence */
    struct ipc_port *ip_nsrequest;       /* send-once right: no-senders notification */
    struct ipc_port *ip_pdrequest;       /* send-once right: port-destroyed notification */
    struct ipc_dnrequest *ip_dnrequests; /* dead-name requests on this port */
    struct ipc_mqueue ip_messages;       /* queue while not in a set */
    mach_port_msgcount_t ip_msgcount;    /* messages queued for it, here or in its set */
    mach_port_msgcount_t ip_qlimit;
    mach_port_seqno_t ip_seqno;  /* given to the next message queued */
    unsigned ip_blocked_senders; /* senders waiting for room (event &ip_qlimit) */
    void *ip_kobject;            /* kernel object when ip_kotype != IKOT_NONE */
    unsigned ip_kotype;
};

/* Locking; ipc_port_lock asserts nothing, so these are for readability. */
static inline void
ipc_port_lock(struct ipc_port *port)
{
    spin_lock(&port->ip_lock);
}

static inline void
ipc_port_unlock(struct ipc_port *port)
{
    spin_unlock(&port->ip_lock);
}

void ipc_port_bootstrap(void);
void ipc_port_reference(struct ipc_port *port);
void ipc_port_release(struct ipc_port *port);

struct ipc_port *ipc_port_alloc_special(struct ipc_space *space);
kern_return_t ipc_port_alloc(struct ipc_space *space, mach_port_name_t *namep,
                             struct ipc_port **portp);
kern_return_t ipc_port_alloc_name(struct ipc_space *space, mach_port_name_t name,
                                  struct ipc_port **portp);
void ipc_port_destroy(struct ipc_port *port);
void ipc_port_dealloc_special(struct ipc_port *port);

struct ipc_port *ipc_port_make_send(struct ipc_port *port);
struct ipc_port *ipc_port_make_send_locked(struct ipc_port *port);
struct ipc_port *ipc_port_copy_send(struct ipc_port *port);
struct ipc_port *ipc_port_copy_send_locked(struct ipc_port *port);
void ipc_port_release_send(struct ipc_port *port);
struct ipc_port *ipc_port_make_sonce(struct ipc_port *port);
struct ipc_port *ipc_port_make_sonce_locked(struct ipc_port *port);
void ipc_port_release_sonce(struct ipc_port *port);
void ipc_port_release_receive(struct ipc_port *port);

void ipc_port_set_seqno_locked(struct ipc_port *port, mach_port_seqno_t seqno);
void ipc_port_set_qlimit_locked(struct ipc_port *port, mach_port_msgcount_t qlimit);
bool ipc_port_check_circularity(struct ipc_port *port, struct ipc_port *dest);
void ipc_port_clear_receiver_locked(struct ipc_port *port, struct ipc_port *dest);
void ipc_port_set_receiver_locked(struct ipc_port *port, struct ipc_space *space,
                                  mach_port_name_t name);

#endif

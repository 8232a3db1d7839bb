/* SPDX-License-Identifier: MIT
 *
 * Port sets: a name a task receives on to get the first message sent to any
 * of its member ports.  While a port is a member, its messages are queued
 * on the set's queue (in arrival order across members), so receiving on the
 * set is a plain dequeue.  A port is in at most one set.  ipc_pset.c.
 */
#ifndef _IPC_IPC_PSET_H_
#define _IPC_IPC_PSET_H_

#include <kern/types.h>
#include <kern/spinlock.h>
#include <ipc/ipc_mqueue.h>

struct ipc_port;
struct ipc_space;

struct ipc_pset {
    struct spinlock ips_lock;
    uint32_t ips_refs; /* atomic */

    /* Protected by ips_lock. */
    bool ips_active;
    struct ipc_space *ips_space; /* the space that names it */
    mach_port_name_t ips_name;
    struct ipc_port *ips_members; /* through ip_pset_next */
    unsigned ips_nmembers;
    struct ipc_mqueue ips_messages; /* messages of all members */
};

void ipc_pset_bootstrap(void);
void ipc_pset_reference(struct ipc_pset *pset);
void ipc_pset_release(struct ipc_pset *pset);
kern_return_t ipc_pset_alloc(struct ipc_space *space, mach_port_name_t *namep,
                             struct ipc_pset **psetp);
kern_return_t ipc_pset_alloc_name(struct ipc_space *space, mach_port_name_t name,
                                  struct ipc_pset **psetp);
kern_return_t ipc_pset_add(struct ipc_pset *pset, struct ipc_port *port);
kern_return_t ipc_pset_remove(struct ipc_pset *pset, struct ipc_port *port);
void ipc_pset_remove_port(struct ipc_port *port);
void ipc_pset_destroy(struct ipc_pset *pset);

#endif

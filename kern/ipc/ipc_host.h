/* SPDX-License-Identifier: MIT
 *
 * The host: the machine as a kernel object.  Its host port (IKOT_HOST)
 * answers harmless queries; its privileged port (IKOT_HOST_PRIV) controls
 * the machine and is given only to the bootstrap task.  Both are created at
 * boot by ipc_host_init().  ipc_host.c.
 */
#ifndef _IPC_IPC_HOST_H_
#define _IPC_IPC_HOST_H_

#include <kern/types.h>

struct ipc_port;

struct host {
    struct ipc_port *host_self;      /* IKOT_HOST; set once at boot */
    struct ipc_port *host_priv_self; /* IKOT_HOST_PRIV; set once at boot */
};

extern struct host realhost;

void ipc_host_init(void);
struct host *convert_port_to_host(struct ipc_port *port);
struct host *convert_port_to_host_priv(struct ipc_port *port);
struct ipc_port *convert_host_to_port(struct host *host);

#endif

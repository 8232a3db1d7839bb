/* SPDX-License-Identifier: MIT
 *
 * Deferred IPC work.  Sending a notification, destroying a message and
 * destroying a port all take port locks (and may run a kernel server), so
 * code that holds a space or port lock cannot do them on the spot.  It
 * queues them here instead, and every IPC entry point calls ipc_defer_run()
 * once it holds no IPC lock.  The queue also turns the destruction of a
 * message that carries receive rights for ports with messages that carry
 * receive rights... into a loop instead of an unbounded recursion.
 * ipc_defer.c.
 */
#ifndef _IPC_IPC_DEFER_H_
#define _IPC_IPC_DEFER_H_

struct ipc_kmsg;
struct ipc_port;

void ipc_defer_send(struct ipc_kmsg *kmsg);
void ipc_defer_destroy_kmsg(struct ipc_kmsg *kmsg);
void ipc_defer_destroy_port(struct ipc_port *port);
void ipc_defer_run(void);

#endif

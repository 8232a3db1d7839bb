/* SPDX-License-Identifier: MIT
 *
 * Kernel objects named by ports.  A port whose receive right the kernel
 * holds can stand for a task, a thread, the host...: ip_kobject points to
 * the object and ip_kotype says what it is.  A message sent to such a port
 * is not queued: mach_msg hands it to ipc_kobject_server(), which finds the
 * mig-generated demux function registered for the message id, runs it, and
 * sends the reply.  ipc_kobject.c.
 */
#ifndef _IPC_IPC_KOBJECT_H_
#define _IPC_IPC_KOBJECT_H_

#include <kern/types.h>
#include <mach/message.h>
#include <ipc/ipc_port.h> /* struct ipc_port, IP_VALID, the IKOT_* types */

struct ipc_kmsg;

/* A mig demux function (the <subsystem>_server routine of a KernelServer). */
typedef boolean_t (*ipc_kobject_demux_t)(mach_msg_header_t *in, mach_msg_header_t *out);

#define IPC_KOBJECT_SERVERS_MAX 32
#define IPC_KOBJECT_REPLY_MIN   256 /* reply buffer when the server names no size */

kern_return_t ipc_kobject_register_server(ipc_kobject_demux_t demux, mach_msg_id_t base,
                                          mach_msg_id_t count, mach_msg_size_t max_reply_size);
struct ipc_port *ipc_kobject_alloc_port(void *kobject, unsigned kotype);
void ipc_kobject_set(struct ipc_port *port, void *kobject, unsigned kotype);
void ipc_kobject_destroy_port(struct ipc_port *port);
void *ipc_kobject_get_locked(struct ipc_port *port, unsigned kotype);
struct ipc_kmsg *ipc_kobject_server(struct ipc_kmsg *request);
mach_msg_return_t ipc_kobject_reply_later(struct ipc_port *reply_port,
                                          mach_msg_type_name_t reply_type, mach_msg_header_t *reply,
                                          mach_msg_size_t size);

#endif

/* SPDX-License-Identifier: MIT
 *
 * mach_msg inside the kernel: the send and receive halves that the trap
 * combines, usable with any space, and the calls kernel code (and mig
 * KernelUser stubs) use to send messages of its own.  mach_msg.c.
 */
#ifndef _IPC_MACH_MSG_H_
#define _IPC_MACH_MSG_H_

#include <kern/types.h>
#include <mach/message.h>

struct ipc_space;
struct ipc_kmsg;
struct vm_map;
struct ipc_handoff;

mach_msg_return_t mach_msg_send_kmsg(struct ipc_kmsg *kmsg, struct ipc_space *space,
                                     struct vm_map *map, mach_msg_option_t option,
                                     mach_msg_timeout_t timeout, struct ipc_kmsg **unsentp);
mach_msg_return_t mach_msg_receive_kmsg(struct ipc_space *space, struct vm_map *map,
                                        mach_port_name_t name, mach_msg_option_t option,
                                        mach_msg_size_t rcv_size, mach_msg_timeout_t timeout,
                                        struct ipc_kmsg **kmsgp, mach_msg_size_t *neededp,
                                        struct ipc_handoff *ho);
mach_msg_return_t mach_msg_kernel_buffers(struct ipc_space *space, void *msg,
                                          mach_msg_option_t option, mach_msg_size_t send_size,
                                          mach_msg_size_t rcv_size, mach_port_name_t rcv_name,
                                          mach_msg_timeout_t timeout);
mach_msg_return_t mach_msg_send_from_kernel(mach_msg_header_t *msg, mach_msg_size_t size);
mach_msg_return_t mach_msg_rpc_from_kernel(mach_msg_header_t *msg, mach_msg_size_t send_size,
                                           mach_msg_size_t rcv_size);
mach_msg_return_t mach_msg_receive_from_kernel(struct ipc_port *port, mach_msg_header_t *msg,
                                               mach_msg_size_t rcv_size,
                                               mach_msg_timeout_t timeout);
void mach_msg_destroy(mach_msg_header_t *msg);
void mig_kernel_release_right(mach_port_t port, mach_msg_type_name_t disposition);

#endif

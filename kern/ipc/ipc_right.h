/* SPDX-License-Identifier: MIT
 *
 * Rights: the operations on what a name denotes in a space -- moving rights
 * into messages (copyin, checked first and then committed), out of messages
 * into spaces (copyout), and the user's manipulations (deallocate, destroy,
 * mod_refs).  Every function here is called with the space locked and
 * active, and leaves it locked; work that would take other locks
 * (notifications, destroying ports) is deferred (ipc_defer.h).
 * ipc_right.c.
 */
#ifndef _IPC_IPC_RIGHT_H_
#define _IPC_IPC_RIGHT_H_

#include <kern/types.h>
#include <mach/message.h>

struct ipc_space;
struct ipc_entry;
struct ipc_port;

bool ipc_right_check(struct ipc_space *space, struct ipc_entry *entry);
kern_return_t ipc_right_lookup(struct ipc_space *space, mach_port_name_t name,
                               struct ipc_entry **entryp);
kern_return_t ipc_right_copyin_check(struct ipc_space *space, struct ipc_entry *entry,
                                     mach_msg_type_name_t disposition, bool dead_ok);
struct ipc_port *ipc_right_copyin(struct ipc_space *space, mach_port_name_t name,
                                  struct ipc_entry *entry, mach_msg_type_name_t disposition,
                                  struct ipc_port *dest);
kern_return_t ipc_right_copyout(struct ipc_space *space, struct ipc_port *port,
                                mach_msg_type_name_t type, mach_port_name_t *namep);
kern_return_t ipc_right_copyout_name(struct ipc_space *space, mach_port_name_t name,
                                     struct ipc_port *port, mach_msg_type_name_t type);
kern_return_t ipc_right_dealloc(struct ipc_space *space, mach_port_name_t name,
                                struct ipc_entry *entry);
void ipc_right_destroy(struct ipc_space *space, mach_port_name_t name, struct ipc_entry *entry);
kern_return_t ipc_right_delta(struct ipc_space *space, mach_port_name_t name,
                              struct ipc_entry *entry, mach_port_right_t right,
                              mach_port_delta_t delta);
void ipc_right_info(struct ipc_space *space, struct ipc_entry *entry, mach_port_type_t *typep,
                    mach_port_urefs_t *urefsp);
kern_return_t ipc_right_dnrequest(struct ipc_space *space, mach_port_name_t name,
                                  struct ipc_entry *entry, bool immediate, struct ipc_port *notify,
                                  struct ipc_port **previousp);

#endif

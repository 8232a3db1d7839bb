/* SPDX-License-Identifier: MIT
 *
 * The mach_port_* calls as kernel functions, with GNU Mach's kernel
 * signatures: the space is a struct ipc_space * (mig's intran turns the
 * task port into it), rights passed in or out are port pointers carrying
 * that right.  Each takes and drops the space lock itself and runs the
 * deferred IPC work before returning.  mach_port.c.
 */
#ifndef _IPC_MACH_PORT_H_
#define _IPC_MACH_PORT_H_

#include <kern/types.h>
#include <mach/message.h>

struct ipc_space;
struct ipc_port;

kern_return_t mach_port_allocate(struct ipc_space *space, mach_port_right_t right,
                                 mach_port_name_t *namep);
kern_return_t mach_port_allocate_name(struct ipc_space *space, mach_port_right_t right,
                                      mach_port_name_t name);
kern_return_t mach_port_destroy(struct ipc_space *space, mach_port_name_t name);
kern_return_t mach_port_deallocate(struct ipc_space *space, mach_port_name_t name);
kern_return_t mach_port_mod_refs(struct ipc_space *space, mach_port_name_t name,
                                 mach_port_right_t right, mach_port_delta_t delta);
kern_return_t mach_port_get_refs(struct ipc_space *space, mach_port_name_t name,
                                 mach_port_right_t right, mach_port_urefs_t *refsp);
kern_return_t mach_port_insert_right(struct ipc_space *space, mach_port_name_t name,
                                     struct ipc_port *poly, mach_msg_type_name_t polyPoly);
kern_return_t mach_port_extract_right(struct ipc_space *space, mach_port_name_t name,
                                      mach_msg_type_name_t msgt_name, struct ipc_port **polyp,
                                      mach_msg_type_name_t *polyPolyp);
kern_return_t mach_port_move_member(struct ipc_space *space, mach_port_name_t member,
                                    mach_port_name_t after);
kern_return_t mach_port_get_set_status(struct ipc_space *space, mach_port_name_t name,
                                       mach_port_name_t **membersp, mach_msg_type_number_t *countp);
kern_return_t mach_port_request_notification(struct ipc_space *space, mach_port_name_t name,
                                             mach_msg_id_t id, mach_port_mscount_t sync,
                                             struct ipc_port *notify, struct ipc_port **previousp);
kern_return_t mach_port_names(struct ipc_space *space, mach_port_name_t **namesp,
                              mach_msg_type_number_t *namesCnt, mach_port_type_t **typesp,
                              mach_msg_type_number_t *typesCnt);
kern_return_t mach_port_type(struct ipc_space *space, mach_port_name_t name,
                             mach_port_type_t *typep);
kern_return_t mach_port_rename(struct ipc_space *space, mach_port_name_t old_name,
                               mach_port_name_t new_name);
kern_return_t mach_port_set_qlimit(struct ipc_space *space, mach_port_name_t name,
                                   mach_port_msgcount_t qlimit);
kern_return_t mach_port_set_mscount(struct ipc_space *space, mach_port_name_t name,
                                    mach_port_mscount_t mscount);
kern_return_t mach_port_set_seqno(struct ipc_space *space, mach_port_name_t name,
                                  mach_port_seqno_t seqno);
kern_return_t mach_port_get_receive_status(struct ipc_space *space, mach_port_name_t name,
                                           mach_port_status_t *statusp);

#endif

/* SPDX-License-Identifier: MIT
 *
 * Task and thread ports (Mach's ipc_tt): creating and tearing down the IPC
 * state of tasks and threads, their special ports, and the conversions
 * between ports and tasks/threads/spaces that mig's intran/outtran use.
 * ipc_tt.c.
 */
#ifndef _IPC_IPC_TT_H_
#define _IPC_IPC_TT_H_

#include <kern/types.h>
#include <mach/kern_return.h>

struct task;
struct thread;
struct ipc_port;
struct ipc_space;
struct vm_map;

kern_return_t ipc_task_init(struct task *task);
void ipc_task_terminate(struct task *task);
kern_return_t ipc_thread_init(struct thread *thread);
void ipc_thread_terminate(struct thread *thread);
void ipc_thread_disable(struct thread *thread);

kern_return_t ipc_task_get_special_port(struct task *task, int which, struct ipc_port **portp);
kern_return_t ipc_task_set_special_port(struct task *task, int which, struct ipc_port *port);
kern_return_t ipc_thread_get_special_port(struct thread *thread, int which,
                                          struct ipc_port **portp);
kern_return_t ipc_thread_set_special_port(struct thread *thread, int which, struct ipc_port *port);

struct task *convert_port_to_task(struct ipc_port *port);
struct thread *convert_port_to_thread(struct ipc_port *port);
struct ipc_space *convert_port_to_space(struct ipc_port *port);
struct vm_map *convert_port_to_map(struct ipc_port *port);
void space_deallocate(struct ipc_space *space);
void map_deallocate(struct vm_map *map);
struct ipc_port *convert_task_to_port(struct task *task);
struct ipc_port *convert_thread_to_port(struct thread *thread);

#endif

/* SPDX-License-Identifier: MIT
 *
 * The kernel's view of the port types of <mach/port.h>.  Inside the kernel
 * (MACH_KERNEL) a port right in a message, or an argument of a mig-served
 * kernel routine, is a pointer to the port itself, so mach_port_t is
 * `struct ipc_port *`.  The kernel-object types that mig's intran/outtran
 * translate to and from are plain pointers to their structures as well.
 * Internal kernel code writes the struct types out (STYLE.md); these names
 * exist for mig-generated code and the classic Mach signatures.
 */
#ifndef _KERN_MACH_PORT_KERNEL_H_
#define _KERN_MACH_PORT_KERNEL_H_

struct ipc_port;
struct ipc_space;
struct task;
struct thread;
struct host;
struct vm_map;

typedef struct ipc_port *mach_port_t;
typedef struct ipc_port *ipc_port_t;
typedef struct ipc_space *ipc_space_t;
typedef struct task *task_t;
typedef struct thread *thread_t;
typedef struct host *host_t;
typedef struct host *host_priv_t;
typedef struct vm_map *vm_map_t;

#endif

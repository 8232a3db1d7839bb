/* SPDX-License-Identifier: MIT
 *
 * The kernel servers of the classic Mach interfaces, each a file named by
 * what it serves, behind mig's KernelServer stubs (generated at build time
 * into the build tree's kern/mig/):
 *
 *   mach.defs       2000..2029  kern/task_server.c, kern/thread_server.c,
 *                               vm/vm_server.c
 *   mach_port.defs  3200..3217  ipc/mach_port_server.c
 *   mach_host.defs  2600..2604  kern/host_server.c
 *   quay.defs       5000..5005  kern/quay_server.c (Quay's own calls)
 *
 * (memory_object_control.defs, 2300.., is vm/memory_object.c, registered
 * by memory_object_server_init.)  Each init function
 * registers one subsystem's demux with ipc_kobject_register_server; kmain
 * calls them once, after ipc_init() and before any task runs.  They panic
 * if the ids are taken, which only a build error can cause.
 */
#ifndef _KERN_RPC_SERVERS_H_
#define _KERN_RPC_SERVERS_H_

#include <ipc/ipc_mig.h>

void mach_server_init(void);
void mach_port_server_init(void);
void mach_host_server_init(void);
void quay_server_init(void);

#endif

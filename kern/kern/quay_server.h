/* SPDX-License-Identifier: MIT
 *
 * The kernel server of Quay's own interface, include/mach/quay.defs
 * (subsystem quay, ids 5000..5005): task_wait, the boot-module calls,
 * host_ipc_stats and host_power_off.  quay_server.c implements the S_*
 * routines that mig's KernelServer stubs (quayServer.c, generated at build
 * time) call, and registers the demux with the kobject layer.
 *
 * The generated stubs include this header (`simport` in quay.defs) for the
 * conversions their intran/outtran/destructor annotations name.
 */
#ifndef _KERN_QUAY_SERVER_H_
#define _KERN_QUAY_SERVER_H_

#include <kern/types.h>
#include <kern/mach_port_kernel.h>
#include <kern/task.h>
#include <ipc/ipc_host.h>
#include <ipc/ipc_tt.h>
#include <ipc/mach_msg.h>

/* Registers quay_server() for ids 5000..5005 with ipc_kobject.  kmain,
 * once, after ipc_init() and before any task runs.  Panics if the ids are
 * taken (a build error in disguise). */
void quay_server_init(void);

#endif

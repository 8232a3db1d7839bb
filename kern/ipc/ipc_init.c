// SPDX-License-Identifier: MIT
//
// IPC bring-up (ipc_init.h): the zones of spaces, ports, sets and dead-name
// requests, the kernel's space, and the host ports, in that order; then
// the RPC fast path's boot switch.

#include <ipc/ipc_init.h>
#include <ipc/ipc_space.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_notify.h>
#include <ipc/ipc_host.h>
#include <ipc/mach_msg_fast.h>
#include <kern/bootinfo.h>

/*
 * Purpose: bring IPC up.
 * Conditions: kmain, once, after the allocators and before task_bootstrap
 *     (tasks and threads get their ports from here on).
 */
void
ipc_init(void)
{
    ipc_space_bootstrap();
    ipc_port_bootstrap();
    ipc_pset_bootstrap();
    ipc_notify_bootstrap();
    ipc_host_init();
    ipc_fastpath_init(boot_info.cmdline);
}

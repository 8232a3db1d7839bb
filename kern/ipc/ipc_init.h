/* SPDX-License-Identifier: MIT
 *
 * Bringing IPC up at boot: zones, the kernel's space, the kobject server
 * table, the host ports.  ipc_init.c.
 */
#ifndef _IPC_IPC_INIT_H_
#define _IPC_IPC_INIT_H_

/* kmain, once, after the allocators and before any task exists. */
void ipc_init(void);

#endif

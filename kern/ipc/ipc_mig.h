/* SPDX-License-Identifier: MIT
 *
 * What the kernel's mig-generated KernelServer stubs need besides
 * <mach/mig_support.h>: the object types and the intran / outtran /
 * destructor functions that include/mach/mach_types.defs names
 * (convert_port_to_task, task_deallocate, convert_port_to_map ...).
 * mach_types.defs `simport`s this header, so every kernel interface that
 * uses its types (mach.defs, mach_port.defs, mach_host.defs, quay.defs)
 * compiles against the same declarations.  Nothing here is new: it only
 * gathers the headers that own them.
 */
#ifndef _IPC_IPC_MIG_H_
#define _IPC_IPC_MIG_H_

#include <kern/mach_port_kernel.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <ipc/ipc_host.h>
#include <ipc/ipc_tt.h>
#include <ipc/mach_msg.h>
#include <vm/vm_map.h>

#endif

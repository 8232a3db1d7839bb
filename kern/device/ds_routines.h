/* SPDX-License-Identifier: MIT
 *
 * The kernel's device server (ds_routines.c): the S_* routines behind
 * mig's KernelServer stubs for include/device/device.defs, the port
 * conversions those stubs use, and device_init(), which finds the devices
 * at boot.  Included by the generated deviceServer.c (simport).
 */
#ifndef _DEVICE_DS_ROUTINES_H_
#define _DEVICE_DS_ROUTINES_H_

#include <kern/mach_port_kernel.h>
#include <device/device_types.h>

struct ipc_port;

void device_init(void);
struct ipc_port *device_master_port(void);

/* mig's intran/outtran/destructor for device_t and device_master_t. */
struct device *convert_port_to_device(struct ipc_port *port);
struct ipc_port *convert_device_to_port(struct device *dev);
void device_deallocate(struct device *dev);
struct device_master *convert_port_to_device_master(struct ipc_port *port);

#endif

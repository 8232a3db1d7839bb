/* SPDX-License-Identifier: MIT */
/*
 * A stand-in for the kernel's <kern/mach_port_kernel.h>, so host tests can
 * compile KernelServer / KernelUser stubs with -DMACH_KERNEL: in the kernel
 * a port is named by a pointer, which changes the size of mach_port_t and
 * of the header and descriptors.  Generated code must not care.
 */
#ifndef KERN_MACH_PORT_KERNEL_H
#define KERN_MACH_PORT_KERNEL_H

struct ipc_port;
typedef struct ipc_port *mach_port_t;

#endif

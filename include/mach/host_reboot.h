/* SPDX-License-Identifier: MIT */
/*
 * Options of host_reboot() (mach_host.defs 2603), with GNU Mach's values.
 * Quay honours RB_HALT; without it the call is a reboot.  Under QEMU
 * (-no-reboot, isa-debug-exit) both end the emulator with status 0 --
 * see kern/kern/host_server.c.  Other bits are refused.
 */
#ifndef _MACH_HOST_REBOOT_H_
#define _MACH_HOST_REBOOT_H_

#define RB_AUTOBOOT 0x00 /* reboot */
#define RB_HALT     0x08 /* halt (power off) instead of rebooting */

/* The bits host_reboot accepts. */
#define RB_SUPPORTED (RB_HALT)

#endif /* _MACH_HOST_REBOOT_H_ */

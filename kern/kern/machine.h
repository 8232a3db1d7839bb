/* SPDX-License-Identifier: MIT
 *
 * Whole-machine control, implemented by the architecture (machine.c).
 */
#ifndef _KERN_MACHINE_H_
#define _KERN_MACHINE_H_

#include <kern/types.h>

/* Ends the machine with `status` (0 success).  Under QEMU with the
 * isa-debug-exit device, QEMU exits with (status << 1) | 1; on other
 * machines the CPU halts.  Never returns. */
void machine_exit(int status) __noreturn;

/* Stops this CPU for good, interrupts off. */
void machine_halt(void) __noreturn;

#endif

/* SPDX-License-Identifier: MIT
 *
 * Traps and interrupts, machine-independent view.  The architecture sets up
 * its descriptor tables in intr_init() and routes every vector to either the
 * fault reporter (CPU exceptions) or a handler registered here (device and
 * timer interrupts, later inter-processor interrupts).
 */
#ifndef _KERN_INTR_H_
#define _KERN_INTR_H_

#include <kern/types.h>

struct trap_frame; /* machine/trap.h */

typedef void (*intr_handler_t)(struct trap_frame *tf, void *arg);

/* Sets up the boot CPU's descriptor tables (GDT, TSS, IDT). */
void intr_init(void);

/* Installs `handler` for interrupt `vector` (32..255).  Returns false if the
 * vector is out of range or already taken. */
bool intr_register(unsigned vector, intr_handler_t handler, void *arg);

#endif

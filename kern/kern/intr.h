/* SPDX-License-Identifier: MIT
 *
 * Traps and interrupts, machine-independent view.  The architecture sets up
 * its descriptor tables in intr_init() and routes every vector to either the
 * fault reporter (CPU exceptions) or a handler registered here (device and
 * timer interrupts, later inter-processor interrupts).  Which vector belongs
 * to whom is written down in the architecture's machine/intr_vectors.h.
 *
 * Handlers run on the interrupted CPU's current kernel stack with interrupts
 * off and cpu_current()->in_interrupt set.  A handler acknowledges its own
 * interrupt controller (e.g. the local APIC EOI); the dispatcher does not,
 * because only the handler knows whether an EOI is due (the LAPIC spurious
 * vector must not get one).
 */
#ifndef _KERN_INTR_H_
#define _KERN_INTR_H_

#include <kern/types.h>

struct trap_frame; /* machine/trap.h */

typedef void (*intr_handler_t)(struct trap_frame *tf, void *arg);

/* Sets up the boot CPU's descriptor tables (GDT, TSS with its emergency
 * stacks, the shared IDT) and silences the legacy PIC.  Called once from
 * kmain after cpu_bootstrap(), interrupts off; from then on every CPU
 * exception is reported (register dump, backtrace) and ends the machine. */
void intr_init(void);

/* Loads this CPU's own GDT and TSS and the shared IDT.  For application
 * processors, after their struct cpu is reachable through cpu_current();
 * interrupts off. */
void intr_init_cpu(void);

/* Installs `handler(tf, arg)` for interrupt `vector` (32..255) on every CPU.
 * Returns false, changing nothing, if the vector is out of range or already
 * has a handler.  Takes the handler-table lock (LOCK_RANK_INTR). */
bool intr_register(unsigned vector, intr_handler_t handler, void *arg);

/* Removes the handler of `vector`, which must have one (else panic).  Does
 * not wait for a handler already running on another CPU: the caller first
 * makes sure its source no longer interrupts.  Takes the handler-table lock. */
void intr_unregister(unsigned vector);

/* How many interrupts arrived on `vector` (32..255) with no handler
 * registered, on all CPUs.  The first one on each vector is also logged. */
uint64_t intr_unexpected_count(unsigned vector);

#endif

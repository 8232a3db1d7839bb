/* SPDX-License-Identifier: MIT
 *
 * Per-CPU data.  Every processor has one struct cpu, reached only through
 * cpu_current(); on x86-64 the GS base register points at it (cpu.c in the
 * architecture folder).  Nothing in the kernel may assume there is one CPU:
 * state that belongs to "the processor" lives here.
 */
#ifndef _KERN_CPU_H_
#define _KERN_CPU_H_

#include <kern/types.h>

#define MAX_CPUS 64
#define LOCK_DEPTH_MAX 16

struct spinlock;

struct cpu {
    struct cpu *self; /* first: cpu_current() loads it from %gs:0 */
    unsigned id;      /* 0 for the boot processor */
    uint32_t apic_id;

    /* Interrupt nesting for spinlocks (see spinlock.c); this CPU only. */
    int intr_off_depth;      /* spin_lock depth with interrupts disabled */
    bool intr_were_enabled;  /* IF at the outermost spin_lock */
    bool in_interrupt;       /* running an interrupt handler */

    /* Locks held, innermost last, for the debug lock-order checker. */
    struct spinlock *held[LOCK_DEPTH_MAX];
    int nheld;
};

extern struct cpu cpus[MAX_CPUS];
extern unsigned ncpus;

/* Sets up the boot processor's struct cpu and the register that finds it. */
void cpu_bootstrap(void);

#include <machine/percpu.h> /* struct cpu *cpu_current(void) */

static inline unsigned
cpu_number(void)
{
    return cpu_current()->id;
}

#endif

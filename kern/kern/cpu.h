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
#include <machine/cpu_arch.h> /* struct cpu_arch: GDT, TSS */
#include <kern/callout.h>
#include <kern/sched.h> /* struct run_queue */

#define MAX_CPUS       64
#define LOCK_DEPTH_MAX 16

struct spinlock;
struct thread;

struct cpu {
    struct cpu *self; /* first: cpu_current() loads it from %gs:0 */

    /* Read from assembly at fixed offsets (machine/percpu.h CPU_*): the
     * thread running here (current_thread(): one %gs-relative load), the top
     * of its kernel stack (where `syscall` builds the trap frame) and a
     * scratch word for the user %rsp during syscall entry.  Written by the
     * scheduler on this CPU with interrupts off. */
    struct thread *thread;
    uintptr_t kstack_top;
    uint64_t syscall_scratch;

    unsigned id; /* 0 for the boot processor */
    uint32_t apic_id;

    /* Interrupt nesting for spinlocks (see spinlock.c); this CPU only. */
    int intr_off_depth;     /* intr_push_off() nesting depth */
    bool intr_were_enabled; /* IF at the outermost intr_push_off() */
    bool in_interrupt;      /* running an interrupt handler */

    /* Locks held, in acquisition order, for the debug lock-order checker
     * (spinlock.c); this CPU only. */
    struct spinlock *held[LOCK_DEPTH_MAX];
    int nheld;

    /* Time (kern/clock.c); this CPU only.  `ticks` counts the timer ticks
     * taken since clock_cpu_init() (written by the tick, read through
     * clock_ticks()); `tick_running` says whether the periodic timer was
     * started. */
    uint64_t ticks;
    bool tick_running;

    /* Timer callouts due on this CPU (kern/callout.c); its own lock. */
    struct callout_queue callouts;

    /* Scheduling (kern/sched.c).  The run queue has its own lock;
     * `need_resched` asks this CPU to reschedule at the next return from a
     * trap or interrupt (set by any CPU under the run queue lock, cleared by
     * this CPU); `idle_thread` is constant once set. */
    struct run_queue rq;
    struct thread *idle_thread;
    bool need_resched;

    /* Architecture state (x86-64: GDT, TSS, fault-report depth; see
     * machine/cpu_arch.h); this CPU only. */
    struct cpu_arch arch;
};

extern struct cpu cpus[MAX_CPUS];
extern unsigned ncpus;

/* Sets up the boot processor's struct cpu (cpus[0]) and the register that
 * finds it.  Called first thing in kmain, interrupts off; spinlocks work
 * only after it. */
void cpu_bootstrap(void);

#include <machine/percpu.h> /* struct cpu *cpu_current(void) */

/* This CPU's index in cpus[].  A thread that can be preempted may be on
 * another CPU by the time it uses the answer. */
static inline unsigned
cpu_number(void)
{
    return cpu_current()->id;
}

#endif

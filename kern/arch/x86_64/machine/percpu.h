/* SPDX-License-Identifier: MIT
 *
 * x86-64 implementation of cpu_current(), the one accessor of per-CPU data:
 * IA32_GS_BASE holds &cpus[i] (set by cpu.c), whose first field points to
 * itself, so a single %gs-relative load finds this CPU's struct cpu.  The
 * load is one instruction, so it cannot be torn by a thread switch, but a
 * thread that can be preempted may have moved to another CPU by the time it
 * uses the pointer: code that needs "this CPU" throughout disables
 * interrupts (intr_push_off, spin_lock) first.  The asm is volatile so the
 * compiler never reuses an earlier answer across such a point.
 */
#ifndef _MACHINE_PERCPU_H_
#define _MACHINE_PERCPU_H_

/* Offsets in struct cpu read by assembly and by current_thread(); checked
 * against the structure in cpu.c. */
#define CPU_SELF            0
#define CPU_THREAD          8
#define CPU_KSTACK_TOP      16
#define CPU_SYSCALL_SCRATCH 24

#ifndef __ASSEMBLER__

struct cpu;
struct thread;

static inline struct cpu *
cpu_current(void)
{
    struct cpu *c;
    __asm__ volatile("movq %%gs:0, %0" : "=r"(c));
    return c;
}

/* The thread running on this CPU, in one instruction: a preempted thread
 * that moved to another CPU still reads its own pointer. */
static inline struct thread *
cpu_current_thread(void)
{
    struct thread *t;
    __asm__ volatile("movq %%gs:%c1, %0" : "=r"(t) : "i"(CPU_THREAD));
    return t;
}

#endif /* !__ASSEMBLER__ */

#endif

// SPDX-License-Identifier: MIT
//
// x86-64 per-CPU setup: point IA32_GS_BASE at this processor's struct cpu,
// which is what cpu_current() (machine/percpu.h) reads.  IA32_KERNEL_GS_BASE
// is zeroed: it is what `swapgs` will exchange with GS base on entry from and
// return to user mode.  Application processors will call cpu_init_self()
// with their own slot when they come up.

#include <kern/cpu.h>
#include <machine/cpufunc.h>

#define MSR_GS_BASE        0xC0000101
#define MSR_KERNEL_GS_BASE 0xC0000102

_Static_assert(offsetof(struct cpu, self) == CPU_SELF, "percpu.h offsets");
_Static_assert(offsetof(struct cpu, thread) == CPU_THREAD, "percpu.h offsets");
_Static_assert(offsetof(struct cpu, kstack_top) == CPU_KSTACK_TOP, "percpu.h offsets");
_Static_assert(offsetof(struct cpu, syscall_scratch) == CPU_SYSCALL_SCRATCH, "percpu.h offsets");

struct cpu cpus[MAX_CPUS];
unsigned ncpus = 1;

// Makes `c` this CPU's struct cpu.  Interrupts off.
static void
cpu_init_self(struct cpu *c, unsigned id)
{
    c->self = c;
    c->id = id;
    wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)c);
    wrmsr(MSR_KERNEL_GS_BASE, 0);
}

void
cpu_bootstrap(void)
{
    uint32_t r[4];

    cpuid(1, 0, r);
    cpus[0].apic_id = r[1] >> 24; // EBX[31:24]: initial APIC ID
    cpu_init_self(&cpus[0], 0);
}

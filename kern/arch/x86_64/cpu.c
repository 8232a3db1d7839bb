// SPDX-License-Identifier: MIT
//
// x86-64 per-CPU setup: point IA32_GS_BASE at this processor's struct cpu.
// Application processors will call the same code when they come up.

#include <kern/cpu.h>
#include <machine/cpufunc.h>

#define MSR_GS_BASE        0xC0000101
#define MSR_KERNEL_GS_BASE 0xC0000102

struct cpu cpus[MAX_CPUS];
unsigned ncpus = 1;

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
    cpus[0].apic_id = r[1] >> 24;
    cpu_init_self(&cpus[0], 0);
}

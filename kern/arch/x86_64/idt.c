// SPDX-License-Identifier: MIT
//
// The interrupt descriptor table: one table shared by every CPU, with a
// 64-bit interrupt gate per vector pointing at that vector's stub in
// trap_entry.S.  All gates are interrupt gates, so every trap enters the
// kernel with interrupts off and the dispatcher decides when, if ever, to
// turn them back on.  Per-CPU differences (the IST stacks) live in each CPU's
// TSS, not here, so the IDT is written once and only loaded on the others.

#include <kern/assert.h>
#include <machine/cpu_arch.h>
#include <machine/segments.h>
#include <machine/trap.h>

// A 64-bit IDT gate descriptor (Intel SDM vol. 3A 6.14.1, figure 6-8).
struct idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;  // bits 0..2: IST slot, 0 = no stack switch at CPL 0
    uint8_t type; // P | DPL | 0 | gate type
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
} __packed;

_Static_assert(sizeof(struct idt_gate) == 16, "64-bit IDT gate is 16 bytes");

#define GATE_PRESENT   0x80
#define GATE_DPL(n)    ((n) << 5)
#define GATE_INTERRUPT 0xE // clears IF on entry

struct idt_pointer {
    uint16_t limit;
    uint64_t base;
} __packed;

static struct idt_gate idt[256] __aligned(16);

static void
idt_set_gate(unsigned vector, uint64_t handler, unsigned ist, unsigned dpl)
{
    struct idt_gate *g = &idt[vector];

    g->offset_low = handler & 0xFFFF;
    g->selector = KERNEL_CS;
    g->ist = ist & 7;
    g->type = GATE_PRESENT | GATE_DPL(dpl) | GATE_INTERRUPT;
    g->offset_mid = (handler >> 16) & 0xFFFF;
    g->offset_high = handler >> 32;
    g->reserved = 0;
}

// Which IST slot a vector uses: the three exceptions that can hit when the
// current stack cannot be trusted switch stacks unconditionally.
static unsigned
idt_ist_for(unsigned vector)
{
    switch (vector) {
    case T_DOUBLE_FAULT:
        return IST_DOUBLE_FAULT;
    case T_NMI:
        return IST_NMI;
    case T_MACHINE_CHECK:
        return IST_MACHINE_CHECK;
    default:
        return 0;
    }
}

void
idt_init(void)
{
    for (unsigned v = 0; v < 256; v++) {
        assert(trap_stubs[v] != 0);
        // DPL 0 everywhere, so `int n` from user mode faults (#GP) instead of
        // faking an exception or an interrupt, except for int3 and into,
        // which debuggers and runtimes use from user mode.  Mach traps use
        // `syscall`, not a gate.
        unsigned dpl = (v == T_BREAKPOINT || v == T_OVERFLOW) ? 3 : 0;
        idt_set_gate(v, trap_stubs[v], idt_ist_for(v), dpl);
    }
}

void
idt_load(void)
{
    struct idt_pointer p = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};

    __asm__ volatile("lidt %0" : : "m"(p) : "memory");
}

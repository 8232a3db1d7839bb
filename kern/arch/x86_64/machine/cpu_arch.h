/* SPDX-License-Identifier: MIT
 *
 * The x86-64 part of struct cpu (kern/cpu.h embeds it as `arch`): this
 * processor's GDT and TSS.  Each CPU needs its own TSS because the TSS holds
 * per-CPU stacks (RSP0 for traps from user mode, the IST stacks), and `ltr`
 * marks the descriptor busy, so each CPU also needs its own GDT.  Set up by
 * gdt_init_cpu() (gdt.c); afterwards touched only by the CPU itself.
 */
#ifndef _MACHINE_CPU_ARCH_H_
#define _MACHINE_CPU_ARCH_H_

#include <kern/types.h>
#include <machine/segments.h>
#include <stddef.h>

/* The 64-bit task-state segment (Intel SDM vol. 3A 8.7, figure 8-11).  The
 * CPU reads it by byte offset, hence packed: rsp0 sits at offset 4. */
struct tss {
    uint32_t reserved0;
    uint64_t rsp[3]; /* stacks for traps raising CPL to 0, 1, 2 */
    uint64_t reserved1;
    uint64_t ist[7]; /* interrupt stack table, IST1..IST7 */
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base; /* >= limit: no I/O permission bitmap */
} __packed;

_Static_assert(sizeof(struct tss) == 104, "64-bit TSS is 104 bytes");
_Static_assert(offsetof(struct tss, rsp) == 4, "TSS RSP0 offset");
_Static_assert(offsetof(struct tss, ist) == 36, "TSS IST1 offset");
_Static_assert(offsetof(struct tss, iomap_base) == 102, "TSS I/O map base offset");

struct cpu_arch {
    uint64_t gdt[GDT_NENTRIES] __aligned(16); /* layout: machine/segments.h */
    struct tss tss __aligned(16);
};

/* Builds and loads this CPU's GDT and TSS (with its IST stacks) and reloads
 * the segment registers; `c` must be the calling CPU's struct cpu.  Leaves
 * FS, GS and their base MSRs alone.  Interrupts must be off. */
struct cpu;
void gdt_init_cpu(struct cpu *c);

/* Sets TSS.RSP0, the stack the CPU switches to on a trap from user mode, for
 * the calling CPU (the thread switch will call it).  Interrupts off. */
void gdt_set_kernel_stack(struct cpu *c, uintptr_t rsp0);

/* Fills the shared IDT (once, on the boot CPU) and loads it on the calling
 * CPU (every CPU). */
void idt_init(void);
void idt_load(void);

/* Remaps the legacy 8259 PICs to vectors 0x20-0x2F and masks every line. */
void pic_init(void);

/* Acknowledges a spurious interrupt from the slave PIC (IRQ 15) at the
 * master, which did see the cascade line and waits for an EOI. */
void pic_eoi_master(void);

#endif

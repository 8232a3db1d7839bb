// SPDX-License-Identifier: MIT
//
// The legacy 8259A programmable interrupt controllers, silenced.
//
// Quay takes its interrupts from the local APIC (and later the I/O APIC), but
// every PC still has the two cascaded 8259s, and after the BIOS they deliver
// IRQ 0-7 on vectors 8-15 -- the same vectors as double fault, general
// protection and page fault.  We reprogram them to deliver on 0x20-0x2F
// (machine/intr_vectors.h) and mask every line.  A masked 8259 can still
// raise a spurious IRQ 7 or 15; it now arrives on vector 0x27 or 0x2F, where
// trap.c counts it instead of mistaking it for an exception.

#include <machine/cpu_arch.h>
#include <machine/cpufunc.h>
#include <machine/intr_vectors.h>

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xA0
#define PIC2_DATA 0xA1

#define ICW1_INIT 0x11 // edge triggered, cascade, ICW4 follows
#define ICW4_8086 0x01
#define OCW2_EOI  0x20

// A write to an unused port: about a microsecond on ISA, enough for the
// 8259 to settle between initialisation words on old hardware.
static void
pic_delay(void)
{
    outb(0x80, 0);
}

void
pic_init(void)
{
    outb(PIC1_CMD, ICW1_INIT);
    pic_delay();
    outb(PIC2_CMD, ICW1_INIT);
    pic_delay();
    outb(PIC1_DATA, INTR_VECTOR_PIC_BASE); // ICW2: vector base
    pic_delay();
    outb(PIC2_DATA, INTR_VECTOR_PIC2_BASE);
    pic_delay();
    outb(PIC1_DATA, 1 << 2); // ICW3: slave on master's IRQ 2
    pic_delay();
    outb(PIC2_DATA, 2); // ICW3: slave's cascade identity
    pic_delay();
    outb(PIC1_DATA, ICW4_8086);
    pic_delay();
    outb(PIC2_DATA, ICW4_8086);
    pic_delay();
    outb(PIC1_DATA, 0xFF); // OCW1: mask all lines
    outb(PIC2_DATA, 0xFF);
}

void
pic_eoi_master(void)
{
    outb(PIC1_CMD, OCW2_EOI);
}

/* SPDX-License-Identifier: MIT
 *
 * Who owns which interrupt vector on x86-64: the one place that hands out
 * vector numbers, so the trap, timer, device and SMP code never collide.
 * The local APIC prioritises by vector >> 4 (Intel SDM vol. 3A 11.8.3): a
 * higher vector class preempts a lower one, hence IPIs near the top.
 *
 *   0x00-0x1F  CPU exceptions (fixed by the architecture)
 *   0x20-0x2F  the legacy 8259 PICs, remapped here and masked (pic.c), so
 *              their spurious IRQ 7/15 can never look like an exception
 *   0x30       LAPIC timer
 *   0x31-0xEF  device interrupts (I/O APIC), free for intr_register()
 *   0xF0-0xFE  inter-processor interrupts (SMP issue)
 *   0xFF       LAPIC spurious interrupt (the SVR vector; never EOI'd)
 */
#ifndef _MACHINE_INTR_VECTORS_H_
#define _MACHINE_INTR_VECTORS_H_

#define INTR_VECTOR_EXCEPTIONS 32 /* vectors below this are CPU exceptions */

#define INTR_VECTOR_PIC_BASE  0x20 /* IRQ n of the master PIC at 0x20 + n */
#define INTR_VECTOR_PIC2_BASE 0x28 /* IRQ 8 + n of the slave PIC at 0x28 + n */
#define INTR_VECTOR_PIC_LAST  0x2F

#define INTR_VECTOR_LAPIC_TIMER 0x30

#define INTR_VECTOR_DEVICE_FIRST 0x31
#define INTR_VECTOR_DEVICE_LAST  0xEF

#define INTR_VECTOR_IPI_FIRST 0xF0
#define INTR_VECTOR_IPI_LAST  0xFE

#define INTR_VECTOR_LAPIC_SPURIOUS 0xFF

#define INTR_NVECTORS 256

#endif

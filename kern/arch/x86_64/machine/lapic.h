/* SPDX-License-Identifier: MIT
 *
 * The local APIC in xAPIC mode: one per CPU, at the same physical address
 * on every CPU (each sees its own), registers 16 bytes apart, accessed as
 * 32-bit words through an uncached mapping (Intel SDM vol. 3A chapter 11).
 * lapic.c enables it and runs its timer as the kernel's tick; the SMP issue
 * adds inter-processor interrupts through the ICR registers below.
 */
#ifndef _MACHINE_LAPIC_H_
#define _MACHINE_LAPIC_H_

#include <kern/types.h>
#include <machine/intr_vectors.h> /* INTR_VECTOR_LAPIC_TIMER, _SPURIOUS */

#define MSR_APIC_BASE    0x1B
#define APIC_BASE_BSP    (1u << 8)  /* this CPU is the boot processor */
#define APIC_BASE_X2APIC (1u << 10) /* x2APIC mode (MSR access) */
#define APIC_BASE_ENABLE (1u << 11) /* global enable */
#define APIC_BASE_ADDR   0x000FFFFFFFFFF000ull

/* Register offsets from the base. */
#define LAPIC_ID         0x020 /* bits 31:24 */
#define LAPIC_VERSION    0x030
#define LAPIC_TPR        0x080 /* task priority */
#define LAPIC_EOI        0x0B0
#define LAPIC_SVR        0x0F0 /* spurious vector, software enable */
#define LAPIC_ESR        0x280 /* error status */
#define LAPIC_ICR_LOW    0x300
#define LAPIC_ICR_HIGH   0x310
#define LAPIC_LVT_TIMER  0x320
#define LAPIC_LVT_LINT0  0x350
#define LAPIC_LVT_LINT1  0x360
#define LAPIC_LVT_ERROR  0x370
#define LAPIC_TIMER_INIT 0x380 /* initial count; writing it starts the timer */
#define LAPIC_TIMER_CUR  0x390 /* current count */
#define LAPIC_TIMER_DIV  0x3E0 /* divide configuration */

#define LAPIC_SVR_ENABLE     (1u << 8)
#define LAPIC_LVT_MASKED     (1u << 16)
#define LAPIC_TIMER_PERIODIC (1u << 17)
#define LAPIC_TIMER_DIV_16   0x3

/* Enables this CPU's local APIC: the global enable in IA32_APIC_BASE
 * (leaving x2APIC mode if the firmware chose it), the software enable and
 * spurious vector INTR_VECTOR_LAPIC_SPURIOUS in the SVR, task priority 0.
 * Maps the registers on the first call.  Any CPU, interrupts off.  Returns
 * false if the CPU has no local APIC. */
bool lapic_init(void);

/* This CPU's local APIC ID.  After lapic_init(). */
uint32_t lapic_id(void);

/* Signals end of interrupt for the highest-priority in-service interrupt.
 * Every LAPIC-delivered interrupt handler except the spurious one must call
 * it once, interrupts off. */
void lapic_eoi(void);

/* Raw register access for the code above and the SMP issue's IPIs. */
uint32_t lapic_read(uint32_t reg);
void lapic_write(uint32_t reg, uint32_t value);

#endif

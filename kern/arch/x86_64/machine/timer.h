/* SPDX-License-Identifier: MIT
 *
 * The x86-64 half of kern/clock.h: the free-running counter is the TSC
 * (tsc.c), the per-CPU periodic timer is the local APIC timer (lapic.c).
 */
#ifndef _MACHINE_TIMER_H_
#define _MACHINE_TIMER_H_

#include <kern/types.h>
#include <machine/cpufunc.h>

/* The counter behind clock_now_ns().  rdtsc increases monotonically on one
 * CPU; across CPUs only if their TSCs were synchronized. */
static inline uint64_t
machine_counter_read(void)
{
    return rdtsc();
}

/* Measures the counter's frequency in Hz: CPUID leaf 0x15 (or 0x15 with
 * 0x16) when the CPU reports it, else against the PIT.  Boot CPU only,
 * interrupts off, takes about 60 ms with the PIT.  Panics if the TSC cannot
 * be measured or is outside 100 MHz .. 20 GHz. */
uint64_t machine_counter_calibrate(void);

/* Enables this CPU's local APIC, measures its timer against the counter
 * (whose frequency is `counter_hz`) and starts it periodically at `hz`,
 * calling clock_tick() on each interrupt.  Any CPU, interrupts off.  Returns
 * false if the timer vector could not be registered; the timer stays
 * stopped. */
bool machine_timer_start(unsigned hz, uint64_t counter_hz);

#endif

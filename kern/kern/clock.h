/* SPDX-License-Identifier: MIT
 *
 * Time: a monotonic clock from the machine's free-running counter (the TSC
 * on x86-64), the periodic tick from a per-CPU timer (the LAPIC timer), HZ
 * times a second, and -- through the tick -- timer callouts (callout.h).
 *
 * The machine-independent half lives in kern/clock.c; the architecture
 * provides the counter and the timer behind machine/timer.h and calls
 * clock_tick() from the timer interrupt.
 */
#ifndef _KERN_CLOCK_H_
#define _KERN_CLOCK_H_

#include <kern/types.h>

#define HZ          100
#define NS_PER_SEC  1000000000ull
#define NS_PER_TICK (NS_PER_SEC / HZ)

/* On the boot CPU, interrupts off, after intr_init(): calibrates the
 * counter, starts the clock at zero, then clock_cpu_init().  Panics if the
 * counter cannot be calibrated (no usable time source). */
void clock_init(void);

/* On each CPU (the boot CPU through clock_init, application processors when
 * they come up), interrupts off: empties this CPU's callout queue and starts
 * its periodic tick.  Returns false if the tick could not be started (no
 * interrupt vector); time still works, callouts never fire. */
bool clock_cpu_init(void);

/* Nanoseconds since clock_init(); 0 before.  Monotonic on each CPU and, with
 * synchronized counters (checked when application processors come up),
 * across CPUs.  Does not overflow for 584 years.  Any context, no lock. */
uint64_t clock_now_ns(void);

/* Timer ticks taken by this CPU so far.  Any context, no lock. */
uint64_t clock_ticks(void);

/* Frequency of the counter behind clock_now_ns(), in Hz. */
uint64_t clock_counter_hz(void);

/* True once this CPU's periodic tick is running. */
bool clock_tick_running(void);

/* Called by the architecture's timer interrupt on the CPU it hit, after the
 * interrupt is acknowledged, interrupts off, no lock held: counts the tick
 * and runs the callouts that are due. */
void clock_tick(void);

#endif

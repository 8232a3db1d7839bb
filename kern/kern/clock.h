/* SPDX-License-Identifier: MIT
 *
 * Time: a monotonic clock from the TSC, the periodic tick from the LAPIC
 * timer (HZ per second), and callouts that run a function at a given time.
 */
#ifndef _KERN_CLOCK_H_
#define _KERN_CLOCK_H_

#include <kern/types.h>

#define HZ 100

/* Calibrates the TSC and the LAPIC timer and starts the tick on this CPU. */
void clock_init(void);

/* Nanoseconds since clock_init(); monotonic, never goes back. */
uint64_t clock_now_ns(void);

/* Ticks since boot on this CPU. */
uint64_t clock_ticks(void);

#endif

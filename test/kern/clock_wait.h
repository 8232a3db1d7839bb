/* SPDX-License-Identifier: MIT
 *
 * Waiting in ktests of the clock and callouts: halt until a condition holds,
 * with a bound in clock time so a broken tick fails a test instead of
 * hanging the run.
 */
#ifndef _TEST_KERN_CLOCK_WAIT_H_
#define _TEST_KERN_CLOCK_WAIT_H_

#include <kern/clock.h>
#include <machine/cpufunc.h>

/* Halts until cond(arg) holds or `timeout_ns` of clock time have passed;
 * returns cond(arg).  Checks with interrupts off and halts with "sti; hlt"
 * (the interrupt shadow of sti keeps an interrupt from slipping in between),
 * so a wakeup is never missed; each halt ends at the next tick at the
 * latest.  Without a running tick it does not halt at all.  Call with
 * interrupts on. */
static inline bool
kt_wait_until(bool (*cond)(void *), void *arg, uint64_t timeout_ns)
{
    uint64_t end = clock_now_ns() + timeout_ns;

    if (!clock_tick_running() || !intr_enabled())
        return cond(arg);
    for (;;) {
        intr_disable();
        if (cond(arg)) {
            intr_enable();
            return true;
        }
        if (clock_now_ns() >= end) {
            intr_enable();
            return false;
        }
        __asm__ volatile("sti; hlt" ::: "memory");
    }
}

#endif

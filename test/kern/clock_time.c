// SPDX-License-Identifier: MIT
//
// Tests of the clock: the counter's calibration is believable, clock_now_ns()
// never goes back and advances, and the tick runs while the CPU halts.

#include <debug/ktest.h>
#include <kern/clock.h>
#include <machine/cpufunc.h>
#include "clock_wait.h"

KTEST(clock, counter_frequency_is_between_100_mhz_and_20_ghz)
{
    KT_ASSERT(clock_counter_hz() >= 100000000ull);
    KT_ASSERT(clock_counter_hz() <= 20000000000ull);
}

KTEST(clock, now_ns_never_goes_back_and_advances)
{
    uint64_t first = clock_now_ns(), prev = first;

    for (int i = 0; i < 10000; i++) {
        uint64_t now = clock_now_ns();
        KT_ASSERT(now >= prev);
        prev = now;
    }
    KT_ASSERT(prev > first);
}

static bool
ticks_reached(void *arg)
{
    return clock_ticks() >= *(uint64_t *)arg;
}

KTEST(clock, ticks_advance_while_halting_with_interrupts_on)
{
    KT_ASSERT(intr_enabled());
    KT_ASSERT(clock_tick_running());
    uint64_t target = clock_ticks() + 5;
    KT_ASSERT(kt_wait_until(ticks_reached, &target, 5 * NS_PER_SEC));
}

// A sanity bound, not a timing test: starting at a tick, five more ticks
// span about five periods and never fewer (ticks come late, not early);
// asking for two leaves room for any jitter and still catches a timer or
// counter calibrated wrong by 2.5x or more.
KTEST(clock, five_ticks_span_at_least_two_tick_periods)
{
    uint64_t target = clock_ticks() + 1;
    KT_ASSERT(kt_wait_until(ticks_reached, &target, 5 * NS_PER_SEC));
    uint64_t start = clock_now_ns();
    target += 5;
    KT_ASSERT(kt_wait_until(ticks_reached, &target, 5 * NS_PER_SEC));
    KT_ASSERT(clock_now_ns() - start >= 2 * NS_PER_TICK);
}

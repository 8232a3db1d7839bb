// SPDX-License-Identifier: MIT
//
// The machine-independent clock: converts the machine's counter to
// nanoseconds, counts each CPU's ticks and hands the tick to the callouts.
//
// Conversion: ns = (counter - clock_base) * clock_mult >> CLOCK_SHIFT, with
// clock_mult = 10^9 * 2^CLOCK_SHIFT / hz rounded.  The product is taken in
// 128 bits, so no elapsed count overflows it: the result wraps only when
// the nanoseconds themselves pass 2^64 (584 years).  For hz between 100 MHz
// and 20 GHz clock_mult lies in [0.05, 10] * 2^32 and carries at least 27
// significant bits (a relative error below 10^-8).

#include <kern/clock.h>
#include <kern/callout.h>
#include <kern/console.h>
#include <kern/cpu.h>
#include <kern/sched.h>
#include <kern/assert.h>
#include <machine/cpufunc.h>
#include <machine/timer.h>

#define CLOCK_SHIFT 32

// Set once by clock_init() on the boot CPU before any other CPU or the
// tick runs; read-only after.
static uint64_t clock_hz;
static uint64_t clock_base;
static uint64_t clock_mult;

void
clock_init(void)
{
    clock_hz = machine_counter_calibrate();
    clock_mult = ((NS_PER_SEC << CLOCK_SHIFT) + clock_hz / 2) / clock_hz;
    clock_base = machine_counter_read();
    if (!clock_cpu_init())
        klog(LOG_WARN, "clock: warning: cpu %u has no timer tick; callouts will not run\n",
             cpu_number());
}

bool
clock_cpu_init(void)
{
    struct cpu *c = cpu_current();

    assert(!intr_enabled());
    callout_queue_init(&c->callouts);
    c->ticks = 0;
    c->tick_running = machine_timer_start(HZ, clock_hz);
    return c->tick_running;
}

uint64_t
clock_now_ns(void)
{
    uint64_t delta = machine_counter_read() - clock_base;

    if (clock_mult == 0)
        return 0; // before clock_init()
    return (uint64_t)(((unsigned __int128)delta * clock_mult) >> CLOCK_SHIFT);
}

uint64_t
clock_ticks(void)
{
    uint64_t t;

    intr_push_off(); // read this CPU's count, not the one we migrate to
    t = __atomic_load_n(&cpu_current()->ticks, __ATOMIC_RELAXED);
    intr_pop_off();
    return t;
}

uint64_t
clock_counter_hz(void)
{
    return clock_hz;
}

bool
clock_tick_running(void)
{
    bool running;

    intr_push_off();
    running = cpu_current()->tick_running;
    intr_pop_off();
    return running;
}

void
clock_tick(void)
{
    struct cpu *c = cpu_current();

    __atomic_store_n(&c->ticks, c->ticks + 1, __ATOMIC_RELAXED);
    callout_run_due(clock_now_ns());
    sched_tick(); // time slices: may ask for a reschedule at the trap's return
}

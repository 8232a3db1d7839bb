/* SPDX-License-Identifier: MIT */
/*
 * thread_get_state (x86_THREAD_STATE64) of a suspended thread returns where
 * it stopped: rip inside the function it runs, rsp on its stack, cs the
 * user code selector, its loop registers.  thread_set_state on the
 * suspended thread then sends it elsewhere: resumed, it runs the new rip
 * with the new rdi.  A count too small is refused.
 */
#include "ut_ports.h"

static volatile uint64_t spins;
static volatile uint32_t landed;

static __attribute__((noreturn, noinline)) void
spin(uint64_t unused)
{
    (void)unused;
    for (;;)
        spins++;
}

static __attribute__((noreturn)) void
land(uint64_t value)
{
    landed = (uint32_t)value;
    (void)quay_wake(&landed, 1);
    ut_park();
}

int
main(void)
{
    struct ut_raw_thread t;
    x86_thread_state64_t st;
    mach_msg_type_number_t count;
    uintptr_t stack_lo, stack_hi;

    ut_stats_begin();
    ut_raw_thread_start(&t, spin, 0, 1);
    while (spins < 1000)
        (void)swtch();
    UT_KR(thread_suspend(t.port), KERN_SUCCESS);

    count = x86_THREAD_STATE64_COUNT;
    memset(&st, 0, sizeof(st));
    UT_KR(thread_get_state(t.port, x86_THREAD_STATE64, (thread_state_t)&st, &count), KERN_SUCCESS);
    UT_EQ(count, x86_THREAD_STATE64_COUNT);
    UT_EQ(st.cs, UT_USER_CS);
    /* The loop is a few bytes of spin(); rip is in it. */
    UT_ASSERT(st.rip >= (uint64_t)(uintptr_t)spin && st.rip < (uint64_t)(uintptr_t)spin + 64);
    stack_lo = (uintptr_t)t.stack;
    stack_hi = stack_lo + UT_RAW_STACK_SIZE;
    UT_ASSERT(st.rsp > stack_lo && st.rsp <= stack_hi);
    UT_ASSERT(st.rflags & 0x200); /* interrupts on in user mode */

    /* Too small a buffer. */
    count = x86_THREAD_STATE64_COUNT - 1;
    UT_KR(thread_get_state(t.port, x86_THREAD_STATE64, (thread_state_t)&st, &count),
          KERN_INVALID_ARGUMENT);
    count = x86_THREAD_STATE64_COUNT;
    UT_KR(thread_get_state(t.port, 9999, (thread_state_t)&st, &count), KERN_INVALID_ARGUMENT);

    /* Redirect it. */
    st.rip = (uint64_t)(uintptr_t)land;
    st.rsp = ((stack_hi & ~(uintptr_t)15)) - 8;
    st.rdi = 77;
    UT_KR(
        thread_set_state(t.port, x86_THREAD_STATE64, (thread_state_t)&st, x86_THREAD_STATE64_COUNT),
        KERN_SUCCESS);
    /* A bad code selector is refused and changes nothing. */
    x86_thread_state64_t bad = st;
    bad.cs = 0x08;
    UT_KR(thread_set_state(t.port, x86_THREAD_STATE64, (thread_state_t)&bad,
                           x86_THREAD_STATE64_COUNT),
          KERN_INVALID_ARGUMENT);
    UT_KR(thread_resume(t.port), KERN_SUCCESS);
    ut_wait_change(&landed, 0);
    UT_EQ(landed, 77);

    ut_raw_thread_end(&t);
    ut_stats_settle_baseline();
    return ut_pass();
}

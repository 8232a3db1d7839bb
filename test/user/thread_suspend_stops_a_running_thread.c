/* SPDX-License-Identifier: MIT */
/*
 * thread_suspend stops a thread that is running user code (once it returns
 * the thread runs no more), and counts: thread_info reports the suspend
 * count and TH_STATE_STOPPED; the thread runs again only when every suspend
 * is matched by a thread_resume.  Resuming a thread that is not suspended
 * is KERN_FAILURE.
 */
#include "ut_ports.h"

static volatile uint64_t spins;

static __attribute__((noreturn)) void
spin(uint64_t unused)
{
    (void)unused;
    for (;;)
        spins++;
}

int
main(void)
{
    struct ut_raw_thread t;
    struct thread_basic_info info;
    uint64_t frozen;

    ut_stats_begin();
    ut_raw_thread_start(&t, spin, 0, 1);
    while (spins < 1000)
        (void)swtch();

    UT_KR(thread_suspend(t.port), KERN_SUCCESS);
    UT_KR(thread_suspend(t.port), KERN_SUCCESS);
    frozen = spins;
    ut_sleep_ms(30);
    UT_EQ(spins, frozen);
    info = ut_thread_state(t.port);
    UT_EQ(info.suspend_count, 2);
    UT_EQ(info.run_state, TH_STATE_STOPPED);

    UT_KR(thread_resume(t.port), KERN_SUCCESS);
    ut_sleep_ms(30);
    UT_EQ(spins, frozen); /* still one suspend left */
    UT_EQ(ut_thread_state(t.port).suspend_count, 1);

    UT_KR(thread_resume(t.port), KERN_SUCCESS);
    for (int i = 0; i < 500 && spins == frozen; i++)
        ut_sleep_ms(10);
    UT_ASSERT(spins != frozen);
    info = ut_thread_state(t.port);
    UT_EQ(info.suspend_count, 0);
    UT_EQ(info.run_state, TH_STATE_RUNNING);
    UT_KR(thread_resume(t.port), KERN_FAILURE);

    ut_raw_thread_end(&t);
    ut_stats_settle_baseline();
    return ut_pass();
}

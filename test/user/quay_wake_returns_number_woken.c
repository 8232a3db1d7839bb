/* SPDX-License-Identifier: MIT */
/*
 * quay_wake wakes at most COUNT threads waiting on an address and returns
 * how many it woke: 0 with nobody waiting, 2 of 3 waiters when asked for 2,
 * then the last one when asked for 10.  Waiters on another address are not
 * woken.
 */
#include "ut_ports.h"
#include <quay/threads.h>

#define WAITERS 3

static volatile uint32_t word, other;
static volatile uint32_t woken;
static volatile thread_t ports[WAITERS + 1];

static void *
waiter(void *arg)
{
    uintptr_t i = (uintptr_t)arg;
    volatile uint32_t *on = i == WAITERS ? &other : &word;

    ports[i] = mach_thread_self();
    (void)quay_wait(on, 0, 0);
    __atomic_fetch_add(&woken, 1, __ATOMIC_SEQ_CST);
    (void)quay_wake(&woken, 1);
    return NULL;
}

static void
wait_woken(uint32_t n)
{
    for (int i = 0; i < 500 && woken < n; i++)
        (void)quay_wait(&woken, woken, 10);
    UT_EQ(woken, n);
}

int
main(void)
{
    quay_thread_t th[WAITERS + 1];

    ut_stats_begin();
    UT_EQ(quay_wake(&word, 5), 0);

    for (uintptr_t i = 0; i <= WAITERS; i++)
        UT_KR(quay_thread_create(waiter, (void *)i, &th[i]), KERN_SUCCESS);
    for (int i = 0; i <= WAITERS; i++) {
        while (ports[i] == MACH_PORT_NULL)
            (void)swtch();
        ut_wait_blocked(ports[i]);
    }

    UT_EQ(quay_wake(&word, 2), 2);
    wait_woken(2);
    ut_sleep_ms(20);
    UT_EQ(woken, 2);
    UT_EQ(quay_wake(&word, 10), 1);
    wait_woken(3);
    UT_EQ(quay_wake(&word, 10), 0);

    /* The waiter on the other word slept through all of it. */
    UT_EQ(ut_thread_state(ports[WAITERS]).run_state, TH_STATE_WAITING);
    UT_EQ(quay_wake(&other, 1), 1);
    wait_woken(4);

    for (int i = 0; i <= WAITERS; i++) {
        UT_KR(quay_thread_join(th[i], NULL), KERN_SUCCESS);
        UT_KR(mach_port_deallocate(mach_task_self(), ports[i]), KERN_SUCCESS);
    }
    ut_stats_settle_baseline();
    return ut_pass();
}

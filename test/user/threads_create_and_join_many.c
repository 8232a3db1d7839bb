/* SPDX-License-Identifier: MIT */
/*
 * The threads library runs many threads at once: each gets its argument,
 * its own stack, and its result (returned or passed to quay_thread_exit)
 * reaches quay_thread_join; after the joins every thread is gone from the
 * kernel's counts.  Done twice, to reuse what the first round freed.
 */
#include "ut_ports.h"
#include <quay/threads.h>

#define N 16

static void *
square(void *arg)
{
    uintptr_t v = (uintptr_t)arg;
    volatile char buf[2048]; /* some stack of its own */

    for (size_t i = 0; i < sizeof(buf); i++)
        buf[i] = (char)v;
    for (size_t i = 0; i < sizeof(buf); i++)
        if (buf[i] != (char)v)
            return (void *)-1; /* another thread wrote on our stack */
    if (v % 2)
        quay_thread_exit((void *)(v * v));
    return (void *)(v * v);
}

int
main(void)
{
    quay_thread_t th[N];
    void *res;

    ut_stats_begin();
    for (int round = 0; round < 2; round++) {
        for (uintptr_t i = 0; i < N; i++)
            UT_KR(quay_thread_create(square, (void *)i, &th[i]), KERN_SUCCESS);
        for (uintptr_t i = 0; i < N; i++) {
            res = (void *)1;
            UT_KR(quay_thread_join(th[i], &res), KERN_SUCCESS);
            UT_EQ((uintptr_t)res, i * i);
        }
    }
    UT_KR(quay_thread_join(NULL, &res), KERN_INVALID_ARGUMENT);
    UT_ASSERT(quay_thread_self() == NULL);
    ut_stats_settle_baseline();
    return ut_pass();
}

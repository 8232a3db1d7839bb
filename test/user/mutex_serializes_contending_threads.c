/* SPDX-License-Identifier: MIT */
/*
 * A quay_mutex_t keeps a non-atomic read-modify-write correct under
 * contention: four threads each add 1 to a shared counter 20000 times,
 * yielding inside the critical section now and then so that the others
 * block on the lock, and the total comes out exact.  trylock fails while
 * the mutex is held and succeeds once it is free.
 */
#include "ut_ports.h"
#include <quay/threads.h>

#define THREADS 4
#define ROUNDS  20000

static quay_mutex_t lock = QUAY_MUTEX_INITIALIZER;
static volatile uint64_t counter;

static void *
adder(void *arg)
{
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        quay_mutex_lock(&lock);
        uint64_t v = counter;
        if (i % 512 == 0)
            (void)swtch(); /* hold the lock across a yield */
        counter = v + 1;
        quay_mutex_unlock(&lock);
    }
    return NULL;
}

int
main(void)
{
    quay_thread_t th[THREADS];

    ut_stats_begin();
    for (int i = 0; i < THREADS; i++)
        UT_KR(quay_thread_create(adder, NULL, &th[i]), KERN_SUCCESS);
    for (int i = 0; i < THREADS; i++)
        UT_KR(quay_thread_join(th[i], NULL), KERN_SUCCESS);
    UT_EQ(counter, (uint64_t)THREADS * ROUNDS);
    UT_EQ(lock.qm_state, 0);

    UT_EQ(quay_mutex_trylock(&lock), 1);
    UT_EQ(quay_mutex_trylock(&lock), 0);
    quay_mutex_unlock(&lock);
    UT_EQ(quay_mutex_trylock(&lock), 1);
    quay_mutex_unlock(&lock);

    ut_stats_settle_baseline();
    return ut_pass();
}

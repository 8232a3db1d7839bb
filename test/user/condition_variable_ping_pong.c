/* SPDX-License-Identifier: MIT */
/*
 * Two threads take turns through a mutex and a condition variable: each
 * waits (in a loop on the predicate) for its turn, bumps a shared count and
 * signals the other.  A thousand strict alternations, then a broadcast
 * releases several waiters at once.
 */
#include "ut_ports.h"
#include <quay/threads.h>

#define TURNS 1000

static quay_mutex_t lock = QUAY_MUTEX_INITIALIZER;
static quay_cond_t turn_changed = QUAY_COND_INITIALIZER;
static int turn;  /* 0 or 1: whose turn */
static int count; /* turns taken */
static int bad;   /* a thread ran out of turn */

static void *
player(void *arg)
{
    int me = (int)(uintptr_t)arg;

    for (int i = 0; i < TURNS; i++) {
        quay_mutex_lock(&lock);
        while (turn != me)
            quay_cond_wait(&turn_changed, &lock);
        if (count % 2 != me)
            bad++;
        count++;
        turn = !me;
        quay_cond_signal(&turn_changed);
        quay_mutex_unlock(&lock);
    }
    return NULL;
}

static int go;
static int released;

static void *
gate_waiter(void *arg)
{
    (void)arg;
    quay_mutex_lock(&lock);
    while (!go)
        quay_cond_wait(&turn_changed, &lock);
    released++;
    quay_mutex_unlock(&lock);
    return NULL;
}

int
main(void)
{
    quay_thread_t a, b, g[3];

    ut_stats_begin();
    UT_KR(quay_thread_create(player, (void *)1, &b), KERN_SUCCESS);
    UT_KR(quay_thread_create(player, (void *)0, &a), KERN_SUCCESS);
    UT_KR(quay_thread_join(a, NULL), KERN_SUCCESS);
    UT_KR(quay_thread_join(b, NULL), KERN_SUCCESS);
    UT_EQ(count, 2 * TURNS);
    UT_EQ(bad, 0);

    for (int i = 0; i < 3; i++)
        UT_KR(quay_thread_create(gate_waiter, NULL, &g[i]), KERN_SUCCESS);
    ut_sleep_ms(20);
    quay_mutex_lock(&lock);
    UT_EQ(released, 0);
    go = 1;
    quay_cond_broadcast(&turn_changed);
    quay_mutex_unlock(&lock);
    for (int i = 0; i < 3; i++)
        UT_KR(quay_thread_join(g[i], NULL), KERN_SUCCESS);
    UT_EQ(released, 3);

    ut_stats_settle_baseline();
    return ut_pass();
}

/* SPDX-License-Identifier: MIT */
/*
 * Mutexes on one 32-bit word with three states (0 free, 1 locked, 2 locked
 * and contended), the classic futex mutex.
 *
 * lock: take the word from 0 to 1 with compare-and-swap; that is the whole
 * uncontended path.  Otherwise mark it 2 and sleep in quay_wait() while it
 * stays 2; on waking, swap in 2 again, which takes the lock if it was freed
 * (a woken waiter cannot know whether others still sleep, so it keeps the
 * "contended" mark).
 * unlock: decrement; if the word was 1 nobody waits and we are done.  If it
 * was 2, store 0 and wake one sleeper.
 * The kernel re-checks the word against the expected value under its own lock
 * before sleeping, so an unlock between our check and the sleep is not lost.
 */
#include <mach/mach_traps.h>
#include <quay/threads.h>

void
quay_mutex_init(quay_mutex_t *m)
{
    __atomic_store_n(&m->qm_state, 0, __ATOMIC_RELAXED);
}

int
quay_mutex_trylock(quay_mutex_t *m)
{
    uint32_t expected = 0;
    return __atomic_compare_exchange_n(&m->qm_state, &expected, 1, 0, __ATOMIC_ACQUIRE,
                                       __ATOMIC_RELAXED);
}

void
quay_mutex_lock(quay_mutex_t *m)
{
    uint32_t c = 0;

    if (__atomic_compare_exchange_n(&m->qm_state, &c, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
        return;
    if (c != 2)
        c = __atomic_exchange_n(&m->qm_state, 2, __ATOMIC_ACQUIRE);
    while (c != 0) {
        (void)quay_wait(&m->qm_state, 2, 0);
        c = __atomic_exchange_n(&m->qm_state, 2, __ATOMIC_ACQUIRE);
    }
}

void
quay_mutex_unlock(quay_mutex_t *m)
{
    if (__atomic_fetch_sub(&m->qm_state, 1, __ATOMIC_RELEASE) != 1) {
        __atomic_store_n(&m->qm_state, 0, __ATOMIC_RELEASE);
        (void)quay_wake(&m->qm_state, 1);
    }
}

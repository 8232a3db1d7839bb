/* SPDX-License-Identifier: MIT */
/*
 * Condition variables as a sequence number (<quay/threads.h>).
 *
 * wait: read the number, release the mutex, sleep while the number is
 * unchanged, then take the mutex again.  The re-lock marks the mutex
 * contended (state 2), because other woken waiters may be queued on it.
 * signal/broadcast: advance the number, wake one or all sleepers.  A signal
 * between the read and the sleep changes the number, so quay_wait() returns
 * at once instead of missing it.  (A waiter that sleeps through exactly 2^32
 * signals would miss one; that cannot happen in practice.)
 */
#include <mach/mach_traps.h>
#include <quay/threads.h>

void
quay_cond_init(quay_cond_t *c)
{
    __atomic_store_n(&c->qc_seq, 0, __ATOMIC_RELAXED);
}

void
quay_cond_wait(quay_cond_t *c, quay_mutex_t *m)
{
    uint32_t seq = __atomic_load_n(&c->qc_seq, __ATOMIC_RELAXED);

    quay_mutex_unlock(m);
    (void)quay_wait(&c->qc_seq, seq, 0);
    while (__atomic_exchange_n(&m->qm_state, 2, __ATOMIC_ACQUIRE) != 0)
        (void)quay_wait(&m->qm_state, 2, 0);
}

void
quay_cond_signal(quay_cond_t *c)
{
    __atomic_fetch_add(&c->qc_seq, 1, __ATOMIC_RELEASE);
    (void)quay_wake(&c->qc_seq, 1);
}

void
quay_cond_broadcast(quay_cond_t *c)
{
    __atomic_fetch_add(&c->qc_seq, 1, __ATOMIC_RELEASE);
    (void)quay_wake(&c->qc_seq, UINT32_MAX);
}

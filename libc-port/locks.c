/* SPDX-License-Identifier: MIT */
/*
 * newlib's locks (built with --enable-newlib-retargetable-locking) on
 * libmach's futex mutexes, so malloc, stdio and atexit are safe with
 * several threads.
 *
 * A struct __lock is a mutex plus an owner and depth for the recursive
 * variants; the owner is the thread's TCB.  newlib names its static locks
 * (__lock___malloc_recursive_mutex ...) and creates the others (one per
 * FILE) with __retarget_lock_init*.  If that allocation fails the FILE gets
 * a NULL lock and goes unlocked, as it would in a single-threaded newlib.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/lock.h>
#include <quay/threads.h>

#include "libc_port.h"

struct __lock {
    quay_mutex_t l_mutex;
    struct quay_tcb *l_owner; /* recursive locks: who holds it */
    unsigned l_depth;         /* recursive locks: how often */
};

struct __lock __lock___sinit_recursive_mutex;
struct __lock __lock___sfp_recursive_mutex;
struct __lock __lock___atexit_recursive_mutex;
struct __lock __lock___at_quick_exit_mutex;
struct __lock __lock___malloc_recursive_mutex;
struct __lock __lock___env_recursive_mutex;
struct __lock __lock___tz_mutex;
struct __lock __lock___dd_hash_mutex;
struct __lock __lock___arc4random_mutex;

void
__retarget_lock_init(_LOCK_T *lock)
{
    *lock = calloc(1, sizeof(struct __lock));
}

void
__retarget_lock_init_recursive(_LOCK_T *lock)
{
    *lock = calloc(1, sizeof(struct __lock));
}

void
__retarget_lock_close(_LOCK_T lock)
{
    free(lock);
}

void
__retarget_lock_close_recursive(_LOCK_T lock)
{
    free(lock);
}

void
__retarget_lock_acquire(_LOCK_T lock)
{
    if (lock != NULL)
        quay_mutex_lock(&lock->l_mutex);
}

/* The try variants answer like pthread_mutex_trylock (and RTEMS, where this
 * interface comes from): 0 when the lock was taken, EBUSY when it was not. */
int
__retarget_lock_try_acquire(_LOCK_T lock)
{
    return lock == NULL || quay_mutex_trylock(&lock->l_mutex) ? 0 : EBUSY;
}

void
__retarget_lock_release(_LOCK_T lock)
{
    if (lock != NULL)
        quay_mutex_unlock(&lock->l_mutex);
}

/* Only the owner reads or writes l_owner/l_depth while holding the mutex;
 * another thread may read l_owner racily, but never sees its own TCB there. */
void
__retarget_lock_acquire_recursive(_LOCK_T lock)
{
    struct quay_tcb *self = quay_tcb();

    if (lock == NULL)
        return;
    if (__atomic_load_n(&lock->l_owner, __ATOMIC_RELAXED) != self) {
        quay_mutex_lock(&lock->l_mutex);
        __atomic_store_n(&lock->l_owner, self, __ATOMIC_RELAXED);
    }
    lock->l_depth++;
}

int
__retarget_lock_try_acquire_recursive(_LOCK_T lock)
{
    struct quay_tcb *self = quay_tcb();

    if (lock == NULL)
        return 0;
    if (__atomic_load_n(&lock->l_owner, __ATOMIC_RELAXED) != self) {
        if (!quay_mutex_trylock(&lock->l_mutex))
            return EBUSY;
        __atomic_store_n(&lock->l_owner, self, __ATOMIC_RELAXED);
    }
    lock->l_depth++;
    return 0;
}

void
__retarget_lock_release_recursive(_LOCK_T lock)
{
    if (lock == NULL || --lock->l_depth != 0)
        return;
    __atomic_store_n(&lock->l_owner, NULL, __ATOMIC_RELAXED);
    quay_mutex_unlock(&lock->l_mutex);
}

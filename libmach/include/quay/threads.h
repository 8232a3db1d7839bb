/* SPDX-License-Identifier: MIT */
/*
 * A small threads library for Mach tasks: create/join, mutexes and condition
 * variables (libmach/threads/).
 *
 * Threads are kernel threads of the calling task, made with the thread_create,
 * thread_set_state and thread_resume kernel calls; each has its own stack and
 * thread control block (<quay/tcb.h>).  Mutexes and conditions are single
 * 32-bit words that sleep in the kernel with the quay_wait/quay_wake traps
 * (futex-style), so an uncontended lock or unlock never enters the kernel.
 */
#ifndef _QUAY_THREADS_H_
#define _QUAY_THREADS_H_

#include <stdint.h>
#include <mach/kern_return.h>

/* Default stack size of a new thread. */
#define QUAY_THREAD_STACK_SIZE (64 * 1024)

typedef struct quay_thread *quay_thread_t;

/*
 * Start a thread running FN(ARG) and return its handle in *THREAD.  Returns
 * KERN_SUCCESS, KERN_RESOURCE_SHORTAGE (no memory for stack or TCB), or the
 * error of thread_create / thread_get_state / thread_set_state /
 * thread_resume; on error nothing is left behind and *THREAD is unchanged.
 */
kern_return_t quay_thread_create(void *(*fn)(void *), void *arg, quay_thread_t *thread);

/*
 * Wait until THREAD has finished, store what its function returned (or
 * passed to quay_thread_exit()) in *RESULT if RESULT is not NULL, and free
 * the thread's stack, TCB and ports.  Each thread is joined at most once.
 * Returns KERN_SUCCESS, or KERN_INVALID_ARGUMENT for a NULL handle.
 */
kern_return_t quay_thread_join(quay_thread_t thread, void **result);

/*
 * End the calling thread with RESULT for quay_thread_join().  The thread
 * stays parked until joined.  In the task's first thread (not made by
 * quay_thread_create) it parks for good: the task ends when a thread calls
 * exit().
 */
_Noreturn void quay_thread_exit(void *result);

/* The calling thread's handle, or NULL in the task's first thread. */
quay_thread_t quay_thread_self(void);

/*
 * Mutex: 0 = unlocked, 1 = locked, 2 = locked and maybe contended (a waiter
 * may be asleep, so unlock must wake one).  Initialise with
 * QUAY_MUTEX_INITIALIZER or quay_mutex_init().  Not recursive.
 */
typedef struct {
    uint32_t qm_state;
} quay_mutex_t;

#define QUAY_MUTEX_INITIALIZER                                                                     \
    {                                                                                              \
        0                                                                                          \
    }

void quay_mutex_init(quay_mutex_t *m);
void quay_mutex_lock(quay_mutex_t *m);
void quay_mutex_unlock(quay_mutex_t *m);
/* Take M if it is free; returns 1 if taken, 0 if it was locked. */
int quay_mutex_trylock(quay_mutex_t *m);

/*
 * Condition variable: a sequence number that every signal and broadcast
 * advances.  A waiter sleeps only while the number is still the one it saw
 * before releasing the mutex, so a wake-up between unlock and sleep is never
 * lost.  As with POSIX conditions, wake-ups may be spurious: always wait in a
 * loop that re-checks the predicate.
 */
typedef struct {
    uint32_t qc_seq;
} quay_cond_t;

#define QUAY_COND_INITIALIZER                                                                      \
    {                                                                                              \
        0                                                                                          \
    }

void quay_cond_init(quay_cond_t *c);
void quay_cond_wait(quay_cond_t *c, quay_mutex_t *m);
void quay_cond_signal(quay_cond_t *c);
void quay_cond_broadcast(quay_cond_t *c);

#endif /* _QUAY_THREADS_H_ */

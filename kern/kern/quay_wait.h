/* SPDX-License-Identifier: MIT
 *
 * Waiting on a user address (the quay_wait/quay_wake traps, Quay's futex):
 * the primitive under user-level mutexes and condition variables.
 * quay_wait.c.
 */
#ifndef _KERN_QUAY_WAIT_H_
#define _KERN_QUAY_WAIT_H_

#include <kern/types.h>
#include <mach/kern_return.h>

/* If the 32-bit word at user address `uaddr` of the current task equals
 * `expected`, waits (interruptibly) until quay_wake() on that address, for
 * at most timeout_ms milliseconds (0: no limit).  The check and the start of
 * the wait are atomic with respect to quay_wake(): a waker that changes the
 * word and then wakes cannot be missed.  Returns KERN_SUCCESS when woken or
 * when the word did not match (the caller rechecks its condition),
 * KERN_OPERATION_TIMED_OUT, KERN_ABORTED (thread_abort, termination),
 * KERN_INVALID_ARGUMENT for a misaligned address, KERN_INVALID_ADDRESS when
 * the word cannot be read.  No lock held. */
kern_return_t quay_wait(uintptr_t uaddr, uint32_t expected, uint32_t timeout_ms);

/* Wakes up to `count` threads of the current task waiting on `uaddr`, the
 * longest-waiting first, and returns how many it woke.  No lock held. */
unsigned quay_wake(uintptr_t uaddr, unsigned count);

/* Sets up the wait buckets.  kmain, once. */
void quay_wait_init(void);

#endif

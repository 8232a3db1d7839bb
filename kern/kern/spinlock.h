/* SPDX-License-Identifier: MIT
 *
 * Spinlocks with interrupt control.  spin_lock() disables interrupts on this
 * CPU before it spins and spin_unlock() restores them when the outermost lock
 * is released (xv6's push_off/pop_off), so a lock taken by an interrupt
 * handler can never deadlock against the code it interrupted.
 *
 * Every lock has a rank from kern/lock_order.h.  In debug builds
 * (QUAY_DEBUG) the lock-order checker panics when a CPU takes a lock whose
 * rank is not above every lock it already holds: the order is written once,
 * there, and enforced here.
 */
#ifndef _KERN_SPINLOCK_H_
#define _KERN_SPINLOCK_H_

#include <kern/types.h>
#include <kern/lock_order.h>

struct cpu;

struct spinlock {
    volatile uint32_t locked; /* 0 free, 1 held */
    uint32_t rank;            /* from lock_order.h */
    const char *name;
    struct cpu *owner; /* valid while held */
};

#define SPINLOCK_INIT(nm, rk) {.locked = 0, .rank = (rk), .name = (nm), .owner = NULL}

void spinlock_init(struct spinlock *l, const char *name, uint32_t rank);
void spin_lock(struct spinlock *l);
bool spin_trylock(struct spinlock *l);
void spin_unlock(struct spinlock *l);
bool spin_lock_held(const struct spinlock *l);

/* Interrupt-disable nesting used by spin_lock; also for per-CPU data. */
void intr_push_off(void);
void intr_pop_off(void);

#endif

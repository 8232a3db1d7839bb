/* SPDX-License-Identifier: MIT
 *
 * Spinlocks with interrupt control.  spin_lock() disables interrupts on this
 * CPU before it spins and spin_unlock() restores them when the outermost lock
 * is released (xv6's push_off/pop_off), so a lock taken by an interrupt
 * handler can never deadlock against the code it interrupted.  A CPU never
 * spins with interrupts on and never takes an interrupt while it holds a
 * spinlock.
 *
 * Every lock has a rank from kern/lock_order.h.  In debug builds (QUAY_DEBUG)
 * the lock-order checker keeps, per CPU, the list of locks it holds and
 * panics with a "lock order:" message when a CPU
 *   - spin_lock()s a lock whose rank is not strictly greater than the rank of
 *     every lock it already holds (equal ranks may not nest either), or
 *   - holds more than LOCK_DEPTH_MAX locks at once.
 * spin_trylock() is exempt from the rank rule (it cannot wait, so it cannot
 * deadlock) but the lock it takes is recorded and counts for later checks.
 * In every build, taking a lock this CPU already holds and releasing a lock
 * this CPU does not hold panic.
 */
#ifndef _KERN_SPINLOCK_H_
#define _KERN_SPINLOCK_H_

#include <kern/types.h>
#include <kern/lock_order.h>

struct cpu;

struct spinlock {
    volatile uint32_t locked; /* 0 free, 1 held */
    uint32_t rank;            /* from lock_order.h; constant */
    const char *name;         /* for messages; constant */
    struct cpu *owner;        /* the holder while held, else NULL */
};

#define SPINLOCK_INIT(nm, rk)                                                                      \
    {                                                                                              \
        .locked = 0, .rank = (rk), .name = (nm), .owner = NULL                                     \
    }

/* Initializes a free lock of rank `rank` (kern/lock_order.h). */
void spinlock_init(struct spinlock *l, const char *name, uint32_t rank);

/* Disables interrupts on this CPU, then spins until `l` is free and takes
 * it.  Panics if this CPU already holds `l`, and in debug builds if the
 * acquisition breaks the lock order (see above). */
void spin_lock(struct spinlock *l);

/* Takes `l` if it is free and returns true; otherwise returns false at once
 * with the interrupt state unchanged.  Fails on a lock this CPU holds. */
bool spin_trylock(struct spinlock *l);

/* Releases `l`, which this CPU must hold (else panic); re-enables interrupts
 * if this was the outermost lock and they were on before it.  Locks may be
 * released in any order. */
void spin_unlock(struct spinlock *l);

/* True if this CPU holds `l`.  Only meaningful about the caller's own locks:
 * "false" says nothing about other CPUs. */
bool spin_lock_held(const struct spinlock *l);

/* For the top of every `_locked` function (STYLE.md): panics, naming the
 * lock and the caller, unless this CPU holds `l`.  In every build. */
#define assert_locked(l)                                                                           \
    do {                                                                                           \
        if (unlikely(!spin_lock_held(l)))                                                          \
            spin_not_held_panic((l), __func__, __FILE__, __LINE__);                                \
    } while (0)

void spin_not_held_panic(const struct spinlock *l, const char *func, const char *file, int line)
    __attribute__((noreturn, cold));

/* Interrupt-disable nesting used by spin_lock, also usable on its own (e.g.
 * around per-CPU data).  intr_push_off() disables interrupts, remembering at
 * the outermost level whether they were on; intr_pop_off() undoes one
 * push and re-enables them after the outermost one if they were on.  Must
 * pair up on the same CPU. */
void intr_push_off(void);
void intr_pop_off(void);

#endif

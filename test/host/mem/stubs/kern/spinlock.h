/* SPDX-License-Identifier: MIT
 *
 * Host stand-in for kern/spinlock.h: the host tests are single-threaded, so
 * a lock is a flag that checks it is taken and released in pairs, which is
 * all the `_locked` assertions need.
 */
#ifndef _KERN_SPINLOCK_H_
#define _KERN_SPINLOCK_H_

#include <kern/types.h>
#include <kern/lock_order.h>
#include <kern/assert.h>

struct spinlock {
    bool locked;
    uint32_t rank;
    const char *name;
};

#define SPINLOCK_INIT(nm, rk)                                                                      \
    {                                                                                              \
        .locked = false, .rank = (rk), .name = (nm)                                                \
    }

static inline void
spinlock_init(struct spinlock *l, const char *name, uint32_t rank)
{
    *l = (struct spinlock)SPINLOCK_INIT(name, rank);
}

static inline void
spin_lock(struct spinlock *l)
{
    assert(!l->locked);
    l->locked = true;
}

static inline void
spin_unlock(struct spinlock *l)
{
    assert(l->locked);
    l->locked = false;
}

static inline bool
spin_lock_held(const struct spinlock *l)
{
    return l->locked;
}

#endif

// SPDX-License-Identifier: MIT
//
// Spinlocks (see spinlock.h for the rules).  Test-and-test-and-set with
// `pause` while spinning; acquire/release ordering from the GCC atomics.

#include <kern/spinlock.h>
#include <kern/cpu.h>
#include <kern/assert.h>
#include <machine/cpufunc.h>

void
spinlock_init(struct spinlock *l, const char *name, uint32_t rank)
{
    l->locked = 0;
    l->rank = rank;
    l->name = name;
    l->owner = NULL;
}

// Disables interrupts, remembering at the outermost level whether they
// were on.  Pairs with intr_pop_off().
void
intr_push_off(void)
{
    bool was = intr_enabled();

    intr_disable();
    struct cpu *c = cpu_current();
    if (c->intr_off_depth++ == 0)
        c->intr_were_enabled = was;
}

// Undoes one intr_push_off(); re-enables interrupts after the outermost one
// if they were on before it.
void
intr_pop_off(void)
{
    struct cpu *c = cpu_current();

    assert(!intr_enabled());
    assert(c->intr_off_depth > 0);
    if (--c->intr_off_depth == 0 && c->intr_were_enabled)
        intr_enable();
}

#ifdef QUAY_DEBUG
// Panics unless `l` ranks above every lock this CPU holds.
static void
lock_order_check(struct cpu *c, struct spinlock *l)
{
    for (int i = 0; i < c->nheld; i++) {
        if (c->held[i]->rank >= l->rank)
            panic("lock order: taking %s (rank %u) while holding %s (rank %u)", l->name,
                  l->rank, c->held[i]->name, c->held[i]->rank);
    }
    if (c->nheld == LOCK_DEPTH_MAX)
        panic("lock order: more than %d locks held", LOCK_DEPTH_MAX);
}
#endif

static void
lock_acquired(struct cpu *c, struct spinlock *l)
{
    l->owner = c;
#ifdef QUAY_DEBUG
    c->held[c->nheld++] = l;
#endif
}

void
spin_lock(struct spinlock *l)
{
    intr_push_off();
    struct cpu *c = cpu_current();
    if (l->owner == c && l->locked)
        panic("spin_lock: %s already held by this CPU", l->name);
#ifdef QUAY_DEBUG
    lock_order_check(c, l);
#endif
    while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) != 0) {
        while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED) != 0)
            cpu_pause();
    }
    lock_acquired(c, l);
}

// Takes the lock only if it is free; never spins.  The order check is
// skipped: a trylock cannot deadlock.
bool
spin_trylock(struct spinlock *l)
{
    intr_push_off();
    if (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) != 0) {
        intr_pop_off();
        return false;
    }
    lock_acquired(cpu_current(), l);
    return true;
}

void
spin_unlock(struct spinlock *l)
{
    struct cpu *c = cpu_current();

    if (!l->locked || l->owner != c)
        panic("spin_unlock: %s not held by this CPU", l->name);
#ifdef QUAY_DEBUG
    // Locks are usually released innermost first, but need not be.
    for (int i = c->nheld - 1; i >= 0; i--) {
        if (c->held[i] == l) {
            c->held[i] = c->held[--c->nheld];
            break;
        }
    }
#endif
    l->owner = NULL;
    __atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
    intr_pop_off();
}

bool
spin_lock_held(const struct spinlock *l)
{
    return l->locked && l->owner == cpu_current();
}

// SPDX-License-Identifier: MIT
//
// Spinlocks (see spinlock.h for the rules).  Test-and-test-and-set with
// `pause` while spinning; the acquiring exchange has acquire ordering and the
// releasing store release ordering, so everything written under the lock is
// visible to the next holder.  The debug lock-order checker lives here too:
// each CPU's struct cpu lists the locks it holds (held[], nheld).

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

void
intr_push_off(void)
{
    bool was = intr_enabled();

    intr_disable();
    struct cpu *c = cpu_current();
    if (c->intr_off_depth++ == 0)
        c->intr_were_enabled = was;
}

void
intr_pop_off(void)
{
    struct cpu *c = cpu_current();

    if (intr_enabled())
        panic("intr_pop_off: interrupts are on inside an intr_push_off section");
    if (c->intr_off_depth <= 0)
        panic("intr_pop_off: unbalanced (depth %d)", c->intr_off_depth);
    if (--c->intr_off_depth == 0 && c->intr_were_enabled)
        intr_enable();
}

#ifdef QUAY_DEBUG
// The lock-order rule: `l` must rank strictly above every lock this CPU
// holds.  Called before spinning, so a violation is reported even when it
// would not deadlock this time.
static void
lock_order_check(const struct cpu *c, const struct spinlock *l)
{
    for (int i = 0; i < c->nheld; i++) {
        const struct spinlock *h = c->held[i];
        if (h->rank >= l->rank)
            panic("lock order: cpu %u takes %s (rank %u) while holding %s (rank %u); "
                  "a lock must rank above every lock held (kern/lock_order.h)",
                  c->id, l->name, l->rank, h->name, h->rank);
    }
}

static void
lock_order_push(struct cpu *c, struct spinlock *l)
{
    if (c->nheld == LOCK_DEPTH_MAX)
        panic("lock order: cpu %u takes %s while holding %d locks (the limit)", c->id, l->name,
              LOCK_DEPTH_MAX);
    c->held[c->nheld++] = l;
}

// Locks are usually released innermost first, but need not be: keep the
// rest of the list in acquisition order.
static void
lock_order_pop(struct cpu *c, const struct spinlock *l)
{
    int i = c->nheld - 1;

    while (i >= 0 && c->held[i] != l)
        i--;
    assert(i >= 0); // spin_unlock checked the owner already
    for (; i < c->nheld - 1; i++)
        c->held[i] = c->held[i + 1];
    c->nheld--;
}
#endif

void
spin_lock(struct spinlock *l)
{
    intr_push_off();
    struct cpu *c = cpu_current();
    if (__atomic_load_n(&l->owner, __ATOMIC_RELAXED) == c)
        panic("spin_lock: cpu %u takes %s, which it already holds", c->id, l->name);
#ifdef QUAY_DEBUG
    lock_order_check(c, l);
    lock_order_push(c, l);
#endif
    while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) != 0) {
        while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED) != 0)
            cpu_pause();
    }
    __atomic_store_n(&l->owner, c, __ATOMIC_RELAXED);
}

bool
spin_trylock(struct spinlock *l)
{
    intr_push_off();
    if (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) != 0) {
        intr_pop_off();
        return false;
    }
    struct cpu *c = cpu_current();
#ifdef QUAY_DEBUG
    lock_order_push(c, l);
#endif
    __atomic_store_n(&l->owner, c, __ATOMIC_RELAXED);
    return true;
}

void
spin_unlock(struct spinlock *l)
{
    struct cpu *c = cpu_current();

    if (!l->locked || __atomic_load_n(&l->owner, __ATOMIC_RELAXED) != c)
        panic("spin_unlock: cpu %u releases %s, which it does not hold", c->id, l->name);
#ifdef QUAY_DEBUG
    lock_order_pop(c, l);
#endif
    __atomic_store_n(&l->owner, NULL, __ATOMIC_RELAXED);
    __atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
    intr_pop_off();
}

// Only this CPU ever stores its own address into `owner`, and it clears it
// before releasing, so reading our own address here means we hold `l`.
bool
spin_lock_held(const struct spinlock *l)
{
    bool held;

    intr_push_off(); // cpu_current() must not change under us
    held = __atomic_load_n(&l->owner, __ATOMIC_RELAXED) == cpu_current();
    intr_pop_off();
    return held;
}

void
spin_not_held_panic(const struct spinlock *l, const char *func, const char *file, int line)
{
    panic("assert_locked: %s does not hold %s (%s:%d)", func, l->name, file, line);
}

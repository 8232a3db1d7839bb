// SPDX-License-Identifier: MIT
//
// Tests of spinlocks: interrupt control, nesting, trylock, the held-lock
// bookkeeping of the debug lock-order checker.  (That the checker panics on
// a wrong order is tested from outside: crash=lockorder, see
// test/qemu/CMakeLists.txt.)  Each test releases every lock before its
// first check can return.

#include <debug/ktest.h>
#include <kern/cpu.h>
#include <kern/spinlock.h>
#include <machine/cpufunc.h>

static struct spinlock outer = SPINLOCK_INIT("test outer", LOCK_RANK_TEST_OUTER);
static struct spinlock inner = SPINLOCK_INIT("test inner", LOCK_RANK_TEST_INNER);

KTEST(lock, spin_lock_disables_interrupts_and_unlock_restores_them)
{
    KT_ASSERT(intr_enabled());
    spin_lock(&outer);
    bool off = !intr_enabled();
    bool held = spin_lock_held(&outer);
    spin_unlock(&outer);
    KT_ASSERT(off);
    KT_ASSERT(held);
    KT_ASSERT(intr_enabled());
    KT_ASSERT(!spin_lock_held(&outer));
}

KTEST(lock, nested_locks_restore_interrupts_only_at_the_outermost_unlock)
{
    KT_ASSERT(intr_enabled());
    spin_lock(&outer);
    spin_lock(&inner);
    spin_unlock(&outer); // released out of order: allowed
    bool off_after_first = !intr_enabled();
    bool inner_still_held = spin_lock_held(&inner);
    spin_unlock(&inner);
    KT_ASSERT(off_after_first);
    KT_ASSERT(inner_still_held);
    KT_ASSERT(intr_enabled());
}

KTEST(lock, unlock_leaves_interrupts_off_if_they_were_off_before)
{
    intr_disable();
    spin_lock(&outer);
    spin_unlock(&outer);
    bool still_off = !intr_enabled();
    intr_enable();
    KT_ASSERT(still_off);
}

KTEST(lock, trylock_on_a_held_lock_fails_and_keeps_interrupts_off)
{
    spin_lock(&outer);
    int depth = cpu_current()->intr_off_depth;
    bool got = spin_trylock(&outer);
    bool off = !intr_enabled();
    int depth_after = cpu_current()->intr_off_depth;
    spin_unlock(&outer);
    KT_ASSERT(!got);
    KT_ASSERT(off);
    KT_EQ(depth_after, depth);
    KT_ASSERT(intr_enabled());
}

KTEST(lock, trylock_on_a_free_lock_takes_it)
{
    bool got = spin_trylock(&outer);
    bool held = spin_lock_held(&outer);
    bool off = !intr_enabled();
    if (got)
        spin_unlock(&outer);
    KT_ASSERT(got);
    KT_ASSERT(held);
    KT_ASSERT(off);
    KT_ASSERT(intr_enabled());
}

// A trylock cannot deadlock, so it may go against the order.
KTEST(lock, trylock_may_take_a_lower_ranked_lock)
{
    spin_lock(&inner);
    bool got = spin_trylock(&outer);
    if (got)
        spin_unlock(&outer);
    spin_unlock(&inner);
    KT_ASSERT(got);
}

KTEST(lock, intr_push_off_nests)
{
    intr_push_off();
    intr_push_off();
    intr_pop_off();
    bool off_inside = !intr_enabled();
    intr_pop_off();
    KT_ASSERT(off_inside);
    KT_ASSERT(intr_enabled());
}

static int
touch_locked(struct spinlock *l)
{
    assert_locked(l);
    return 1;
}

KTEST(lock, assert_locked_passes_for_a_held_lock)
{
    spin_lock(&outer);
    int r = touch_locked(&outer);
    spin_unlock(&outer);
    KT_EQ(r, 1);
}

#ifdef QUAY_DEBUG
KTEST(lock, checker_lists_held_locks_in_acquisition_order)
{
    struct cpu *c = cpu_current();
    int base = c->nheld;

    spin_lock(&outer);
    spin_lock(&inner);
    int n2 = c->nheld;
    bool order = c->held[base] == &outer && c->held[base + 1] == &inner;
    spin_unlock(&outer);
    int n1 = c->nheld;
    bool left = c->held[base] == &inner;
    spin_unlock(&inner);
    KT_EQ(n2, base + 2);
    KT_ASSERT(order);
    KT_EQ(n1, base + 1);
    KT_ASSERT(left);
    KT_EQ(c->nheld, base);
}
#endif

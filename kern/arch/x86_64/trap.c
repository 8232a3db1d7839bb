// SPDX-License-Identifier: MIT
//
// Trap dispatch and the interrupt handler table.
//
// Every vector's stub (trap_entry.S) ends up in trap_dispatch() with a
// struct trap_frame.  Vectors 0..31 are CPU exceptions: in kernel mode they
// are bugs, reported by trap_report_fatal() (trap_report.c), which ends the
// machine; from user mode they will become Mach exception messages (see
// trap_user_exception).  Vectors 32..255 are interrupts: they go to the
// handler registered with intr_register(), or are counted as unexpected.
//
// Locks: intr_lock (LOCK_RANK_INTR) serialises registration.  The dispatcher
// does not take it: it reads a handler's function pointer with acquire
// ordering, and intr_register() publishes the argument before the function
// with release ordering, so a dispatcher that sees the function sees its
// argument.

#include <kern/assert.h>
#include <kern/console.h>
#include <kern/cpu.h>
#include <kern/intr.h>
#include <kern/spinlock.h>
#include <machine/cpu_arch.h>
#include <machine/intr_vectors.h>
#include <machine/trap.h>

struct intr_entry {
    intr_handler_t fn; // NULL: no handler; read by any CPU without the lock
    void *arg;
    uint64_t unexpected; // interrupts with no handler (atomic increments)
};

static struct intr_entry intr_table[INTR_NVECTORS];
static struct spinlock intr_lock = SPINLOCK_INIT("intr", LOCK_RANK_INTR);

void
intr_init(void)
{
    gdt_init_cpu(cpu_current());
    idt_init();
    idt_load();
    pic_init();
}

void
intr_init_cpu(void)
{
    gdt_init_cpu(cpu_current());
    idt_load();
}

bool
intr_register(unsigned vector, intr_handler_t handler, void *arg)
{
    bool ok = false;

    if (vector < INTR_VECTOR_EXCEPTIONS || vector >= INTR_NVECTORS || handler == NULL)
        return false;
    spin_lock(&intr_lock);
    struct intr_entry *e = &intr_table[vector];
    if (e->fn == NULL) {
        e->arg = arg;
        __atomic_store_n(&e->fn, handler, __ATOMIC_RELEASE);
        ok = true;
    }
    spin_unlock(&intr_lock);
    return ok;
}

void
intr_unregister(unsigned vector)
{
    assert(vector >= INTR_VECTOR_EXCEPTIONS && vector < INTR_NVECTORS);
    spin_lock(&intr_lock);
    struct intr_entry *e = &intr_table[vector];
    if (e->fn == NULL)
        panic("intr_unregister: vector %#x has no handler", vector);
    __atomic_store_n(&e->fn, NULL, __ATOMIC_RELEASE);
    spin_unlock(&intr_lock);
}

uint64_t
intr_unexpected_count(unsigned vector)
{
    if (vector < INTR_VECTOR_EXCEPTIONS || vector >= INTR_NVECTORS)
        return 0;
    return __atomic_load_n(&intr_table[vector].unexpected, __ATOMIC_RELAXED);
}

// An interrupt nobody registered for: a masked 8259's spurious IRQ 7/15, the
// LAPIC spurious vector before its owner registers, or a stray `int n`.  It
// is harmless, so it is counted and logged once per vector, not fatal.
static void
intr_unexpected(const struct trap_frame *tf)
{
    unsigned v = (unsigned)tf->vector;

    // The slave 8259's spurious IRQ 15 reached us through the master's
    // cascade line, and the master expects an EOI for that (the slave not).
    if (v == INTR_VECTOR_PIC2_BASE + 7)
        pic_eoi_master();
    if (__atomic_fetch_add(&intr_table[v].unexpected, 1, __ATOMIC_RELAXED) == 0)
        klog(LOG_WARN,
             "intr: unexpected interrupt on vector %#x (cpu %u, RIP %#lx); "
             "counting, not reporting again\n",
             v, cpu_number(), tf->rip);
}

static void
intr_dispatch(struct trap_frame *tf)
{
    struct intr_entry *e = &intr_table[tf->vector];
    intr_handler_t fn = __atomic_load_n(&e->fn, __ATOMIC_ACQUIRE);

    if (fn == NULL) {
        intr_unexpected(tf);
        return;
    }
    struct cpu *c = cpu_current();
    bool was = c->in_interrupt; // handlers run with IF off, but be exact if one nests
    c->in_interrupt = true;
    fn(tf, e->arg);
    c->in_interrupt = was;
}

// The hook for exceptions raised by user code: the IPC and VM issues replace
// this with page-fault resolution (vm_fault) and Mach exception messages to
// the thread's or task's exception port.  Until user mode exists, reaching
// it means the kernel built a bad frame or returned to CPL 3 by mistake,
// which is corrupted kernel state.
static void
trap_user_exception(struct trap_frame *tf)
{
    panic("user exception before user mode exists: vector %lu (%s), error %#lx, RIP %#lx",
          tf->vector, trap_vector_name((unsigned)tf->vector), tf->error_code, tf->rip);
}

void
trap_dispatch(struct trap_frame *tf)
{
    if (tf->vector >= INTR_VECTOR_EXCEPTIONS)
        intr_dispatch(tf);
    else if (trap_from_user(tf))
        trap_user_exception(tf);
    else
        trap_report_fatal(tf);
}

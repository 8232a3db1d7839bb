// SPDX-License-Identifier: MIT
//
// Trap dispatch and the interrupt handler table.
//
// Every vector's stub (trap_entry.S) ends up in trap_dispatch() with a
// struct trap_frame.  Vectors 0..31 are CPU exceptions: in kernel mode they
// are bugs, reported by trap_report_fatal() (trap_report.c), which ends the
// machine -- except page faults inside copyin/copyout (copyio.c); from user
// mode a page fault goes to vm_fault, and what it cannot resolve and every
// other exception become Mach exception messages (exception_raise_user,
// kern/exception.c; trap_user_exception).  Vectors 32..255 are interrupts: they go to the
// handler registered with intr_register(), or are counted as unexpected.
// Every trap ends with the return-to-user work (thread_user_return) or, in
// kernel mode with interrupts on, a chance to be preempted.
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
#include <kern/exception.h>
#include <kern/sched.h>
#include <kern/spinlock.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <machine/cpu_arch.h>
#include <machine/cpufunc.h>
#include <machine/vmparam.h>
#include <vm/vm_fault.h>
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

// Page-fault error code -> the access vm_fault is asked to allow.
static vm_prot_t
trap_fault_type(const struct trap_frame *tf)
{
    if (tf->error_code & PF_ERR_IFETCH)
        return VM_PROT_EXECUTE;
    return (tf->error_code & PF_ERR_WRITE) ? VM_PROT_WRITE : VM_PROT_READ;
}

// The Mach exception type and code[0] of an x86 vector other than a page
// fault (<mach/exception_types.h> has the table; the numbers are GNU
// Mach's).  code[1] is the CPU's error code where the vector has one.
static void
trap_exception_type(unsigned vector, struct exception_info *ei)
{
    static const struct {
        uint8_t type, code;
    } map[T_SIMD_ERROR + 1] = {
        [T_DIVIDE] = {EXC_ARITHMETIC, EXC_I386_DIV},
        [T_DEBUG] = {EXC_BREAKPOINT, EXC_I386_SGL},
        [T_BREAKPOINT] = {EXC_BREAKPOINT, EXC_I386_BPT},
        [T_OVERFLOW] = {EXC_ARITHMETIC, EXC_I386_INTO},
        [T_BOUND] = {EXC_ARITHMETIC, EXC_I386_BOUND},
        [T_INVALID_OP] = {EXC_BAD_INSTRUCTION, EXC_I386_INVOP},
        [T_NO_FPU] = {EXC_ARITHMETIC, EXC_I386_NOEXT},
        [T_INVALID_TSS] = {EXC_BAD_INSTRUCTION, EXC_I386_INVTSSFLT},
        [T_NO_SEGMENT] = {EXC_BAD_INSTRUCTION, EXC_I386_SEGNPFLT},
        [T_STACK_FAULT] = {EXC_BAD_INSTRUCTION, EXC_I386_STKFLT},
        [T_GENERAL_PROT] = {EXC_BAD_INSTRUCTION, EXC_I386_GPFLT},
        [T_FPU_ERROR] = {EXC_ARITHMETIC, EXC_I386_EXTERR},
        [T_ALIGNMENT] = {EXC_BAD_INSTRUCTION, EXC_I386_ALIGNFLT},
        [T_SIMD_ERROR] = {EXC_ARITHMETIC, EXC_I386_SSEEXTERR},
    };

    if (vector <= T_SIMD_ERROR && map[vector].type != 0) {
        ei->ei_type = map[vector].type;
        ei->ei_code[0] = map[vector].code;
    } else { // a vector user code should never raise (virtualization, CET ...)
        ei->ei_type = EXC_BAD_INSTRUCTION;
        ei->ei_code[0] = vector;
    }
}

// Vectors that push an error code worth reporting in code[1].
static bool
trap_has_error_code(unsigned vector)
{
    return vector == T_INVALID_TSS || vector == T_NO_SEGMENT || vector == T_STACK_FAULT ||
           vector == T_GENERAL_PROT || vector == T_ALIGNMENT;
}

// An exception raised by user code.  A page fault goes to vm_fault() on the
// task's map (interrupts on: it may block); a fault it cannot resolve
// becomes EXC_BAD_ACCESS with vm_fault's verdict and the address, every
// other vector its Mach exception, and exception_raise_user() sends it to
// the thread's or the task's handler -- or terminates the task.  Whatever
// the handler left in the trap frame is what the thread resumes with.
static void
trap_user_exception(struct trap_frame *tf)
{
    unsigned v = (unsigned)tf->vector;
    uintptr_t addr = v == T_PAGE_FAULT ? read_cr2() : 0; // before anything can fault again
    struct task *task = current_task();
    struct exception_info ei = {
        .ei_vector = v,
        .ei_name = trap_vector_name(v),
        .ei_pc = tf->rip,
        .ei_addr = addr,
        .ei_error = tf->error_code,
    };

    intr_enable();
    if (v == T_PAGE_FAULT) {
        kern_return_t kr = KERN_INVALID_ADDRESS;
        if (task->map != NULL && addr < USER_MAX)
            kr = vm_fault(task->map, ROUND_DOWN(addr, PAGE_SIZE), trap_fault_type(tf));
        // KERN_ABORTED: a wait for a pager was interrupted; the boundary
        // handles the abort (termination, suspension), then the access
        // runs again (Mach's restarted fault).
        if (kr == KERN_SUCCESS || kr == KERN_ABORTED) {
            intr_disable();
            return;
        }
        ei.ei_type = EXC_BAD_ACCESS;
        ei.ei_code[0] = kr;
        ei.ei_code[1] = (int64_t)addr;
    } else {
        trap_exception_type(v, &ei);
        ei.ei_code[1] = trap_has_error_code(v) ? (int64_t)tf->error_code : 0;
    }
    exception_raise_user(&ei);
    intr_disable();
}

// NMI, double fault and machine check say something about the machine or
// the kernel, whichever mode the CPU was in.
static bool
trap_always_fatal(unsigned vector)
{
    return vector == T_NMI || vector == T_DOUBLE_FAULT || vector == T_MACHINE_CHECK;
}

void
trap_dispatch(struct trap_frame *tf)
{
    if (tf->vector >= INTR_VECTOR_EXCEPTIONS)
        intr_dispatch(tf);
    else if (trap_always_fatal((unsigned)tf->vector))
        trap_report_fatal(tf);
    else if (trap_from_user(tf))
        trap_user_exception(tf);
    else if (tf->vector != T_PAGE_FAULT || !copyio_fault(tf, read_cr2()))
        trap_report_fatal(tf);

    // On the way out: the user boundary (termination, suspension,
    // preemption), or kernel preemption if the interrupted code could be
    // preempted (interrupts were on, so it held no spinlock).
    if (trap_from_user(tf))
        thread_user_return();
    else if (tf->rflags & RFLAGS_IF)
        sched_preempt();
}

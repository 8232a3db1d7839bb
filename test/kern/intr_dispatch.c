// SPDX-License-Identifier: MIT
//
// Tests of interrupt dispatch (arch trap.c, trap_entry.S): software
// interrupts (`int $n`) go through the same IDT gate, stub and dispatcher as
// device interrupts, so they exercise the whole path without a device.
// TEST_VECTOR and UNUSED_VECTOR are at the top of the device range
// (machine/intr_vectors.h), which nothing else allocates.

#include <debug/backtrace.h>
#include <debug/ktest.h>
#include <kern/cpu.h>
#include <kern/intr.h>
#include <lib/string.h>
#include <machine/cpufunc.h>
#include <machine/intr_vectors.h>
#include <machine/segments.h>
#include <machine/trap.h>

#define TEST_VECTOR   0xEF
#define UNUSED_VECTOR 0xEE
#define RBX_MAGIC     0x0123456789ABCDEFull
#define RAX_NEW       0xFEEDFACECAFEBEEFull

// What the test handler saw; one test at a time, on this CPU.
struct seen {
    unsigned calls;
    uint64_t vector, cs, rbx, rflags;
    void *arg;
    bool in_interrupt, intr_enabled, caller_in_backtrace;
    const char *caller; // the test function that raised the interrupt
};

static struct seen seen;

// Follows the frame-pointer chain from the handler: through trap_dispatch,
// the trap frame's frame record, into the function that did `int $n`.
static bool
backtrace_reaches(const char *fn)
{
    uintptr_t rbp = (uintptr_t)__builtin_frame_address(0);

    for (int i = 0; i < 8 && rbp != 0; i++) {
        const uintptr_t *frame = (const uintptr_t *)rbp;
        uintptr_t off;
        const char *name = ksym_lookup(frame[1], &off);
        if (name != NULL && strcmp(name, fn) == 0)
            return true;
        rbp = frame[0];
    }
    return false;
}

static void
record_handler(struct trap_frame *tf, void *arg)
{
    seen.calls++;
    seen.vector = tf->vector;
    seen.cs = tf->cs;
    seen.rbx = tf->rbx;
    seen.rflags = tf->rflags;
    seen.arg = arg;
    seen.in_interrupt = cpu_current()->in_interrupt;
    seen.intr_enabled = intr_enabled();
    seen.caller_in_backtrace = seen.caller != NULL && backtrace_reaches(seen.caller);
    tf->rax = RAX_NEW; // restored into %rax by the exit path
}

static void
dummy_handler(struct trap_frame *tf, void *arg)
{
    (void)tf;
    (void)arg;
}

KTEST(intr, registered_handler_runs_on_software_interrupt)
{
    static int token;
    uint64_t rax = 0;

    memset(&seen, 0, sizeof(seen));
    seen.caller = "ktest_fn_intr_registered_handler_runs_on_software_interrupt";
    KT_ASSERT(intr_register(TEST_VECTOR, record_handler, &token));
    __asm__ volatile("int %2" : "+a"(rax) : "b"(RBX_MAGIC), "i"(TEST_VECTOR) : "memory");
    intr_unregister(TEST_VECTOR);

    KT_EQ(seen.calls, 1);
    KT_EQ(seen.vector, TEST_VECTOR);
    KT_EQ(seen.arg, &token);
    KT_EQ(seen.cs, KERNEL_CS);
    KT_EQ(seen.rbx, RBX_MAGIC); // the frame holds the interrupted registers
    KT_EQ(rax, RAX_NEW);        // and a handler's changes to it are restored
    KT_ASSERT(seen.in_interrupt);
    KT_ASSERT(!seen.intr_enabled); // interrupt gates clear IF
    KT_ASSERT(seen.caller_in_backtrace);
    KT_ASSERT(!cpu_current()->in_interrupt);
}

KTEST(intr, register_rejects_exception_and_out_of_range_vectors)
{
    for (unsigned v = 0; v < INTR_VECTOR_EXCEPTIONS; v++)
        KT_ASSERT(!intr_register(v, dummy_handler, NULL));
    KT_ASSERT(!intr_register(INTR_NVECTORS, dummy_handler, NULL));
    KT_ASSERT(!intr_register(~0u, dummy_handler, NULL));
    KT_ASSERT(!intr_register(TEST_VECTOR, NULL, NULL));
}

KTEST(intr, register_rejects_taken_vector_until_unregistered)
{
    KT_ASSERT(intr_register(TEST_VECTOR, dummy_handler, NULL));
    KT_ASSERT(!intr_register(TEST_VECTOR, record_handler, NULL));
    intr_unregister(TEST_VECTOR);
    KT_ASSERT(intr_register(TEST_VECTOR, record_handler, NULL));
    intr_unregister(TEST_VECTOR);
}

KTEST(intr, unregistered_vector_is_counted_not_fatal)
{
    uint64_t before = intr_unexpected_count(UNUSED_VECTOR);

    __asm__ volatile("int %0" : : "i"(UNUSED_VECTOR) : "memory");
    __asm__ volatile("int %0" : : "i"(UNUSED_VECTOR) : "memory");
    KT_EQ(intr_unexpected_count(UNUSED_VECTOR), before + 2);
    KT_EQ(intr_unexpected_count(3), 0); // exceptions are never "unexpected"
}

KTEST(intr, interrupt_returns_with_flags_and_stack_intact)
{
    uint64_t rsp_before, rsp_after;

    KT_ASSERT(intr_register(TEST_VECTOR, dummy_handler, NULL));
    uint64_t flags_before = read_rflags();
    __asm__ volatile("movq %%rsp, %0\n\t"
                     "int %2\n\t"
                     "movq %%rsp, %1"
                     : "=&r"(rsp_before), "=r"(rsp_after)
                     : "i"(TEST_VECTOR)
                     : "memory");
    uint64_t flags_after = read_rflags();
    intr_unregister(TEST_VECTOR);
    KT_EQ(rsp_after, rsp_before);
    KT_EQ(flags_after & RFLAGS_IF, flags_before & RFLAGS_IF);
}

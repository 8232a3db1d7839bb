// SPDX-License-Identifier: MIT
//
// The fatal exception report.  A CPU exception in kernel mode is a kernel
// bug, so trap_report_fatal() prints everything needed to find it on the
// serial console and stops the machine with status 2 ("kernel crashed", as
// panic() does) so that a test harness fails the run:
//
//   FATAL: page fault in kernel mode on cpu 0 (vector 14, error 0x2)
//     page fault: not-present, write, kernel, address 0x10
//     RIP ffffffff80102c40 crash_page_fault+0x10    CS 0x8  SS 0x10
//     RSP ...  RFLAGS ...  CR2 ...  CR3 ...
//     RAX ... (all general registers)
//   backtrace:
//     [ 0] ffffffff80102c40 crash_page_fault+0x10
//     [ 1] ... kmain+0x1b3
//
// The reporter must itself be robust: it may run on the double-fault stack
// after the kernel stack overflowed, with a corrupted GS base, or while
// another CPU is reporting.  So it prints without the console lock, finds the
// CPU without trusting %gs, and turns a fault inside itself into an immediate
// machine exit instead of a loop.

#include <kern/cpu.h>
#include <kern/console.h>
#include <kern/machine.h>
#include <debug/backtrace.h>
#include <lib/string.h>
#include <machine/cpufunc.h>
#include <machine/trap.h>
#include <machine/vmparam.h>

#define FATAL_STATUS 2 // "kernel crashed", as panic()
#define MSR_GS_BASE  0xC0000101

static const char *const vector_names[32] = {
    [T_DIVIDE] = "divide error",
    [T_DEBUG] = "debug exception",
    [T_NMI] = "non-maskable interrupt",
    [T_BREAKPOINT] = "breakpoint",
    [T_OVERFLOW] = "overflow",
    [T_BOUND] = "bound range exceeded",
    [T_INVALID_OP] = "invalid opcode",
    [T_NO_FPU] = "device not available",
    [T_DOUBLE_FAULT] = "double fault",
    [9] = "coprocessor segment overrun",
    [T_INVALID_TSS] = "invalid TSS",
    [T_NO_SEGMENT] = "segment not present",
    [T_STACK_FAULT] = "stack-segment fault",
    [T_GENERAL_PROT] = "general protection",
    [T_PAGE_FAULT] = "page fault",
    [T_FPU_ERROR] = "x87 floating-point error",
    [T_ALIGNMENT] = "alignment check",
    [T_MACHINE_CHECK] = "machine check",
    [T_SIMD_ERROR] = "SIMD floating-point exception",
    [T_VIRT] = "virtualization exception",
    [T_CONTROL_PROT] = "control protection",
    [28] = "hypervisor injection",
    [29] = "VMM communication",
    [30] = "security exception",
};

const char *
trap_vector_name(unsigned vector)
{
    if (vector >= 32)
        return NULL;
    return vector_names[vector] != NULL ? vector_names[vector] : "reserved exception";
}

// The initial APIC ID from CPUID, which works whatever state GS is in.
static int
report_apic_id(void)
{
    uint32_t r[4];

    cpuid(1, 0, r);
    return (int)(r[1] >> 24);
}

// cpu_current() trusts the GS base; a fault report must not.  Returns the
// CPU number if the GS base points at one of cpus[], else -1.
static int
report_cpu_number(void)
{
    uintptr_t gs = (uintptr_t)rdmsr(MSR_GS_BASE);
    uintptr_t first = (uintptr_t)&cpus[0];

    if (gs < first || gs >= (uintptr_t)&cpus[MAX_CPUS] || (gs - first) % sizeof(struct cpu) != 0)
        return -1;
    return (int)((gs - first) / sizeof(struct cpu));
}

// Which CPU is reporting (its APIC ID), and how many faults it took while
// doing so.  The first CPU to fault wins; see report_enter().
static int report_owner = -1;
static int report_nested;

// Claims the report for this CPU.  Returns only if this is the first fault:
// a fault inside the reporter on the same CPU prints one line (if even that
// faults, nothing) and ends the machine; a fault on another CPU while one is
// reporting halts that CPU, since the reporter will end the machine.
static void
report_enter(const struct trap_frame *tf)
{
    int me = report_apic_id();
    int owner = -1;

    if (__atomic_compare_exchange_n(&report_owner, &owner, me, false, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE))
        return;
    if (owner != me)
        machine_halt();
    if (__atomic_fetch_add(&report_nested, 1, __ATOMIC_RELAXED) == 0)
        kprintf_unlocked("\nFATAL: %s (vector %lu) at RIP %#lx while reporting a fault; "
                         "stopping\n",
                         trap_vector_name((unsigned)tf->vector), tf->vector, tf->rip);
    machine_exit(FATAL_STATUS);
}

// Decodes a page-fault error code (Intel SDM vol. 3A 4.7) and CR2.
static void
report_page_fault(const struct trap_frame *tf, uint64_t cr2)
{
    uint64_t e = tf->error_code;

    kprintf_unlocked("  page fault: %s, %s, %s%s%s%s, address %#lx\n",
                     (e & PF_ERR_PRESENT) ? "protection violation" : "not-present",
                     (e & PF_ERR_WRITE) ? "write" : "read", (e & PF_ERR_USER) ? "user" : "kernel",
                     (e & PF_ERR_IFETCH) ? ", instruction fetch" : "",
                     (e & PF_ERR_RSVD) ? ", reserved bit set" : "",
                     (e & PF_ERR_PK) ? ", protection key" : "", cr2);
}

// Decodes a selector error code (SDM vol. 3A 6.13): #TS, #NP, #SS, #GP.
static void
report_selector_error(const struct trap_frame *tf)
{
    uint64_t e = tf->error_code;

    if (e == 0)
        return;
    kprintf_unlocked("  error code: %s index %lu%s\n",
                     (e & 2)   ? "IDT"
                     : (e & 4) ? "LDT"
                               : "GDT",
                     (e >> 3) & 0x1FFF, (e & 1) ? ", external event" : "");
}

static void
report_registers(const struct trap_frame *tf, uint64_t cr2)
{
    uintptr_t off;
    const char *fn = ksym_lookup(tf->rip, &off);

    if (fn != NULL)
        kprintf_unlocked("  RIP %016lx %s+0x%lx\n", tf->rip, fn, off);
    else
        kprintf_unlocked("  RIP %016lx\n", tf->rip);
    kprintf_unlocked("  RSP %016lx  RFLAGS %016lx  CS %#lx  SS %#lx\n", tf->rsp, tf->rflags, tf->cs,
                     tf->ss);
    kprintf_unlocked("  CR2 %016lx  CR3 %016lx\n", cr2, read_cr3());
    kprintf_unlocked("  RAX %016lx  RBX %016lx  RCX %016lx\n", tf->rax, tf->rbx, tf->rcx);
    kprintf_unlocked("  RDX %016lx  RSI %016lx  RDI %016lx\n", tf->rdx, tf->rsi, tf->rdi);
    kprintf_unlocked("  RBP %016lx  R8  %016lx  R9  %016lx\n", tf->rbp, tf->r8, tf->r9);
    kprintf_unlocked("  R10 %016lx  R11 %016lx  R12 %016lx\n", tf->r10, tf->r11, tf->r12);
    kprintf_unlocked("  R13 %016lx  R14 %016lx  R15 %016lx\n", tf->r13, tf->r14, tf->r15);
}

// True when the bytes before `ret` are a call instruction: E8 rel32, or
// FF /2 (indirect call) with a ModRM, SIB and displacement of 2 to 7 bytes.
// `ret` is inside the kernel's text, so the bytes before it are readable.
static bool
follows_call(uintptr_t ret)
{
    const uint8_t *p = (const uint8_t *)ret;

    if (p[-5] == 0xE8)
        return true;
    for (int len = 2; len <= 7; len++) {
        if (p[-len] == 0xFF && ((p[-len + 1] >> 3) & 7) == 2)
            return true;
    }
    return false;
}

// The interrupted function's return address if the frame chain would miss
// it, else 0.  That happens when %rbp is still the caller's: gcc gives a
// leaf that needs no stack no frame at all (even with frame pointers on),
// and a fault can hit before a prologue's "push %rbp; mov %rsp, %rbp" is
// done.  Such a function has pushed nothing else yet, so its return address
// is at the interrupted %rsp (or just above the pushed %rbp).  The candidate
// is used only if it points just after a call in the kernel's text.
static uintptr_t
report_unchained_caller(const struct trap_frame *tf)
{
    static const uint8_t prologue[4] = {0x55, 0x48, 0x89, 0xE5}; // push %rbp; mov %rsp,%rbp
    static const uint8_t endbr64[4] = {0xF3, 0x0F, 0x1E, 0xFA};
    uintptr_t off, slot;

    if (ksym_lookup(tf->rip, &off) == NULL)
        return 0;
    const uint8_t *fn = (const uint8_t *)(tf->rip - off);
    size_t at = memcmp(fn, endbr64, 4) == 0 ? 4 : 0;
    bool framed = memcmp(fn + at, prologue, 4) == 0;
    if (!framed || off <= at)
        slot = tf->rsp;
    else if (off == at + 1)
        slot = tf->rsp + 8;
    else
        return 0; // the frame is set up: the chain has the caller
    if (slot < DIRECT_MAP_BASE || (slot & 7) != 0)
        return 0; // not a kernel stack; do not fault on it
    uintptr_t ret = *(const uintptr_t *)slot;
    if (ksym_lookup(ret, &off) == NULL || !follows_call(ret))
        return 0;
    return ret;
}

// Frame 0 is the faulting RIP, frame 1 its caller if the chain misses it.
static void
report_backtrace(const struct trap_frame *tf)
{
    uintptr_t pcs[2] = {tf->rip, report_unchained_caller(tf)};

    backtrace_print_from(pcs, pcs[1] != 0 ? 2 : 1, tf->rbp);
}

void
trap_report_fatal(const struct trap_frame *tf)
{
    uint64_t cr2 = read_cr2(); // first: a fault while reporting would change it
    unsigned v = (unsigned)tf->vector;

    intr_disable();
    report_enter(tf);
    kprintf_unlocked("\nFATAL: %s in %s mode on cpu %d (vector %u, error %#lx)\n",
                     trap_vector_name(v), trap_from_user(tf) ? "user" : "kernel",
                     report_cpu_number(), v, tf->error_code);
    if (v == T_PAGE_FAULT)
        report_page_fault(tf, cr2);
    else if (v == T_INVALID_TSS || v == T_NO_SEGMENT || v == T_STACK_FAULT || v == T_GENERAL_PROT)
        report_selector_error(tf);
    else if (v == T_DOUBLE_FAULT)
        kprintf_unlocked("  (a fault while delivering another: often a kernel stack "
                         "overflow; RIP is where it started)\n");
    report_registers(tf, cr2);
    report_backtrace(tf);
    machine_exit(FATAL_STATUS);
}

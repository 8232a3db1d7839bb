// SPDX-License-Identifier: MIT
//
// kmain: the kernel's C entry point, called by boot.S on the boot stack with
// the boot page tables, interrupts off.  It brings the kernel up in
// dependency order -- each step may use only what the steps before it set
// up -- and then runs what the command line asks for.

#include <kern/bootinfo.h>
#include <kern/bootstrap.h>
#include <device/ds_routines.h>
#include <kern/clock.h>
#include <kern/cmdline.h>
#include <kern/console.h>
#include <kern/cpu.h>
#include <kern/intr.h>
#include <kern/machine.h>
#include <kern/quay_wait.h>
#include <kern/rpc_servers.h>
#include <vm/memory_object.h>
#include <kern/sched.h>
#include <kern/spinlock.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/assert.h>
#include <debug/ktest.h>
#include <ipc/ipc_init.h>
#include <vm/vm_init.h>
#include <vm/vm_pageout.h>
#include <lib/string.h>
#include <machine/cpufunc.h>
#include <machine/vmparam.h>

void kmain(uint32_t magic, uint32_t info_phys) __noreturn;

#define QUAY_VERSION "0.1"

// Deliberate faults for `crash=KIND`: the harness checks that each is
// reported with a register dump and a symbolized backtrace and that the
// machine stops with a failing status.  noinline keeps each in the backtrace.
static __attribute__((noinline)) void
crash_page_fault(void)
{
    volatile uintptr_t bad = 0x10; // unmapped: the first page is never mapped
    *(volatile int *)bad = 1;
}

static __attribute__((noinline)) void
crash_divide_error(void)
{
    volatile int one = 1, zero = 0; // both volatile: gcc turns 1 / x into a compare
    volatile int x = one / zero;
    (void)x;
}

static __attribute__((noinline)) void
crash_invalid_opcode(void)
{
    __asm__ volatile("ud2");
}

static __attribute__((noinline)) void
crash_assert(void)
{
    volatile int one = 1;
    assert(one == 2);
}

// A non-canonical address (bits 63..47 not all equal): any access through
// DS raises #GP(0) before paging is consulted (Intel SDM vol. 3A 3.3.7.1).
static __attribute__((noinline)) void
crash_general_protection(void)
{
    *(volatile uint64_t *)0x8000000000000000ull = 1;
}

// One frame of unbounded recursion; the local array makes each frame big so
// the stack runs out quickly.
static __attribute__((noinline)) void
crash_stack_overflow_recurse(unsigned depth)
{
    volatile char pad[128];

    pad[0] = (char)depth;
    if (depth + 1 != 0) // never false in practice: the stack ends first
        crash_stack_overflow_recurse(depth + 1);
    __asm__ volatile("" : : "m"(pad)); // pad is live after the call: no tail call
}

// Unbounded recursion on a stack with nothing mapped below it, as a kernel
// thread's stack will have a guard page.  The boot stack has none (below it
// lie the boot page tables and other data in the image, which an overflow
// would silently corrupt before anything faulted), so the recursion runs on
// the one page below which no address can ever be mapped: the first page of
// the direct map (physical page 0, BIOS data, reserved for good by
// vm_page.c), right above the non-canonical hole.  The push that crosses
// DIRECT_MAP_BASE raises a stack fault (#SS; #GP under QEMU's TCG), the CPU
// cannot push that fault's frame either, so it raises a double fault, which
// switches to the IST stack and is reported with a backtrace through the
// recursion.
static __attribute__((noinline)) void
crash_stack_overflow(void)
{
    uintptr_t top = DIRECT_MAP_BASE + PAGE_SIZE;

    // (Also makes this a non-leaf, so it has a frame linking to kmain.)
    kprintf("crash: recursing on the stack below %#lx\n", top);
    __asm__ volatile("movq %0, %%rsp\n\t"
                     "xorl %%edi, %%edi\n\t"
                     "call *%1"
                     :
                     : "r"(top), "r"(crash_stack_overflow_recurse)
                     : "rdi", "memory");
    __builtin_unreachable();
}

// Takes two locks against the order of kern/lock_order.h: the debug
// lock-order checker panics ("lock order: ...") before the second one spins.
static __attribute__((noinline)) void
crash_lock_order(void)
{
    static struct spinlock outer = SPINLOCK_INIT("crash outer", LOCK_RANK_TEST_OUTER);
    static struct spinlock inner = SPINLOCK_INIT("crash inner", LOCK_RANK_TEST_INNER);

    spin_lock(&inner);
    spin_lock(&outer);
    spin_unlock(&outer);
    spin_unlock(&inner);
}

static void
crash(const char *kind)
{
    kprintf("crash: causing a deliberate '%s'\n", kind);
    if (strcmp(kind, "pagefault") == 0)
        crash_page_fault();
    else if (strcmp(kind, "divide") == 0)
        crash_divide_error();
    else if (strcmp(kind, "ud") == 0)
        crash_invalid_opcode();
    else if (strcmp(kind, "gpf") == 0)
        crash_general_protection();
    else if (strcmp(kind, "stackoverflow") == 0)
        crash_stack_overflow();
    else if (strcmp(kind, "assert") == 0)
        crash_assert();
    else if (strcmp(kind, "lockorder") == 0)
        crash_lock_order();
    panic("crash=%s: unknown kind, or the fault was not caught", kind);
}

// ktest= patterns, read by the ktest thread.
static char ktest_patterns[256];

// The in-kernel tests run in a kernel thread, so they may block.
static void
ktest_thread(void *arg)
{
    (void)arg;
    ktest_run(ktest_patterns[0] != '\0' ? ktest_patterns : "all");
}

void
kmain(uint32_t magic, uint32_t info_phys)
{
    char arg[256];

    cpu_bootstrap(); // first: spinlocks find their CPU through it
    console_init();
    bootinfo_parse(magic, info_phys);
    console_loglevel = (int)cmdline_get_long(boot_info.cmdline, "loglevel", LOG_INFO);
    kprintf("Quay %s (x86-64) booting via %s, command line '%s'\n", QUAY_VERSION, boot_info.loader,
            boot_info.cmdline);

    intr_init();        // GDT, TSS, IDT: faults are reported from here on
    vm_bootstrap();     // physical pages, kernel page tables, kmem, zones, kalloc
    clock_init();       // TSC clock, LAPIC timer, callouts
    ipc_init();         // IPC zones, kernel space, host ports: before any task
    quay_server_init(); // quay.defs served by the kernel (task_wait, boot modules)
    mach_server_init(); // mach.defs, mach_port.defs, mach_host.defs served by the kernel
    mach_port_server_init();
    mach_host_server_init();
    memory_object_server_init(); // memory_object_control.defs: pagers' answers
    device_init();      // device master port, PCI scan, disk and console devices, device.defs
    task_bootstrap();   // kernel_task
    thread_bootstrap(); // this boot context becomes a thread: cpu 0's idle thread
    sched_init();       // run queues, wait queues, FPU and syscall set-up
    quay_wait_init();
    intr_enable();
    thread_reaper_start();
    vm_pageout_init(); // the pageout daemon

    kprintf("Quay is up: %u CPU, %u boot module(s)\n", ncpus, boot_info.nmods);

    if (cmdline_get(boot_info.cmdline, "crash", arg, sizeof(arg)))
        crash(arg);
    if (cmdline_get(boot_info.cmdline, "ktest", ktest_patterns, sizeof(ktest_patterns))) {
        struct thread *t = kernel_thread_create(ktest_thread, NULL, PRI_KERNEL_DEFAULT, "ktest");
        if (t == NULL)
            panic("kmain: cannot create the ktest thread");
        thread_deallocate(t);
    } else if (!bootstrap_start()) {
        kprintf("Nothing to run yet; idling.  (QEMU: Ctrl-A X quits.)\n");
    }
    sched_idle_loop(); // this context is cpu 0's idle thread from now on
}

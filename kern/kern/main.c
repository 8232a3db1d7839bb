// SPDX-License-Identifier: MIT
//
// kmain: the kernel's C entry point, called by boot.S on the boot stack with
// the boot page tables, interrupts off.  It brings the kernel up in
// dependency order -- each step may use only what the steps before it set
// up -- and then runs what the command line asks for.

#include <kern/bootinfo.h>
#include <kern/clock.h>
#include <kern/cmdline.h>
#include <kern/console.h>
#include <kern/cpu.h>
#include <kern/intr.h>
#include <kern/machine.h>
#include <kern/assert.h>
#include <debug/ktest.h>
#include <vm/vm_init.h>
#include <lib/string.h>
#include <machine/cpufunc.h>

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
    volatile int zero = 0;
    volatile int x = 1 / zero;
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
    else if (strcmp(kind, "assert") == 0)
        crash_assert();
    panic("crash=%s: unknown kind, or the fault was not caught", kind);
}

void
kmain(uint32_t magic, uint32_t info_phys)
{
    char arg[256];

    cpu_bootstrap(); // first: spinlocks find their CPU through it
    console_init();
    bootinfo_parse(magic, info_phys);
    console_loglevel = (int)cmdline_get_long(boot_info.cmdline, "loglevel", LOG_INFO);
    kprintf("Quay %s (x86-64) booting via %s, command line '%s'\n", QUAY_VERSION,
            boot_info.loader, boot_info.cmdline);

    intr_init();     // GDT, TSS, IDT: faults are reported from here on
    vm_bootstrap();  // physical pages, kernel page tables, kmem, zones, kalloc
    clock_init();    // TSC clock, LAPIC timer, callouts
    intr_enable();

    kprintf("Quay is up: %u CPU, %u boot module(s)\n", ncpus, boot_info.nmods);

    if (cmdline_get(boot_info.cmdline, "crash", arg, sizeof(arg)))
        crash(arg);
    if (cmdline_get(boot_info.cmdline, "ktest", arg, sizeof(arg)))
        ktest_run(arg[0] != '\0' ? arg : "all");

    kprintf("Nothing to run yet; idling.  (QEMU: Ctrl-A X quits.)\n");
    for (;;)
        cpu_halt();
}

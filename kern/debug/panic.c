// SPDX-License-Identifier: MIT
//
// panic(): print the message and a backtrace, then stop the machine with a
// failing status (2) so the test harness sees it.

#include <kern/assert.h>
#include <kern/console.h>
#include <kern/cpu.h>
#include <kern/machine.h>
#include <debug/backtrace.h>
#include <lib/printf.h>
#include <machine/cpufunc.h>
#include <stdarg.h>

#define PANIC_STATUS 2

static volatile int panicking;

static void
panic_putc(char c, void *arg)
{
    (void)arg;
    kprintf_unlocked("%c", c);
}

void
panic(const char *fmt, ...)
{
    va_list ap;

    intr_disable();
    if (__atomic_fetch_add(&panicking, 1, __ATOMIC_SEQ_CST) != 0)
        machine_exit(PANIC_STATUS); // a panic while panicking: just stop
    kprintf_unlocked("\npanic (cpu %u): ", cpu_number());
    va_start(ap, fmt);
    vformat(panic_putc, NULL, fmt, ap);
    va_end(ap);
    kprintf_unlocked("\n");
    backtrace_print((uintptr_t)__builtin_frame_address(0));
    machine_exit(PANIC_STATUS);
}

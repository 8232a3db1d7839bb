// SPDX-License-Identifier: MIT
//
// Machine exit for x86-64 PCs: QEMU's isa-debug-exit device at port 0xf4
// (QEMU exits with (value << 1) | 1), else halt.

#include <kern/machine.h>
#include <machine/cpufunc.h>

#define DEBUG_EXIT_PORT 0xF4

void
machine_halt(void)
{
    for (;;) {
        intr_disable();
        cpu_halt();
    }
}

void
machine_exit(int status)
{
    intr_disable();
    outl(DEBUG_EXIT_PORT, (uint32_t)status);
    machine_halt();
}

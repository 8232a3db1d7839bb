// SPDX-License-Identifier: MIT
//
// The C side of the `syscall` entry (syscall_entry.S): the x86-64 register
// ABI of Mach traps (include/mach/syscall_sw.h) mapped onto the
// machine-independent trap table.

#include <kern/syscall_sw.h>
#include <kern/thread.h>
#include <machine/cpufunc.h>
#include <machine/trap.h>

void
syscall_dispatch(struct trap_frame *tf)
{
    const uint64_t regs[MACH_TRAP_REG_ARGS] = {tf->rdi, tf->rsi, tf->rdx, tf->r10, tf->r8, tf->r9};

    tf->rax = mach_trap_dispatch(tf->rax, regs, tf->rsp);
    intr_disable();
    thread_user_return();
}

/* SPDX-License-Identifier: MIT
 *
 * Mach trap wrappers: one small function per trap of <mach/syscall_sw.h>.
 *
 * Each stub is called with the C calling convention and turns the call into
 * a `syscall` instruction with %rax = MACH_TRAP_BASE | number.  The first
 * three and the fifth and sixth arguments are already where the kernel wants
 * them (%rdi, %rsi, %rdx, %r8, %r9); the fourth moves from %rcx, which
 * `syscall` overwrites with the return address, to %r10.  Arguments past the
 * sixth (only mach_msg_trap has one) stay on the stack where the caller put
 * them: the stub pushes nothing, so the kernel finds the seventh at 8(%rsp).
 * The result comes back in %rax.  Prototypes: <mach/mach_traps.h>.
 */
#include <mach/syscall_sw.h>

/* MACH_TRAP(name, number): the function `name` making trap `number`. */
#define MACH_TRAP(name, number)                                                                    \
        .globl name;                                                                               \
        .type name, @function;                                                                     \
        .p2align 4;                                                                                \
name:                                                                                              \
        movq %rcx, %r10;                                                                           \
        movl $(MACH_TRAP_BASE | (number)), %eax;                                                   \
        syscall;                                                                                   \
        ret;                                                                                       \
        .size name, . - name

        .text
MACH_TRAP(mach_reply_port, MACH_TRAP_mach_reply_port)
MACH_TRAP(thread_self_trap, MACH_TRAP_thread_self_trap)
MACH_TRAP(task_self_trap, MACH_TRAP_task_self_trap)
MACH_TRAP(host_self_trap, MACH_TRAP_host_self_trap)
MACH_TRAP(mach_msg_trap, MACH_TRAP_mach_msg_trap)
MACH_TRAP(swtch_pri, MACH_TRAP_swtch_pri)
MACH_TRAP(swtch, MACH_TRAP_swtch)
MACH_TRAP(thread_switch, MACH_TRAP_thread_switch)
MACH_TRAP(quay_wait, MACH_TRAP_quay_wait)
MACH_TRAP(quay_wake, MACH_TRAP_quay_wake)
MACH_TRAP(quay_task_exit, MACH_TRAP_quay_task_exit)
MACH_TRAP(quay_console_write, MACH_TRAP_quay_console_write)
MACH_TRAP(quay_thread_set_tls, MACH_TRAP_quay_thread_set_tls)

        .section .note.GNU-stack, "", @progbits

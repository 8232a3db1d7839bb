/* SPDX-License-Identifier: MIT
 *
 * Mach trap numbers: the system-call ABI of Quay (public, shared by the
 * kernel and libmach).
 *
 * A trap is the `syscall` instruction with %rax = MACH_TRAP_BASE | number.
 * The base keeps Mach traps apart from Linux system-call numbers, so a later
 * Unix-binary emulation can tell the two apart in the same task.  Arguments
 * go in %rdi, %rsi, %rdx, %r10 (not %rcx, which `syscall` overwrites), %r8,
 * %r9, and further ones on the user stack at 8(%rsp), 16(%rsp)... as the C
 * calling convention left them; the result comes back in %rax.  %rcx and %r11
 * are clobbered by the instruction itself; every other register is preserved.
 *
 * Numbers follow XNU's positive trap numbers where XNU has the call.  Only a
 * handful of operations are traps; everything else is a message to a kernel
 * port (DESIGN.md).  A number without MACH_TRAP_BASE, or an unknown Mach
 * trap, returns KERN_INVALID_ARGUMENT and changes nothing.
 */
#ifndef _MACH_SYSCALL_SW_H_
#define _MACH_SYSCALL_SW_H_

#define MACH_TRAP_BASE 0x1000000

#define MACH_TRAP_mach_reply_port  26 /* () -> new receive right name */
#define MACH_TRAP_thread_self_trap 27 /* () -> send right to the thread's port */
#define MACH_TRAP_task_self_trap   28 /* () -> send right to the task's port */
#define MACH_TRAP_host_self_trap   29 /* () -> send right to the host port */
#define MACH_TRAP_mach_msg_trap    31 /* the seven arguments of mach_msg() */
#define MACH_TRAP_swtch_pri        59 /* (priority) -> boolean: others ready */
#define MACH_TRAP_swtch            60 /* () -> boolean: others ready */
#define MACH_TRAP_thread_switch    61 /* (thread name, option, time ms) */

/* Quay-specific traps. */
#define MACH_TRAP_quay_wait           80 /* (addr, expected value, timeout ms) wait if *addr == value */
#define MACH_TRAP_quay_wake           81 /* (addr, count) wake up to count waiters on addr */
#define MACH_TRAP_quay_task_exit      82 /* (status) terminate the calling task with status */
#define MACH_TRAP_quay_console_write  83 /* (buf, len) write to the kernel console (debugging) */
#define MACH_TRAP_quay_thread_set_tls 84 /* (addr) set this thread's TLS base (%fs base) */

#endif

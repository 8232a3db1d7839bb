/* SPDX-License-Identifier: MIT
 *
 * The Mach trap table (syscall_sw.c): trap number -> handler.  The numbers
 * and the register ABI are public, in include/mach/syscall_sw.h.
 *
 * Every handler has one form: it receives the trap's arguments as 64-bit
 * words (the six argument registers, then words copied from the user stack
 * for traps with more) and returns the value for %rax.  Handlers check
 * their arguments like any user input and reach user memory only through
 * copyin/copyout.
 */
#ifndef _KERN_SYSCALL_SW_H_
#define _KERN_SYSCALL_SW_H_

#include <kern/types.h>

#define MACH_TRAP_TABLE_SIZE 128
#define MACH_TRAP_MAX_ARGS   8 /* mach_msg_trap has 7 */
#define MACH_TRAP_REG_ARGS   6 /* rdi, rsi, rdx, r10, r8, r9 */

typedef uint64_t (*mach_trap_fn_t)(const uint64_t *args);

struct mach_trap {
    const char *mt_name;
    unsigned mt_nargs;
    mach_trap_fn_t mt_fn;
};

/* Runs the trap `number` (the caller's %rax) with the register arguments
 * `regs` and, for traps with more than six arguments, the rest from the
 * user stack at user_sp + 8, + 16...  Returns the result for %rax:
 * KERN_INVALID_ARGUMENT for a number outside the Mach range or not in the
 * table, KERN_INVALID_ADDRESS if the stack arguments cannot be read.
 * Interrupts on, no lock held; may block. */
uint64_t mach_trap_dispatch(uint64_t number, const uint64_t regs[MACH_TRAP_REG_ARGS],
                            uintptr_t user_sp);

/* The handlers of the traps implemented in kern/ (quay_traps.c). */
uint64_t trap_swtch(const uint64_t *args);
uint64_t trap_swtch_pri(const uint64_t *args);
uint64_t trap_thread_switch(const uint64_t *args);
uint64_t trap_quay_wait(const uint64_t *args);
uint64_t trap_quay_wake(const uint64_t *args);
uint64_t trap_quay_task_exit(const uint64_t *args);
uint64_t trap_quay_console_write(const uint64_t *args);
uint64_t trap_quay_thread_set_tls(const uint64_t *args);

#endif

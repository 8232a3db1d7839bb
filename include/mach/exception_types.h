/* SPDX-License-Identifier: MIT */
/*
 * Exception types, masks and codes: what the kernel reports in
 * exception_raise (<mach/exc.defs>) when a thread's user code makes the CPU
 * fault.  The types and masks are Mach's (the same numbers in GNU Mach and
 * XNU); the codes are 64 bits wide, as in XNU's mach_exception_raise, so
 * that code[1] can hold an x86-64 address.
 *
 * Every exception carries two codes:
 *
 *   exception             code[0]                    code[1]
 *   EXC_BAD_ACCESS        KERN_INVALID_ADDRESS       the faulting address (CR2)
 *                         (nothing mapped there) or
 *                         KERN_PROTECTION_FAILURE
 *                         (mapped, but not for that
 *                         access), or another vm_fault
 *                         error
 *   EXC_BAD_INSTRUCTION   EXC_I386_INVOP (#UD),      0, or the CPU's error
 *                         EXC_I386_GPFLT (#GP),      code (#GP, #SS, #NP, #TS,
 *                         EXC_I386_STKFLT (#SS) ...  #AC)
 *   EXC_ARITHMETIC        EXC_I386_DIV (#DE),        0
 *                         EXC_I386_EXTERR (#MF),
 *                         EXC_I386_SSEEXTERR (#XM)
 *   EXC_BREAKPOINT        EXC_I386_BPT (int3),       0
 *                         EXC_I386_SGL (#DB)
 *
 * x86 specifics: after int3 (#BP) the saved RIP is the instruction after
 * the int3, so a KERN_SUCCESS reply continues past it; after every other
 * exception RIP is the faulting instruction, which a KERN_SUCCESS reply
 * runs again.  The EXC_I386_* numbers are GNU Mach's and XNU's
 * (mach/i386/exception.h there); Quay has one architecture, so they live
 * here.
 */
#ifndef _MACH_EXCEPTION_TYPES_H_
#define _MACH_EXCEPTION_TYPES_H_

#include <stdint.h>

#define EXC_BAD_ACCESS      1 /* memory: code[0] a kern_return_t, code[1] the address */
#define EXC_BAD_INSTRUCTION 2 /* an instruction the CPU refused */
#define EXC_ARITHMETIC      3 /* division by zero, floating-point errors */
#define EXC_EMULATION       4 /* an emulation instruction (not raised on x86-64) */
#define EXC_SOFTWARE        5 /* raised by software (not raised by the kernel yet) */
#define EXC_BREAKPOINT      6 /* int3, debug traps */

#define EXC_MASK_BAD_ACCESS      (1 << EXC_BAD_ACCESS)
#define EXC_MASK_BAD_INSTRUCTION (1 << EXC_BAD_INSTRUCTION)
#define EXC_MASK_ARITHMETIC      (1 << EXC_ARITHMETIC)
#define EXC_MASK_EMULATION       (1 << EXC_EMULATION)
#define EXC_MASK_SOFTWARE        (1 << EXC_SOFTWARE)
#define EXC_MASK_BREAKPOINT      (1 << EXC_BREAKPOINT)
#define EXC_MASK_ALL                                                                               \
    (EXC_MASK_BAD_ACCESS | EXC_MASK_BAD_INSTRUCTION | EXC_MASK_ARITHMETIC | EXC_MASK_EMULATION |   \
     EXC_MASK_SOFTWARE | EXC_MASK_BREAKPOINT)

/* code[0] of EXC_BAD_INSTRUCTION on x86-64. */
#define EXC_I386_INVOP     1  /* #UD: invalid opcode */
#define EXC_I386_INVTSSFLT 10 /* #TS: invalid TSS */
#define EXC_I386_SEGNPFLT  11 /* #NP: segment not present */
#define EXC_I386_STKFLT    12 /* #SS: stack segment fault */
#define EXC_I386_GPFLT     13 /* #GP: general protection (privileged or non-canonical) */
#define EXC_I386_ALIGNFLT  17 /* #AC: alignment check */

/* code[0] of EXC_ARITHMETIC on x86-64. */
#define EXC_I386_DIV       1 /* #DE: divide error (by zero or overflow) */
#define EXC_I386_INTO      2 /* #OF: into */
#define EXC_I386_NOEXT     3 /* #NM: no FPU */
#define EXC_I386_EXTOVR    4 /* coprocessor segment overrun */
#define EXC_I386_EXTERR    5 /* #MF: x87 floating-point error */
#define EXC_I386_EMERR     6 /* emulation error */
#define EXC_I386_BOUND     7 /* #BR: bound range */
#define EXC_I386_SSEEXTERR 8 /* #XM: SIMD floating-point error */

/* code[0] of EXC_BREAKPOINT on x86-64. */
#define EXC_I386_SGL 1 /* #DB: single step, debug register */
#define EXC_I386_BPT 2 /* #BP: int3 */

#define EXCEPTION_CODE_MAX 2 /* codes in every exception_raise */

typedef int exception_type_t;
typedef int64_t exception_data_type_t;
typedef exception_data_type_t *exception_data_t;
typedef unsigned int exception_mask_t;

#endif /* _MACH_EXCEPTION_TYPES_H_ */

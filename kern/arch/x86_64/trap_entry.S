/* SPDX-License-Identifier: MIT
 *
 * Trap and interrupt entry: one small stub per vector (0..255) and the common
 * code that saves the general registers into a struct trap_frame
 * (machine/trap.h), calls trap_dispatch(tf) in trap.c, restores the frame and
 * returns with iretq.
 *
 * Each stub makes the stack look the same for every vector: the CPU pushes an
 * error code only for vectors 8, 10-14, 17, 21, 29 and 30 (Intel SDM vol. 3A
 * 6.15), so the other stubs push a zero in its place; then the stub pushes its
 * vector number.  trap_common adds a frame record {interrupted %rbp,
 * interrupted %rip} and points %rbp at it, so a backtrace taken inside a
 * handler walks on into the code that was interrupted.
 *
 * A trap from user mode (CPL 3 in the saved CS) swaps in the kernel's GS base
 * with swapgs on entry and swaps back before iretq.  The CPU took the kernel
 * stack from TSS.RSP0, the top of the running thread's stack, so a user trap
 * frame always lands where the thread's pcb_utf points.  A new user thread
 * enters user mode for the first time through trap_common_exit.
 */
#include <machine/trap.h>

        .altmacro

/* The stub of vector n; the .if lists the vectors whose error code the CPU
 * pushes itself. */
.macro TRAP_STUB n
        .p2align 4
        .globl trap_stub_\n
        .type trap_stub_\n, @function
trap_stub_\n:
        .if (\n == 8) || ((\n >= 10) && (\n <= 14)) || (\n == 17) || (\n == 21) || (\n == 29) || (\n == 30)
        .else
        pushq   $0                      /* dummy error code */
        .endif
        pushq   $\n
        jmp     trap_common
        .size trap_stub_\n, . - trap_stub_\n
.endm

.macro TRAP_STUB_ADDR n
        .quad   trap_stub_\n
.endm

        .section .text
        .set    vec, 0
        .rept   256
        TRAP_STUB %vec
        .set    vec, vec + 1
        .endr

/* The stack on arrival: vector, error code, RIP, CS, RFLAGS, RSP, SS. */
        .p2align 4
        .globl trap_common
        .type trap_common, @function
trap_common:
        PUSH_GPRS
        testb   $3, (TF_CS - TF_R15)(%rsp)
        jz      1f
        swapgs                          /* from user mode: kernel GS base */
1:      cld                             /* the ABI wants DF clear in C */
        pushq   (TF_RIP - TF_R15)(%rsp) /* frame record: interrupted %rip */
        pushq   %rbp                    /* ... and interrupted %rbp */
        movq    %rsp, %rbp
        movq    %rsp, %rdi              /* struct trap_frame *tf */
        call    trap_dispatch

        addq    $(TF_R15 - TF_LINK_RBP), %rsp   /* drop the frame record */
/* Also entered from trap_return_to (switch.S), %rsp at the frame's r15. */
        .globl trap_common_exit
trap_common_exit:
        testb   $3, (TF_CS - TF_R15)(%rsp)
        jz      2f
        swapgs                          /* back to user mode: user GS base */
2:      POP_GPRS
        addq    $(TF_RIP - TF_VECTOR), %rsp     /* vector and error code */
        iretq
        .size trap_common, . - trap_common

/* trap_stubs[v]: the entry of vector v's stub, for idt.c. */
        .section .rodata
        .p2align 3
        .globl trap_stubs
trap_stubs:
        .set    vec, 0
        .rept   256
        TRAP_STUB_ADDR %vec
        .set    vec, vec + 1
        .endr
        .size trap_stubs, . - trap_stubs

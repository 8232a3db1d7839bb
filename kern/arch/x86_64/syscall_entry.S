/* SPDX-License-Identifier: MIT
 *
 * The `syscall` entry: Mach traps from user mode (include/mach/syscall_sw.h).
 *
 * `syscall` leaves RIP in %rcx, RFLAGS in %r11, loads CS/SS from IA32_STAR
 * and clears the RFLAGS bits in IA32_FMASK (IF among them), but does not
 * switch stacks.  So: swapgs to reach this CPU's struct cpu, park the user
 * %rsp in cpu->syscall_scratch, switch to cpu->kstack_top (the running
 * thread's stack top, set by every switch), and build there the same struct
 * trap_frame (machine/trap.h) that an interrupt from user mode would --
 * vector T_SYSCALL -- so thread state, signals and the return path see one
 * format.  Interrupts go back on for the C dispatcher.
 *
 * Return: sysretq when the frame still says what sysret would restore
 * anyway (CS/SS the user selectors, %rcx == RIP and %r11 == RFLAGS, as the
 * entry saved them, and RIP canonical: sysret with a non-canonical %rcx
 * faults in ring 0 on Intel CPUs, on the user's stack).  Anything else --
 * thread_set_state changed the frame, for instance -- leaves through
 * trap_common_exit and iretq, which restores every register.
 *
 * Window: between the final swapgs and sysretq an NMI would run with the
 * user GS base; NMIs only report fatal errors today, so this is accepted.
 */
#include <machine/percpu.h>
#include <machine/segments.h>
#include <machine/trap.h>

        .text
        .p2align 4
        .globl syscall_entry
        .type syscall_entry, @function
syscall_entry:
        swapgs
        movq    %rsp, %gs:CPU_SYSCALL_SCRATCH
        movq    %gs:CPU_KSTACK_TOP, %rsp
        pushq   $USER_DS                        /* ss */
        pushq   %gs:CPU_SYSCALL_SCRATCH         /* rsp */
        pushq   %r11                            /* rflags */
        pushq   $USER_CS                        /* cs */
        pushq   %rcx                            /* rip */
        pushq   $0                              /* error code */
        pushq   $T_SYSCALL                      /* vector */
        PUSH_GPRS
        pushq   %rcx                            /* frame record: user %rip */
        pushq   %rbp                            /* ... and user %rbp */
        movq    %rsp, %rbp
        sti
        movq    %rsp, %rdi
        call    syscall_dispatch                /* returns with interrupts off */

        addq    $(TF_R15 - TF_LINK_RBP), %rsp   /* drop the frame record */
        cmpq    $USER_CS, (TF_CS - TF_R15)(%rsp)
        jne     1f
        cmpq    $USER_DS, (TF_SS - TF_R15)(%rsp)
        jne     1f
        movq    (TF_RIP - TF_R15)(%rsp), %rcx
        cmpq    %rcx, (TF_RCX - TF_R15)(%rsp)
        jne     1f
        movq    (TF_RFLAGS - TF_R15)(%rsp), %r11
        cmpq    %r11, (TF_R11 - TF_R15)(%rsp)
        jne     1f
        shrq    $47, %rcx                       /* RIP must be in the lower half */
        jnz     1f

        POP_GPRS                        /* %r11 == RFLAGS, %rcx == RIP */
        movq    (TF_RSP - TF_VECTOR)(%rsp), %rsp
        swapgs
        sysretq

1:      jmp     trap_common_exit
        .size syscall_entry, . - syscall_entry

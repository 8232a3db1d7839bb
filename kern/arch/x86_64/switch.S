/* SPDX-License-Identifier: MIT
 *
 * The kernel-stack switch, the first instructions of a new thread, and the
 * way into user mode through a trap frame.
 *
 * switch_context(old pcb, new pcb, prev thread): pushes the callee-saved
 * registers on the current (old) stack, saves %rsp in old->pcb_rsp, loads
 * new->pcb_rsp, pops new's callee-saved registers and returns into whatever
 * new was doing when it switched out -- or, for a thread that never ran,
 * into thread_trampoline (pcb_init builds that first frame).  The third
 * argument comes back in %rax on the other side, so the thread that resumes
 * learns which thread it replaced (sched_switch_finish needs it).  Address
 * space, TSS.RSP0, %fs base and FPU state are switched in C before this
 * (pcb_switch in pcb.c); the caller-saved registers are dead across a call.
 */
#include <machine/pcb.h>
#include <machine/trap.h>

        .text
        .p2align 4
        .globl switch_context
        .type switch_context, @function
switch_context:
        pushq   %rbp
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        movq    %rsp, PCB_RSP(%rdi)
        movq    PCB_RSP(%rsi), %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        movq    %rdx, %rax              /* the thread we replaced */
        ret
        .size switch_context, . - switch_context

/* A new thread's first instructions: %rax = the previous thread (from
 * switch_context), %r12 = fn, %r13 = arg (from pcb_init).  %rsp is 16-byte
 * aligned here; %rbp = 0 ends backtraces. */
        .p2align 4
        .globl thread_trampoline
        .type thread_trampoline, @function
thread_trampoline:
        movq    %rax, %rdi
        movq    %r12, %rsi
        movq    %r13, %rdx
        xorl    %ebp, %ebp
        call    thread_start            /* never returns */
        ud2
        .size thread_trampoline, . - thread_trampoline

/* trap_return_to(struct trap_frame *tf): leaves the kernel through tf the
 * way trap_common does after a trap (swapgs if the frame is a user one,
 * restore, iretq).  Interrupts off; tf is at the top of this thread's
 * kernel stack, so nothing below it is needed any more. */
        .p2align 4
        .globl trap_return_to
        .type trap_return_to, @function
trap_return_to:
        leaq    TF_R15(%rdi), %rsp
        jmp     trap_common_exit
        .size trap_return_to, . - trap_return_to

/* SPDX-License-Identifier: MIT
 *
 * The x86-64 process control block: the machine state of a thread that is
 * not running (struct thread embeds it as `pcb`).
 *
 * Kernel context.  A thread that is switched out has pushed its callee-saved
 * registers (rbp, rbx, r12-r15) and a return address on its own kernel stack
 * (switch.S); pcb_rsp remembers where.  Everything else a C caller of the
 * switch could need lives on that stack already.
 *
 * User context.  A thread that runs user code keeps its user registers in the
 * struct trap_frame at the very top of its kernel stack (pcb_utf): both the
 * interrupt path (trap_entry.S) and the `syscall` path (syscall_entry.S) build
 * that frame at the same address, because both start from the thread's stack
 * top (TSS.RSP0 and cpu->kstack_top, set on every switch).  The FPU/SSE
 * registers are saved eagerly with fxsave into pcb_fpu on every switch away
 * from a user thread; the kernel itself never touches them
 * (-mgeneral-regs-only).  The %fs base (TLS) is kept in pcb_fs_base and
 * loaded on every switch to a user thread.
 *
 * Locking: only the thread itself, or the scheduler while switching it,
 * touches the pcb -- except thread_getstatus/setstatus on a stopped thread.
 */
#ifndef _MACHINE_PCB_H_
#define _MACHINE_PCB_H_

#define PCB_RSP 0 /* offsetof(struct pcb, pcb_rsp), for switch.S */

#ifndef __ASSEMBLER__

#include <kern/types.h>
#include <stddef.h>

struct trap_frame;
struct thread;

#define FXSAVE_SIZE 512

struct pcb {
    uint64_t pcb_rsp;                           /* saved kernel %rsp while switched out */
    uintptr_t pcb_kstack_top;                   /* highest address of the kernel stack */
    struct trap_frame *pcb_utf;                 /* user registers, or NULL for a kernel thread */
    uint64_t pcb_fs_base;                       /* user %fs base (quay_thread_set_tls) */
    uint8_t pcb_fpu[FXSAVE_SIZE] __aligned(16); /* fxsave image, valid while switched out */
};

_Static_assert(offsetof(struct pcb, pcb_rsp) == PCB_RSP, "switch.S knows pcb_rsp");
_Static_assert(offsetof(struct pcb, pcb_fpu) % 16 == 0, "fxsave needs 16-byte alignment");

/* Prepares a new thread's kernel stack [stack, stack + size) so that the
 * first switch to it calls thread_start(prev, fn, arg) (kern/thread.c).
 * With `user`, reserves a trap frame at the top for user registers and
 * fills it with a valid user-mode state (CS/SS user, IF on, RIP 0). */
void pcb_init(struct thread *t, void *stack, size_t size, void (*fn)(void *), void *arg, bool user);

/* Sets the user frame of a thread that has one: RIP, RSP, RDI, RSI; the other
 * general registers are zeroed and the FPU reset to its initial state. */
void pcb_setup_user(struct thread *t, uintptr_t rip, uintptr_t rsp, uint64_t arg0, uint64_t arg1);

/* Switches this CPU from thread `old` to thread `new` (the scheduler, with
 * its locks held, interrupts off): saves old's FPU state if it is a user
 * thread, loads new's address space, kernel stack pointers (TSS.RSP0 and the
 * syscall stack), %fs base and FPU state, then switches kernel stacks.
 * Returns, in the context of `new` when it is later switched back to, the
 * thread that was running just before -- which the caller must finish
 * switching out (sched.c). */
struct thread *pcb_switch(struct thread *old, struct thread *new);

/* Sets this CPU up for threads: FPU/SSE enabled (CR0.MP, CR4.OSFXSR and
 * OSXMMEXCPT), syscall/sysret MSRs.  Each CPU, interrupts off. */
void pcb_cpu_init(void);

/* Makes `t`'s %fs base `base`, now if t is the calling thread. */
void pcb_set_fs_base(struct thread *t, uint64_t base);

/* For thread_getstatus/setstatus of the calling thread, whose FPU state
 * is live in the registers: copy it to pcb_fpu, or load it from there.  Do
 * nothing for another (stopped) thread, whose pcb_fpu is current. */
void pcb_fpu_save_current(struct thread *t);
void pcb_fpu_load_current(struct thread *t);

/* Leaves the kernel for user mode through t's trap frame (machine code of
 * the current thread; interrupts off).  Never returns. */
void pcb_return_to_user(struct thread *t) __noreturn;

#endif /* !__ASSEMBLER__ */

#endif

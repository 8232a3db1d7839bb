/* SPDX-License-Identifier: MIT
 *
 * The x86-64 trap frame: what trap_entry.S saves on every exception and
 * interrupt, and what the C side (trap.c, trap_report.c) reads and may
 * change before `iretq` restores it.
 *
 * From high to low addresses: the CPU pushes SS, RSP, RFLAGS, CS, RIP and,
 * for some exceptions, an error code (Intel SDM vol. 3A 6.14.2); the vector's
 * stub pushes a zero error code where the CPU does not, then the vector
 * number; trap_common pushes the fifteen general registers and finally a
 * two-word frame record {interrupted %rbp, interrupted %rip}.  %rbp points at
 * that record while C runs, so a frame-pointer walk from inside a handler
 * continues through the trap into the interrupted code.
 *
 * Included from assembly for the TF_* offsets, which are checked against the
 * structure by _Static_assert below.
 */
#ifndef _MACHINE_TRAP_H_
#define _MACHINE_TRAP_H_

#define TF_LINK_RBP   0
#define TF_LINK_RIP   8
#define TF_R15        16
#define TF_R11        48
#define TF_RBP        80 /* after r15..r8 */
#define TF_RCX        112
#define TF_RAX        128
#define TF_VECTOR     136
#define TF_ERROR_CODE 144
#define TF_RIP        152
#define TF_CS         160
#define TF_RFLAGS     168
#define TF_RSP        176
#define TF_SS         184
#define TF_SIZE       192

/* The `vector` of a trap frame built by syscall_entry.S: not a CPU vector. */
#define T_SYSCALL 0x100

#ifdef __ASSEMBLER__
/* clang-format off */
/* The fifteen general registers of a trap frame, in struct trap_frame's
 * order (rax pushed first, r15 last); shared by trap_entry.S and
 * syscall_entry.S so the two entries always build the same frame. */
.macro PUSH_GPRS
        pushq   %rax
        pushq   %rbx
        pushq   %rcx
        pushq   %rdx
        pushq   %rsi
        pushq   %rdi
        pushq   %rbp
        pushq   %r8
        pushq   %r9
        pushq   %r10
        pushq   %r11
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
.endm

.macro POP_GPRS
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %r11
        popq    %r10
        popq    %r9
        popq    %r8
        popq    %rbp
        popq    %rdi
        popq    %rsi
        popq    %rdx
        popq    %rcx
        popq    %rbx
        popq    %rax
.endm
/* clang-format on */
#else

#include <kern/types.h>
#include <stddef.h>

struct trap_frame {
    /* Frame record for backtraces: copies of the interrupted %rbp and %rip. */
    uint64_t link_rbp;
    uint64_t link_rip;

    /* General registers, pushed by trap_common (rax first, r15 last). */
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;

    uint64_t vector;     /* pushed by the vector's stub */
    uint64_t error_code; /* by the CPU, or 0 from the stub */

    /* Pushed by the CPU on every trap in 64-bit mode. */
    uint64_t rip;
    uint64_t cs;
    uint64_t rflags;
    uint64_t rsp;
    uint64_t ss;
};

_Static_assert(offsetof(struct trap_frame, link_rbp) == TF_LINK_RBP, "trap frame layout");
_Static_assert(offsetof(struct trap_frame, link_rip) == TF_LINK_RIP, "trap frame layout");
_Static_assert(offsetof(struct trap_frame, r15) == TF_R15, "trap frame layout");
_Static_assert(offsetof(struct trap_frame, r11) == TF_R11, "trap frame layout");
_Static_assert(offsetof(struct trap_frame, rbp) == TF_RBP, "trap frame layout");
_Static_assert(offsetof(struct trap_frame, rcx) == TF_RCX, "trap frame layout");
_Static_assert(offsetof(struct trap_frame, rax) == TF_RAX, "trap frame layout");
_Static_assert(offsetof(struct trap_frame, vector) == TF_VECTOR, "trap frame layout");
_Static_assert(offsetof(struct trap_frame, error_code) == TF_ERROR_CODE, "trap frame layout");
_Static_assert(offsetof(struct trap_frame, rip) == TF_RIP, "trap frame layout");
_Static_assert(offsetof(struct trap_frame, cs) == TF_CS, "trap frame layout");
_Static_assert(offsetof(struct trap_frame, rflags) == TF_RFLAGS, "trap frame layout");
_Static_assert(offsetof(struct trap_frame, rsp) == TF_RSP, "trap frame layout");
_Static_assert(offsetof(struct trap_frame, ss) == TF_SS, "trap frame layout");
_Static_assert(sizeof(struct trap_frame) == TF_SIZE, "trap frame layout");
/* The CPU aligns %rsp to 16 before pushing SS; keeping the frame a multiple
 * of 16 leaves %rsp aligned for the call into C, as the ABI requires. */
_Static_assert(TF_SIZE % 16 == 0, "trap frame keeps the stack 16-byte aligned");

/* Page-fault error code bits (Intel SDM vol. 3A 4.7). */
#define PF_ERR_PRESENT  0x01 /* 0: page not present; 1: protection violation */
#define PF_ERR_WRITE    0x02 /* the access was a write */
#define PF_ERR_USER     0x04 /* the access came from CPL 3 */
#define PF_ERR_RSVD     0x08 /* a reserved bit was set in a paging entry */
#define PF_ERR_IFETCH   0x10 /* instruction fetch */
#define PF_ERR_PK       0x20 /* protection key */
#define PF_ERR_SS       0x40 /* shadow-stack access */

/* Exception vectors (Intel SDM vol. 3A table 6-1). */
#define T_DIVIDE        0
#define T_DEBUG         1
#define T_NMI           2
#define T_BREAKPOINT    3
#define T_OVERFLOW      4
#define T_BOUND         5
#define T_INVALID_OP    6
#define T_NO_FPU        7
#define T_DOUBLE_FAULT  8
#define T_INVALID_TSS   10
#define T_NO_SEGMENT    11
#define T_STACK_FAULT   12
#define T_GENERAL_PROT  13
#define T_PAGE_FAULT    14
#define T_FPU_ERROR     16
#define T_ALIGNMENT     17
#define T_MACHINE_CHECK 18
#define T_SIMD_ERROR    19
#define T_VIRT          20
#define T_CONTROL_PROT  21

/* True when the trap came from user mode (CPL 3 in the saved CS). */
static inline bool
trap_from_user(const struct trap_frame *tf)
{
    return (tf->cs & 3) != 0;
}

/* The C side of trap_entry.S: called with interrupts off on the stack the
 * CPU chose (the current kernel stack, or an IST stack for #DF, NMI, #MC),
 * for every vector.  Returns to the stub, which restores *tf and irets. */
void trap_dispatch(struct trap_frame *tf);

/* Prints the fatal kernel-mode exception report for *tf (vector name,
 * decoded error code, registers, control registers, CPU, symbolized
 * backtrace from the faulting RIP) and ends the machine with status 2.
 * Safe against faults inside itself and against other CPUs faulting at the
 * same time: a nested fault ends the machine at once. */
void trap_report_fatal(const struct trap_frame *tf) __noreturn;

/* The name of exception `vector` ("page fault"), or NULL if it is not one. */
const char *trap_vector_name(unsigned vector);

/* The C side of syscall_entry.S: runs the Mach trap in tf->rax with the
 * arguments in the frame, writes the result to tf->rax, and does the work
 * of the return to user mode; returns with interrupts off. */
void syscall_dispatch(struct trap_frame *tf);

/* copyio.S / copyio.c: if a kernel-mode page fault at tf->rip is inside
 * copyin/copyout, resolves it (vm_fault for a user address when the
 * interrupted code had interrupts on) or redirects the copy to its failure
 * return; returns true then.  False: a kernel bug, report it. */
bool copyio_fault(struct trap_frame *tf, uintptr_t fault_addr);

/* trap_entry.S: the entry point of each vector's stub. */
extern const uint64_t trap_stubs[256];

#endif /* __ASSEMBLER__ */

#endif

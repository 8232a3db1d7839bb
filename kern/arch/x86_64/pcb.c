// SPDX-License-Identifier: MIT
//
// x86-64 thread machine state (machine/pcb.h): a new thread's first stack
// frame, its user frame, the machine half of the thread switch, and the
// per-CPU set-up that user mode needs (FPU/SSE enabled, syscall MSRs).

#include <machine/pcb.h>
#include <kern/assert.h>
#include <kern/cpu.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <lib/string.h>
#include <vm/pmap.h>
#include <machine/cpu_arch.h>
#include <machine/cpufunc.h>
#include <machine/segments.h>
#include <machine/trap.h>

#define MSR_EFER     0xC0000080
#define MSR_STAR     0xC0000081
#define MSR_LSTAR    0xC0000082
#define MSR_SFMASK   0xC0000084
#define MSR_FS_BASE  0xC0000100
#define EFER_SCE     0x1
#define CR0_MP       0x2
#define CR0_EM       0x4
#define CR0_TS       0x8
#define CR4_OSFXSR   0x200
#define CR4_OSXMMEXC 0x400

// Flags `syscall` clears: interrupts, direction, trap and alignment check,
// so the entry code runs with a known RFLAGS.
#define SFMASK_BITS (RFLAGS_IF | 0x400 | 0x100 | 0x40000)

// Initial x87 control word and MXCSR (all exceptions masked), as after
// FNINIT and a reset (Intel SDM vol. 1 8.1.5, 10.2.3.1).
#define FCW_INIT   0x037F
#define MXCSR_INIT 0x1F80

struct thread *switch_context(struct pcb *old, struct pcb *new, struct thread *prev);
void thread_trampoline(void);
void trap_return_to(struct trap_frame *tf) __noreturn;
void syscall_entry(void);

static inline void
fxsave(uint8_t *area)
{
    __asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

static inline void
fxrstor(const uint8_t *area)
{
    __asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}

void
pcb_cpu_init(void)
{
    write_cr0((read_cr0() | CR0_MP) & ~(uint64_t)(CR0_EM | CR0_TS));
    write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXC);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    wrmsr(MSR_STAR, ((uint64_t)STAR_SYSRET_CS << 48) | ((uint64_t)STAR_SYSCALL_CS << 32));
    wrmsr(MSR_LSTAR, (uint64_t)(uintptr_t)syscall_entry);
    wrmsr(MSR_SFMASK, SFMASK_BITS);
}

static void
fpu_state_reset(struct pcb *pcb)
{
    memset(pcb->pcb_fpu, 0, sizeof(pcb->pcb_fpu));
    *(uint16_t *)&pcb->pcb_fpu[0] = FCW_INIT;    // FCW
    *(uint32_t *)&pcb->pcb_fpu[24] = MXCSR_INIT; // MXCSR
}

// A user frame that is valid to iretq to: user selectors, interrupts on.
static void
user_frame_reset(struct trap_frame *tf)
{
    memset(tf, 0, sizeof(*tf));
    tf->cs = USER_CS;
    tf->ss = USER_DS;
    tf->rflags = RFLAGS_IF | 0x2; // bit 1 is always set
}

void
pcb_init(struct thread *t, void *stack, size_t size, void (*fn)(void *), void *arg, bool user)
{
    struct pcb *pcb = &t->pcb;
    uintptr_t top = (uintptr_t)stack + size;

    assert(top % 16 == 0);
    pcb->pcb_kstack_top = top;
    if (user) {
        top -= sizeof(struct trap_frame);
        pcb->pcb_utf = (struct trap_frame *)top;
        user_frame_reset(pcb->pcb_utf);
        fpu_state_reset(pcb);
    }
    // switch_context pops r15, r14, r13, r12, rbx, rbp, then returns into
    // thread_trampoline with %rsp = top - 16, 16-byte aligned for its call.
    uint64_t *f = (uint64_t *)(top - 72);
    f[0] = 0;                        // r15
    f[1] = 0;                        // r14
    f[2] = (uint64_t)(uintptr_t)arg; // r13
    f[3] = (uint64_t)(uintptr_t)fn;  // r12
    f[4] = 0;                        // rbx
    f[5] = 0;                        // rbp
    f[6] = (uint64_t)(uintptr_t)thread_trampoline;
    pcb->pcb_rsp = (uint64_t)(uintptr_t)f;
}

void
pcb_setup_user(struct thread *t, uintptr_t rip, uintptr_t rsp, uint64_t arg0, uint64_t arg1)
{
    struct trap_frame *tf = t->pcb.pcb_utf;

    assert(tf != NULL);
    user_frame_reset(tf);
    tf->rip = rip;
    tf->rsp = rsp;
    tf->rdi = arg0;
    tf->rsi = arg1;
    fpu_state_reset(&t->pcb);
    t->pcb.pcb_fs_base = 0;
}

struct thread *
pcb_switch(struct thread *old, struct thread *new)
{
    struct cpu *c = cpu_current();

    if (old->pcb.pcb_utf != NULL)
        fxsave(old->pcb.pcb_fpu);
    pmap_activate(task_pmap(new->th_task));
    if (new->pcb.pcb_utf != NULL) {
        c->kstack_top = new->pcb.pcb_kstack_top;
        gdt_set_kernel_stack(c, new->pcb.pcb_kstack_top);
        wrmsr(MSR_FS_BASE, new->pcb.pcb_fs_base);
        fxrstor(new->pcb.pcb_fpu);
    }
    return switch_context(&old->pcb, &new->pcb, old);
}

void
pcb_set_fs_base(struct thread *t, uint64_t base)
{
    intr_push_off();
    t->pcb.pcb_fs_base = base;
    if (t == current_thread())
        wrmsr(MSR_FS_BASE, base);
    intr_pop_off();
}

void
pcb_return_to_user(struct thread *t)
{
    assert(!intr_enabled() && t == current_thread() && t->pcb.pcb_utf != NULL);
    trap_return_to(t->pcb.pcb_utf);
}

void
pcb_fpu_save_current(struct thread *t)
{
    intr_push_off();
    if (t == current_thread())
        fxsave(t->pcb.pcb_fpu);
    intr_pop_off();
}

void
pcb_fpu_load_current(struct thread *t)
{
    intr_push_off();
    if (t == current_thread())
        fxrstor(t->pcb.pcb_fpu);
    intr_pop_off();
}

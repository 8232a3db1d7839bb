// SPDX-License-Identifier: MIT
//
// thread_getstatus / thread_setstatus for x86-64: the user registers of a
// thread (its trap frame) and its FPU/SSE state (the pcb's fxsave image) in
// the flavors of include/mach/thread_status.h.
//
// Setting is decode-then-commit: the new state is checked whole (selectors,
// canonical user addresses, MXCSR) before anything is written, so a bad
// state changes nothing and returns KERN_INVALID_ARGUMENT.  The caller
// (thread_get_state/thread_set_state) makes sure the thread is stopped
// (thread_is_stopped) or is the calling thread.

#include <kern/thread.h>
#include <lib/string.h>
#include <machine/cpufunc.h>
#include <machine/segments.h>
#include <machine/trap.h>
#include <machine/vmparam.h>

// RFLAGS bits user code may own: CF PF AF ZF SF TF DF OF AC ID (and bit 1).
#define RFLAGS_USER_MASK                                                                           \
    (0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x100 | 0x400 | 0x800 | 0x40000 | 0x200000)
#define MXCSR_OFFSET   24
#define MXCSR_RESERVED 0xFFFF0000u /* plus DAZ (bit 6) on CPUs without it; not checked */

static void
state64_from_frame(const struct thread *t, const struct trap_frame *tf, x86_thread_state64_t *s)
{
    *s = (x86_thread_state64_t){
        .rax = tf->rax,
        .rbx = tf->rbx,
        .rcx = tf->rcx,
        .rdx = tf->rdx,
        .rdi = tf->rdi,
        .rsi = tf->rsi,
        .rbp = tf->rbp,
        .rsp = tf->rsp,
        .r8 = tf->r8,
        .r9 = tf->r9,
        .r10 = tf->r10,
        .r11 = tf->r11,
        .r12 = tf->r12,
        .r13 = tf->r13,
        .r14 = tf->r14,
        .r15 = tf->r15,
        .rip = tf->rip,
        .rflags = tf->rflags,
        .cs = tf->cs,
        .fs_base = t->pcb.pcb_fs_base,
    };
}

static bool
state64_valid(const x86_thread_state64_t *s)
{
    return s->cs == USER_CS && s->rip < USER_MAX && s->rsp <= USER_MAX && s->fs_base < USER_MAX;
}

static void
state64_to_frame(struct thread *t, const x86_thread_state64_t *s, struct trap_frame *tf)
{
    tf->rax = s->rax, tf->rbx = s->rbx, tf->rcx = s->rcx, tf->rdx = s->rdx;
    tf->rdi = s->rdi, tf->rsi = s->rsi, tf->rbp = s->rbp, tf->rsp = s->rsp;
    tf->r8 = s->r8, tf->r9 = s->r9, tf->r10 = s->r10, tf->r11 = s->r11;
    tf->r12 = s->r12, tf->r13 = s->r13, tf->r14 = s->r14, tf->r15 = s->r15;
    tf->rip = s->rip;
    tf->rflags = (s->rflags & RFLAGS_USER_MASK) | RFLAGS_IF | 0x2;
    tf->cs = USER_CS;
    tf->ss = USER_DS;
    pcb_set_fs_base(t, s->fs_base);
}

kern_return_t
thread_getstatus(struct thread *t, int flavor, thread_state_t state, mach_msg_type_number_t *count)
{
    if (t->pcb.pcb_utf == NULL)
        return KERN_INVALID_ARGUMENT; // a kernel thread has no user state
    switch (flavor) {
    case x86_THREAD_STATE64: {
        if (*count < x86_THREAD_STATE64_COUNT)
            return KERN_INVALID_ARGUMENT;
        x86_thread_state64_t s;
        state64_from_frame(t, t->pcb.pcb_utf, &s);
        memcpy(state, &s, sizeof(s));
        *count = x86_THREAD_STATE64_COUNT;
        return KERN_SUCCESS;
    }
    case x86_FLOAT_STATE64:
        if (*count < x86_FLOAT_STATE64_COUNT)
            return KERN_INVALID_ARGUMENT;
        pcb_fpu_save_current(t);
        memcpy(state, t->pcb.pcb_fpu, sizeof(x86_float_state64_t));
        *count = x86_FLOAT_STATE64_COUNT;
        return KERN_SUCCESS;
    default:
        return KERN_INVALID_ARGUMENT;
    }
}

kern_return_t
thread_setstatus(struct thread *t, int flavor, const thread_state_t state,
                 mach_msg_type_number_t count)
{
    if (t->pcb.pcb_utf == NULL)
        return KERN_INVALID_ARGUMENT;
    switch (flavor) {
    case x86_THREAD_STATE64: {
        x86_thread_state64_t s;
        if (count < x86_THREAD_STATE64_COUNT)
            return KERN_INVALID_ARGUMENT;
        memcpy(&s, state, sizeof(s));
        if (!state64_valid(&s))
            return KERN_INVALID_ARGUMENT;
        state64_to_frame(t, &s, t->pcb.pcb_utf);
        return KERN_SUCCESS;
    }
    case x86_FLOAT_STATE64: {
        uint32_t mxcsr;
        if (count < x86_FLOAT_STATE64_COUNT)
            return KERN_INVALID_ARGUMENT;
        memcpy(&mxcsr, (const uint8_t *)state + MXCSR_OFFSET, sizeof(mxcsr));
        if (mxcsr & MXCSR_RESERVED)
            return KERN_INVALID_ARGUMENT; // fxrstor would fault
        memcpy(t->pcb.pcb_fpu, state, sizeof(x86_float_state64_t));
        pcb_fpu_load_current(t);
        return KERN_SUCCESS;
    }
    default:
        return KERN_INVALID_ARGUMENT;
    }
}

/* SPDX-License-Identifier: MIT */
/*
 * A divide error, ud2 and int3 in user code reach the task's exception
 * port (TASK_EXCEPTION_PORT; the thread has none) as EXC_ARITHMETIC /
 * EXC_I386_DIV, EXC_BAD_INSTRUCTION / EXC_I386_INVOP and EXC_BREAKPOINT /
 * EXC_I386_BPT.  The handler reads the faulting thread's state: RIP is the
 * faulting instruction for #DE and #UD, which it steps over with
 * thread_set_state (the thread suspended meanwhile), and the instruction
 * after the int3 for #BP, which needs nothing.  Each KERN_SUCCESS reply
 * resumes the thread where its state says.
 */
#include "ut_exc.h"

/* Each fault site has a label at the faulting instruction and one after. */
extern char ut_div_at[], ut_div_end[], ut_ud_at[], ut_ud_end[], ut_bp_at[], ut_bp_end[];

static uint64_t seen_rip[3];

static kern_return_t
ut_exc_handle(const struct ut_exc_seen *e)
{
    x86_thread_state64_t st;
    mach_msg_type_number_t count = x86_THREAD_STATE64_COUNT;

    UT_KR(thread_suspend(e->thread), KERN_SUCCESS);
    UT_KR(thread_get_state(e->thread, x86_THREAD_STATE64, (thread_state_t)&st, &count),
          KERN_SUCCESS);
    seen_rip[ut_exc_count] = st.rip;
    if (st.rip == (uintptr_t)ut_div_at)
        st.rip = (uintptr_t)ut_div_end;
    else if (st.rip == (uintptr_t)ut_ud_at)
        st.rip = (uintptr_t)ut_ud_end;
    UT_KR(thread_set_state(e->thread, x86_THREAD_STATE64, (thread_state_t)&st, count),
          KERN_SUCCESS);
    UT_KR(thread_resume(e->thread), KERN_SUCCESS);
    return KERN_SUCCESS;
}

static void
expect(unsigned i, exception_type_t exc, int64_t code0, const char *rip)
{
    UT_EQ(ut_exc_seen[i].exc, exc);
    UT_EQ(ut_exc_seen[i].ncode, 2);
    UT_EQ(ut_exc_seen[i].code[0], code0);
    UT_EQ(ut_exc_seen[i].code[1], 0);
    UT_EQ(seen_rip[i], (uintptr_t)rip);
}

int
main(void)
{
    struct ut_exc_server srv;
    mach_port_t port, self;

    ut_stats_begin();
    self = mach_thread_self();
    port = ut_port_send();
    UT_KR(task_set_special_port(mach_task_self(), TASK_EXCEPTION_PORT, port), KERN_SUCCESS);
    ut_exc_serve(&srv, port, 3);

    __asm__ volatile("xor %%edx, %%edx\n\txor %%ecx, %%ecx\n\tmov $1, %%eax\n"
                     ".globl ut_div_at\nut_div_at:\n\tdiv %%ecx\n"
                     ".globl ut_div_end\nut_div_end:\n"
                     :
                     :
                     : "eax", "ecx", "edx", "cc");
    UT_EQ(ut_exc_count, 1);
    __asm__ volatile(".globl ut_ud_at\nut_ud_at:\n\tud2\n.globl ut_ud_end\nut_ud_end:\n");
    UT_EQ(ut_exc_count, 2);
    __asm__ volatile(".globl ut_bp_at\nut_bp_at:\n\tint3\n.globl ut_bp_end\nut_bp_end:\n");
    UT_EQ(ut_exc_count, 3);
    ut_exc_join(&srv);
    ut_exc_expect_kernel_reply_port();

    expect(0, EXC_ARITHMETIC, EXC_I386_DIV, ut_div_at);
    expect(1, EXC_BAD_INSTRUCTION, EXC_I386_INVOP, ut_ud_at);
    expect(2, EXC_BREAKPOINT, EXC_I386_BPT, ut_bp_end);
    for (unsigned i = 0; i < 3; i++) {
        UT_EQ(ut_exc_seen[i].port, port);
        UT_EQ(ut_exc_seen[i].thread, self);
        UT_EQ(ut_exc_seen[i].task, mach_task_self());
    }
    UT_EQ(ut_refs(self, MACH_PORT_RIGHT_SEND), 1);

    UT_KR(task_set_special_port(mach_task_self(), TASK_EXCEPTION_PORT, MACH_PORT_NULL),
          KERN_SUCCESS);
    UT_KR(mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), port), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), self), KERN_SUCCESS);
    ut_stats_settle_baseline();
    return ut_pass();
}

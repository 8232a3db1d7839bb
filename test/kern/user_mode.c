// SPDX-License-Identifier: MIT
//
// Tests of user mode: ring-3 code entering the kernel through `syscall`,
// task exit status, user faults that end the task (not the kernel), the
// trap table's refusals and thread_setstatus validation.  The programs are
// a few hand-assembled instructions on a page mapped into a fresh task.

#include <debug/ktest.h>
#include <kern/exception.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <mach/kern_return.h>
#include <machine/segments.h>
#include <machine/trap.h>
#include "exec_util.h"

#define CODE_VA    0x400000ul
#define DATA_VA    0x600000ul
#define STACK_VA   0x7ff000ul
#define DATA_MAGIC 42 /* the first word of every program's data page */

// quay_console_write("hello from ring 3\n", 18); quay_task_exit(7 + result)
static const uint8_t prog_hello_exit[] = {
    0x48, 0x8d, 0x3d, 24,  0,   0,   0, // lea msg(%rip), %rdi      (msg at 31)
    0xbe, 18,   0,    0,   0,           // mov $18, %esi
    0xb8, 83,   0,    0,   1,           // mov $0x1000053, %eax  quay_console_write
    0x0f, 0x05,                         // syscall
    0x8d, 0x78, 0x07,                   // lea 7(%rax), %edi
    0xb8, 82,   0,    0,   1,           // mov $0x1000052, %eax  quay_task_exit
    0x0f, 0x05,                         // syscall
    0x0f, 0x0b,                         // ud2: never reached
    'h',  'e',  'l',  'l', 'o', ' ', 'f', 'r', 'o', 'm', ' ', 'r', 'i', 'n', 'g', ' ', '3', '\n',
};

// Reads address 0x10, which is never mapped.
static const uint8_t prog_fault[] = {
    0x48, 0x8b, 0x04, 0x25, 0x10, 0, 0, 0, // mov 0x10, %rax
    0x0f, 0x0b,                            // ud2
};

// quay_task_exit(trap 99 (unknown) result * 16 + syscall 60 (not Mach) result)
static const uint8_t prog_bad_traps[] = {
    0xb8, 99,   0,    0, 1, // mov $0x1000063, %eax
    0x0f, 0x05,             // syscall
    0x89, 0xc3,             // mov %eax, %ebx
    0xc1, 0xe3, 0x04,       // shl $4, %ebx
    0xb8, 60,   0,    0, 0, // mov $60, %eax
    0x0f, 0x05,             // syscall
    0x8d, 0x3c, 0x03,       // lea (%rbx,%rax), %edi
    0xb8, 82,   0,    0, 1, // mov $0x1000052, %eax
    0x0f, 0x05,             // syscall
};

// quay_thread_set_tls(DATA_VA); xmm0 = 5; swtch(); exit(%fs:0 + xmm0)
static const uint8_t prog_tls_fpu[] = {
    0xbf, 0x00, 0x00, 0x60, 0x00,                   // mov $0x600000, %edi
    0xb8, 84,   0,    0,    1,                      // mov $0x1000054, %eax  set_tls
    0x0f, 0x05,                                     // syscall
    0xb8, 0x05, 0x00, 0x00, 0x00,                   // mov $5, %eax
    0x66, 0x0f, 0x6e, 0xc0,                         // movd %eax, %xmm0
    0xb8, 60,   0,    0,    1,                      // mov $0x100003c, %eax  swtch
    0x0f, 0x05,                                     // syscall
    0x66, 0x0f, 0x7e, 0xc3,                         // movd %xmm0, %ebx
    0x64, 0x8b, 0x3c, 0x25, 0x00, 0x00, 0x00, 0x00, // mov %fs:0, %edi
    0x01, 0xdf,                                     // add %ebx, %edi
    0xb8, 82,   0,    0,    1,                      // mov $0x1000052, %eax  task_exit
    0x0f, 0x05,                                     // syscall
};

// Runs `code` as the only thread of a new task and returns its exit status
// (-100 - n if step n of the set-up failed).
static int
run_program(const uint8_t *code, size_t len, const char *name)
{
    struct utask u;
    struct thread *t;

    if (!ut_create(&u, name))
        return -101;
    uint8_t *text = ut_map(&u, CODE_VA, VM_PROT_READ | VM_PROT_EXECUTE);
    void *stack = ut_map(&u, STACK_VA, VM_PROT_READ | VM_PROT_WRITE);
    uint32_t *data = ut_map(&u, DATA_VA, VM_PROT_READ | VM_PROT_WRITE);
    if (text == NULL || stack == NULL || data == NULL)
        return ut_destroy(&u), -102;
    memcpy(text, code, len);
    data[0] = DATA_MAGIC;
    if (thread_create_internal(u.task, name, &t) != KERN_SUCCESS)
        return ut_destroy(&u), -103;
    int r = -104;
    if (thread_setup_user(t, CODE_VA, STACK_VA + PAGE_SIZE, 0, 0) == KERN_SUCCESS &&
        thread_resume(t) == KERN_SUCCESS && task_wait(u.task, &r) != KERN_SUCCESS)
        r = -105;
    thread_deallocate(t);
    ut_destroy(&u);
    return r;
}

KTEST(user, ring3_program_traps_and_exits_with_its_status)
{
    KT_EQ(run_program(prog_hello_exit, sizeof(prog_hello_exit), "hello"), 7);
}

KTEST(user, page_fault_on_unmapped_address_terminates_only_the_task)
{
    KT_EQ(run_program(prog_fault, sizeof(prog_fault), "faulter"),
          TASK_STATUS_EXCEPTION(T_PAGE_FAULT));
}

KTEST(user, unknown_and_non_mach_trap_numbers_return_invalid_argument)
{
    KT_EQ(run_program(prog_bad_traps, sizeof(prog_bad_traps), "badtraps"),
          KERN_INVALID_ARGUMENT * 16 + KERN_INVALID_ARGUMENT);
}

KTEST(user, tls_base_and_fpu_registers_survive_traps_and_switches)
{
    KT_EQ(run_program(prog_tls_fpu, sizeof(prog_tls_fpu), "tls"), DATA_MAGIC + 5);
}

KTEST(user, thread_setstatus_rejects_kernel_cs_and_bad_rip_changing_nothing)
{
    struct utask u;
    struct thread *t;
    x86_thread_state64_t s0, s1, bad;
    mach_msg_type_number_t n = x86_THREAD_STATE64_COUNT;

    KT_ASSERT(ut_create(&u, "state"));
    KT_EQ(thread_create_internal(u.task, "state", &t), KERN_SUCCESS);
    KT_EQ(thread_setup_user(t, CODE_VA, STACK_VA, 1, 2), KERN_SUCCESS);
    KT_EQ(thread_getstatus(t, x86_THREAD_STATE64, (thread_state_t)&s0, &n), KERN_SUCCESS);
    KT_EQ(n, x86_THREAD_STATE64_COUNT);
    KT_EQ(s0.rip, CODE_VA);
    KT_EQ(s0.rdi, 1);
    KT_EQ(s0.cs, USER_CS);
    bad = s0;
    bad.rax = 0x1234;
    bad.cs = KERNEL_CS;
    KT_EQ(thread_setstatus(t, x86_THREAD_STATE64, (thread_state_t)&bad, n), KERN_INVALID_ARGUMENT);
    bad.cs = USER_CS;
    bad.rip = 0x8000000000000000ull;
    KT_EQ(thread_setstatus(t, x86_THREAD_STATE64, (thread_state_t)&bad, n), KERN_INVALID_ARGUMENT);
    bad.rip = CODE_VA;
    KT_EQ(thread_setstatus(t, x86_THREAD_STATE64, (thread_state_t)&bad, n - 1),
          KERN_INVALID_ARGUMENT);
    KT_EQ(thread_setstatus(t, 99, (thread_state_t)&bad, n), KERN_INVALID_ARGUMENT);
    KT_EQ(thread_getstatus(t, x86_THREAD_STATE64, (thread_state_t)&s1, &n), KERN_SUCCESS);
    KT_ASSERT(memcmp(&s0, &s1, sizeof(s0)) == 0); // nothing changed
    bad.rflags = 0x3000;                          // IOPL 3: forced back to 0, IF forced on
    KT_EQ(thread_setstatus(t, x86_THREAD_STATE64, (thread_state_t)&bad, n), KERN_SUCCESS);
    KT_EQ(thread_getstatus(t, x86_THREAD_STATE64, (thread_state_t)&s1, &n), KERN_SUCCESS);
    KT_EQ(s1.rax, 0x1234);
    KT_EQ(s1.rflags, 0x202);
    thread_deallocate(t);
    ut_destroy(&u);
}

// SPDX-License-Identifier: MIT
//
// The Mach trap table and its dispatcher (see syscall_sw.h).
//
// The IPC traps (mach_msg_trap, mach_reply_port and the *_self_trap calls)
// belong to kern/ipc/ (mach_traps.h); the adapters below turn the argument
// words into their parameters.

#include <kern/syscall_sw.h>
#include <kern/copyio.h>
#include <ipc/mach_traps.h>
#include <mach/kern_return.h>
#include <mach/syscall_sw.h>

static uint64_t
trap_mach_msg(const uint64_t *a)
{
    return mach_msg_trap(a[0], (mach_msg_option_t)a[1], (mach_msg_size_t)a[2],
                         (mach_msg_size_t)a[3], (mach_port_name_t)a[4], (mach_msg_timeout_t)a[5],
                         (mach_port_name_t)a[6]);
}

static uint64_t
trap_mach_reply_port(const uint64_t *a)
{
    (void)a;
    return mach_reply_port();
}

static uint64_t
trap_task_self(const uint64_t *a)
{
    (void)a;
    return task_self_trap();
}

static uint64_t
trap_thread_self(const uint64_t *a)
{
    (void)a;
    return thread_self_trap();
}

static uint64_t
trap_host_self(const uint64_t *a)
{
    (void)a;
    return host_self_trap();
}

#define TRAP(name, nargs, fn) [MACH_TRAP_##name] = {#name, (nargs), (fn)}

static const struct mach_trap mach_trap_table[MACH_TRAP_TABLE_SIZE] = {
    TRAP(mach_reply_port, 0, trap_mach_reply_port),
    TRAP(thread_self_trap, 0, trap_thread_self),
    TRAP(task_self_trap, 0, trap_task_self),
    TRAP(host_self_trap, 0, trap_host_self),
    TRAP(mach_msg_trap, 7, trap_mach_msg),
    TRAP(swtch_pri, 1, trap_swtch_pri),
    TRAP(swtch, 0, trap_swtch),
    TRAP(thread_switch, 3, trap_thread_switch),
    TRAP(quay_wait, 3, trap_quay_wait),
    TRAP(quay_wake, 2, trap_quay_wake),
    TRAP(quay_task_exit, 1, trap_quay_task_exit),
    TRAP(quay_console_write, 2, trap_quay_console_write),
    TRAP(quay_thread_set_tls, 1, trap_quay_thread_set_tls),
};

uint64_t
mach_trap_dispatch(uint64_t number, const uint64_t regs[MACH_TRAP_REG_ARGS], uintptr_t user_sp)
{
    uint64_t args[MACH_TRAP_MAX_ARGS] = {0};

    if ((number & ~(uint64_t)(MACH_TRAP_BASE - 1)) != MACH_TRAP_BASE)
        return KERN_INVALID_ARGUMENT;
    uint64_t n = number & (MACH_TRAP_BASE - 1);
    if (n >= MACH_TRAP_TABLE_SIZE || mach_trap_table[n].mt_fn == NULL)
        return KERN_INVALID_ARGUMENT;
    const struct mach_trap *t = &mach_trap_table[n];
    for (unsigned i = 0; i < MACH_TRAP_REG_ARGS; i++)
        args[i] = regs[i];
    if (t->mt_nargs > MACH_TRAP_REG_ARGS &&
        copyin(user_sp + 8, &args[MACH_TRAP_REG_ARGS],
               (t->mt_nargs - MACH_TRAP_REG_ARGS) * sizeof(uint64_t)) != KERN_SUCCESS)
        return KERN_INVALID_ADDRESS;
    return t->mt_fn(args);
}

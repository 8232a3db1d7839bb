// SPDX-License-Identifier: MIT
//
// TRANSITIONAL weak stand-ins for the IPC calls that tasks, threads and the
// trap table make (kern/ipc/ipc_tt.h, kern/ipc/mach_traps.h), which the IPC
// engineer is writing now.  Each is a weak symbol, so the real definition
// replaces it at link time with no change here; delete this file once
// ipc_tt.c and mach_traps.c have landed.

#include <ipc/ipc_tt.h>
#include <ipc/mach_traps.h>

#define WEAK __attribute__((weak))

WEAK kern_return_t
ipc_task_init(struct task *task)
{
    (void)task;
    return KERN_SUCCESS;
}

WEAK void
ipc_task_terminate(struct task *task)
{
    (void)task;
}

WEAK kern_return_t
ipc_thread_init(struct thread *thread)
{
    (void)thread;
    return KERN_SUCCESS;
}

WEAK void
ipc_thread_terminate(struct thread *thread)
{
    (void)thread;
}

WEAK mach_msg_return_t
mach_msg_trap(uintptr_t msg, mach_msg_option_t option, mach_msg_size_t send_size,
              mach_msg_size_t rcv_size, mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
              mach_port_name_t notify)
{
    (void)msg, (void)option, (void)send_size, (void)rcv_size, (void)rcv_name, (void)timeout;
    (void)notify;
    return KERN_FAILURE;
}

WEAK mach_port_name_t
mach_reply_port(void)
{
    return MACH_PORT_NULL;
}

WEAK mach_port_name_t
task_self_trap(void)
{
    return MACH_PORT_NULL;
}

WEAK mach_port_name_t
thread_self_trap(void)
{
    return MACH_PORT_NULL;
}

WEAK mach_port_name_t
host_self_trap(void)
{
    return MACH_PORT_NULL;
}

/* SPDX-License-Identifier: MIT
 *
 * The IPC traps (numbers in <mach/syscall_sw.h>): the few Mach calls that
 * are system calls rather than messages.  The trap table (kern/syscall_sw.c)
 * calls these with the user's arguments; they run in the calling thread's
 * context and reach user memory only through copyin/copyout.  mach_traps.c.
 */
#ifndef _IPC_MACH_TRAPS_H_
#define _IPC_MACH_TRAPS_H_

#include <kern/types.h>
#include <mach/message.h>

mach_msg_return_t mach_msg_trap(uintptr_t msg, mach_msg_option_t option, mach_msg_size_t send_size,
                                mach_msg_size_t rcv_size, mach_port_name_t rcv_name,
                                mach_msg_timeout_t timeout, mach_port_name_t notify);
mach_port_name_t mach_reply_port(void);
mach_port_name_t task_self_trap(void);
mach_port_name_t thread_self_trap(void);
mach_port_name_t host_self_trap(void);

#endif

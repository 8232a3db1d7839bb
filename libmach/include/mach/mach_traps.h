/* SPDX-License-Identifier: MIT */
/*
 * The Mach traps as C functions (libmach/traps.S).  Numbers and the register
 * convention are in <mach/syscall_sw.h>.  Most programs use the friendlier
 * calls of <mach/mach_init.h> and mach_msg() instead of these.
 */
#ifndef _MACH_MACH_TRAPS_H_
#define _MACH_MACH_TRAPS_H_

#include <stddef.h>
#include <stdint.h>
#include <mach/kern_return.h>
#include <mach/message.h>
#include <mach/port.h>

/* A new port of which the caller holds the receive right. */
extern mach_port_name_t mach_reply_port(void);

/* Send rights (one more user reference each call) to the calling thread's,
 * task's and host's kernel ports. */
extern mach_port_name_t thread_self_trap(void);
extern mach_port_name_t task_self_trap(void);
extern mach_port_name_t host_self_trap(void);

/* Send and/or receive a message, without mach_msg()'s retry on interrupts. */
extern mach_msg_return_t mach_msg_trap(mach_msg_header_t *msg, mach_msg_option_t option,
                                       mach_msg_size_t send_size, mach_msg_size_t rcv_size,
                                       mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
                                       mach_port_name_t notify);

/* Yield the CPU; true if other threads were ready to run. */
extern boolean_t swtch(void);
extern boolean_t swtch_pri(int priority);
extern kern_return_t thread_switch(mach_port_name_t thread, int option, mach_msg_timeout_t time_ms);

/*
 * quay_wait: block while the 32-bit word at ADDR holds VALUE, until a
 * quay_wake() on ADDR, the timeout (milliseconds; 0 means none) or an
 * interruption.  Callers re-check their condition after any return: it is a
 * hint, like a futex.  quay_wake: wake at most COUNT threads waiting on ADDR.
 */
extern kern_return_t quay_wait(const volatile uint32_t *addr, uint32_t value,
                               mach_msg_timeout_t timeout_ms);
extern kern_return_t quay_wake(const volatile uint32_t *addr, uint32_t count);

/* End the calling task with STATUS (reported to task_wait()); returns only
 * if the kernel refuses. */
extern void quay_task_exit(int status);

/* Write LEN bytes at BUF to the kernel console; KERN_SUCCESS when written. */
extern kern_return_t quay_console_write(const char *buf, size_t len);

/* Point this thread's %fs base at ADDR (its thread control block). */
extern kern_return_t quay_thread_set_tls(void *addr);

#endif /* _MACH_MACH_TRAPS_H_ */

/* SPDX-License-Identifier: MIT */
/*
 * libmach's start-up and the calls that name the caller's own kernel
 * objects (libmach/mach_init.c).
 */
#ifndef _MACH_MACH_INIT_H_
#define _MACH_MACH_INIT_H_

#include <mach/kern_return.h>
#include <mach/port.h>

/* The task's send right to its own task port, shared by all callers. */
extern mach_port_t mach_task_self_;

/* Set up the calling thread's TCB and the cached task port; crt0 calls it
 * before main().  KERN_SUCCESS or KERN_RESOURCE_SHORTAGE. */
kern_return_t mach_init(void);

/* The task's own port: a shared reference, never deallocate it. */
mach_port_t mach_task_self(void);

/* Send rights to the calling thread's port and to the host port: one more
 * user reference per call, to be released with mach_port_deallocate(). */
mach_port_t mach_thread_self(void);
mach_port_t mach_host_self(void);

#endif /* _MACH_MACH_INIT_H_ */

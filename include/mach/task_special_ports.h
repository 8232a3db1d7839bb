/* SPDX-License-Identifier: MIT */
/*
 * Which special port task_get_special_port()/task_set_special_port() and
 * thread_get_special_port()/thread_set_special_port() name.  The numbers
 * are GNU Mach's (TASK_HOST_PORT from XNU, where GNU Mach has none).
 */
#ifndef _MACH_TASK_SPECIAL_PORTS_H_
#define _MACH_TASK_SPECIAL_PORTS_H_

#define TASK_KERNEL_PORT    1 /* the task's own port: controls it */
#define TASK_HOST_PORT      2 /* the host port the task was given */
#define TASK_EXCEPTION_PORT 3 /* where its threads' exceptions go */
#define TASK_BOOTSTRAP_PORT 4 /* its bootstrap port (Unix: the process port) */

#define THREAD_KERNEL_PORT    1 /* the thread's own port */
#define THREAD_EXCEPTION_PORT 3 /* this thread's exceptions, before the task's */

#endif /* _MACH_TASK_SPECIAL_PORTS_H_ */

/* SPDX-License-Identifier: MIT */
/*
 * <servers/bootstrap.h>: the bootstrap name service (bootstrap.defs), as a
 * client sees it: the C type of a service name, the classic return codes,
 * and the mig user stubs
 *
 *     kern_return_t bootstrap_register(mach_port_t bootstrap_port,
 *                                      const char *service_name,
 *                                      mach_port_t service_port);
 *     kern_return_t bootstrap_look_up(mach_port_t bootstrap_port,
 *                                     const char *service_name,
 *                                     mach_port_t *service_port);
 *
 * from libmach (generated header <servers/bootstrap_user.h>, included at
 * the end).  A task finds its bootstrap port with task_get_bootstrap_port().
 */
#ifndef _SERVERS_BOOTSTRAP_H_
#define _SERVERS_BOOTSTRAP_H_

#include <mach/task_special_ports.h>

/* A service name: at most BOOTSTRAP_NAME_MAX - 1 characters and a NUL
 * (bootstrap.defs: c_string[*:128]). */
#define BOOTSTRAP_NAME_MAX 128
typedef char name_t[BOOTSTRAP_NAME_MAX];

/* Return codes of the routines (classic values, beside the kern_return_t
 * and mig codes the stubs may also return). */
#define BOOTSTRAP_SUCCESS         0
#define BOOTSTRAP_NOT_PRIVILEGED  1100 /* an empty name or a null port */
#define BOOTSTRAP_NAME_IN_USE     1101 /* register: the name is taken */
#define BOOTSTRAP_UNKNOWN_SERVICE 1102 /* look_up: nothing (alive) under the name */

/* The task's bootstrap port (a new send right), as in classic Mach. */
#define task_get_bootstrap_port(task, port)                                                        \
    task_get_special_port((task), TASK_BOOTSTRAP_PORT, (port))

/* The generated stubs need name_t above; their header includes this one
 * back (bootstrap.defs imports it), which the include guard turns into a
 * no-op.  The server side (boot/bootstrap) sees the prototypes too. */
#include <servers/bootstrap_user.h>

#endif /* _SERVERS_BOOTSTRAP_H_ */

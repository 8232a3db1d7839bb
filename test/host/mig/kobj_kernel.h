/* SPDX-License-Identifier: MIT */
/* Kernel-side declarations kobj.defs imports (stand-ins for the host test). */
#ifndef KOBJ_KERNEL_H
#define KOBJ_KERNEL_H

#include <mach/std_types.h>

typedef struct task *task_t;
task_t convert_port_to_task(mach_port_t port);
void task_deallocate(task_t task);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Flavors of task_info() (mach.defs 2004), with GNU Mach's names, numbers
 * and field order.  A caller passes the room it has in *count (integer_t
 * units); the kernel returns how much it filled.  Times are Quay's 64-bit
 * time_value_t (<mach/mach_types.h>).
 */
#ifndef _MACH_TASK_INFO_H_
#define _MACH_TASK_INFO_H_

#include <mach/mach_types.h>

#define TASK_BASIC_INFO 1 /* struct task_basic_info */

struct task_basic_info {
    integer_t suspend_count;    /* the task's suspend count */
    integer_t base_priority;    /* base scheduling priority of its threads */
    vm_size_t virtual_size;     /* bytes of address space in use */
    vm_size_t resident_size;    /* bytes resident in memory */
    time_value_t user_time;     /* run time in user mode of its ended threads */
    time_value_t system_time;   /* run time in the kernel of its ended threads */
    time_value_t creation_time; /* when it was created (host_get_time's clock) */
};
typedef struct task_basic_info task_basic_info_data_t;
typedef struct task_basic_info *task_basic_info_t;

#define TASK_BASIC_INFO_COUNT                                                                      \
    ((mach_msg_type_number_t)(sizeof(task_basic_info_data_t) / sizeof(integer_t)))

_Static_assert(sizeof(task_basic_info_data_t) == 72, "task_basic_info is ABI");

#endif /* _MACH_TASK_INFO_H_ */

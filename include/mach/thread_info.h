/* SPDX-License-Identifier: MIT */
/*
 * Flavors of thread_info() (mach.defs 2017), with GNU Mach's names, numbers
 * and field order.  Counts are in integer_t units.
 */
#ifndef _MACH_THREAD_INFO_H_
#define _MACH_THREAD_INFO_H_

#include <mach/mach_types.h>

#define THREAD_BASIC_INFO 1 /* struct thread_basic_info */

struct thread_basic_info {
    time_value_t user_time;     /* run time in user mode */
    time_value_t system_time;   /* run time in the kernel */
    integer_t cpu_usage;        /* scaled cpu usage percentage */
    integer_t base_priority;    /* base scheduling priority */
    integer_t cur_priority;     /* current scheduling priority */
    integer_t run_state;        /* TH_STATE_* below */
    integer_t flags;            /* TH_FLAGS_* below */
    integer_t suspend_count;    /* the thread's own suspend count */
    integer_t sleep_time;       /* seconds it has been asleep */
    integer_t reserved;         /* zero: keeps creation_time 64-bit aligned */
    time_value_t creation_time; /* when it was created */
};
typedef struct thread_basic_info thread_basic_info_data_t;
typedef struct thread_basic_info *thread_basic_info_t;

#define THREAD_BASIC_INFO_COUNT                                                                    \
    ((mach_msg_type_number_t)(sizeof(thread_basic_info_data_t) / sizeof(integer_t)))

/* run_state */
#define TH_STATE_RUNNING         1 /* running or ready to run */
#define TH_STATE_STOPPED         2 /* suspended (and not running) */
#define TH_STATE_WAITING         3 /* waiting, interruptibly */
#define TH_STATE_UNINTERRUPTIBLE 4 /* waiting, uninterruptibly */
#define TH_STATE_HALTED          5 /* terminated */

/* flags */
#define TH_FLAGS_SWAPPED 0x1 /* kernel stack swapped out */
#define TH_FLAGS_IDLE    0x2 /* an idle thread */

_Static_assert(sizeof(thread_basic_info_data_t) == 80, "thread_basic_info is ABI");

#endif /* _MACH_THREAD_INFO_H_ */

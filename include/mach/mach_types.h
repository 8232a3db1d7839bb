/* SPDX-License-Identifier: MIT */
/*
 * The C types behind include/mach/mach_types.defs: kernel-object names and
 * the data the kernel interfaces carry.
 *
 * In user space a task, thread, host or address map is named by a send
 * right, so task_t and friends are mach_port_t.  The kernel (MACH_KERNEL)
 * has pointer types of the same names in <kern/mach_port_kernel.h>.
 */
#ifndef _MACH_MACH_TYPES_H_
#define _MACH_MACH_TYPES_H_

#include <stdint.h>
#include <mach/std_types.h>
#include <mach/task_special_ports.h>
#include <mach/thread_status.h>
#include <mach/vm_inherit.h>
#include <mach/vm_prot.h>
#include <mach/vm_statistics.h>

#ifndef MACH_KERNEL
typedef mach_port_t task_t;
typedef mach_port_t thread_t;
typedef mach_port_t host_t;
typedef mach_port_t host_priv_t;
typedef mach_port_t ipc_space_t;
typedef mach_port_t vm_map_t;
#endif
typedef task_t vm_task_t;
typedef mach_port_t memory_object_name_t;

typedef thread_t *thread_array_t;

/* Flavored information: at most 1024 integers, laid out by the flavor. */
#define MACH_INFO_MAX 1024
typedef int task_flavor_t;
typedef integer_t *task_info_t;
typedef int thread_flavor_t;
typedef integer_t *thread_info_t;
typedef int host_flavor_t;
typedef integer_t *host_info_t;

typedef int task_special_port_t;

typedef char kernel_version_t[512];

/* A boot module's command line, NUL-terminated. */
typedef char boot_module_cmdline_t[1024];

/* Time as host_get_time() reports it. */
typedef struct time_value {
    int64_t seconds;
    int64_t microseconds;
} time_value_t;

/*
 * Counts of live IPC and kernel objects (quay.defs host_ipc_stats), for
 * leak checks: run a test, then compare with the counts from before.
 */
typedef struct host_ipc_stats {
    natural_t his_ports;   /* ports, including kernel-object ports */
    natural_t his_psets;   /* port sets */
    natural_t his_entries; /* names in use, over all IPC spaces */
    natural_t his_kmsgs;   /* messages allocated (queued or in transit) */
    natural_t his_tasks;   /* tasks */
    natural_t his_threads; /* threads */
    natural_t his_spaces;  /* IPC spaces */
    natural_t his_paged;   /* anonymous objects with a default-pager object: each
                            * keeps 2 ports (its control port, its memory
                            * object port) and 2 names (the pager's) alive,
                            * which leak checks subtract (HIS_PAGED_*) */
} host_ipc_stats_t;

/* What one paged anonymous object (his_paged) adds to his_ports and
 * his_entries while it lives: it is the system's state, not a leak. */
#define HIS_PAGED_PORTS   2
#define HIS_PAGED_ENTRIES 2

_Static_assert(sizeof(time_value_t) == 16, "time_value_t: 2 x 64 bits");
_Static_assert(sizeof(host_ipc_stats_t) == 32, "host_ipc_stats_t: 8 x 32 bits");

/* The flavors of task_info, thread_info and host_info (they need time_value_t). */
#include <mach/host_info.h>
#include <mach/task_info.h>
#include <mach/thread_info.h>

#endif /* _MACH_MACH_TYPES_H_ */

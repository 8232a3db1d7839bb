/* SPDX-License-Identifier: MIT */
/*
 * Flavors of host_info() (mach_host.defs 2600), with GNU Mach's names,
 * numbers and field order.  Counts are in integer_t units.
 */
#ifndef _MACH_HOST_INFO_H_
#define _MACH_HOST_INFO_H_

#include <mach/mach_types.h>

#define HOST_BASIC_INFO 1 /* struct host_basic_info */

struct host_basic_info {
    integer_t max_cpus;    /* CPUs the machine has */
    integer_t avail_cpus;  /* CPUs running now */
    vm_size_t memory_size; /* bytes of physical memory */
    integer_t cpu_type;    /* CPU_TYPE_* (machine-dependent) */
    integer_t cpu_subtype; /* CPU_SUBTYPE_* */
};
typedef struct host_basic_info host_basic_info_data_t;
typedef struct host_basic_info *host_basic_info_t;

#define HOST_BASIC_INFO_COUNT                                                                      \
    ((mach_msg_type_number_t)(sizeof(host_basic_info_data_t) / sizeof(integer_t)))

_Static_assert(sizeof(host_basic_info_data_t) == 24, "host_basic_info is ABI");

#endif /* _MACH_HOST_INFO_H_ */

/* SPDX-License-Identifier: MIT */
/*
 * System-wide page counts as vm_statistics() (mach.defs 2028) reports them,
 * with GNU Mach's field names and order.  Counts are in pages, events since
 * boot; a 32-bit counter wraps.  Fields Quay does not count yet are 0 (see
 * kern/vm/vm_user.c, vm_statistics_internal).
 */
#ifndef _MACH_VM_STATISTICS_H_
#define _MACH_VM_STATISTICS_H_

#include <mach/vm_types.h>

struct vm_statistics {
    integer_t pagesize;        /* bytes per page */
    integer_t free_count;      /* pages free */
    integer_t active_count;    /* pages in use by memory objects */
    integer_t inactive_count;  /* pages on the inactive queue */
    integer_t wire_count;      /* pages that cannot be paged out */
    integer_t zero_fill_count; /* pages zero-filled on demand */
    integer_t reactivations;   /* inactive pages made active again */
    integer_t pageins;         /* pages read from pagers */
    integer_t pageouts;        /* pages written to pagers */
    integer_t faults;          /* page faults */
    integer_t cow_faults;      /* copy-on-write faults */
    integer_t lookups;         /* object cache lookups */
    integer_t hits;            /* object cache hits */
};
typedef struct vm_statistics vm_statistics_data_t;
typedef struct vm_statistics *vm_statistics_t;

#define VM_STATISTICS_COUNT                                                                        \
    ((mach_msg_type_number_t)(sizeof(vm_statistics_data_t) / sizeof(integer_t)))

_Static_assert(sizeof(vm_statistics_data_t) == 13 * 4, "vm_statistics is ABI: 13 x integer_t");

#endif /* _MACH_VM_STATISTICS_H_ */

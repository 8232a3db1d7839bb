/* SPDX-License-Identifier: MIT
 *
 * What default_pager_info (default_pager.defs) reports.  Sizes in pages of
 * dpi_page_size bytes.
 */
#ifndef _SERVERS_DEFAULT_PAGER_TYPES_H_
#define _SERVERS_DEFAULT_PAGER_TYPES_H_

#include <mach/std_types.h>

typedef struct default_pager_info {
    natural_t dpi_total_space; /* pages of backing store */
    natural_t dpi_free_space;  /* ...of them free */
    natural_t dpi_page_size;   /* bytes */
    natural_t dpi_objects;     /* memory objects it holds (created, not terminated) */
    natural_t dpi_disk;        /* 1: the store is a disk; 0: the pager's own memory */
    natural_t dpi_pages_in;    /* data_request answers with data since it started */
    natural_t dpi_pages_out;   /* data_initialize / data_return stored since then */
    natural_t dpi_refused;     /* pages that found the store full (kept in its memory) */
} default_pager_info_t;

#define DEFAULT_PAGER_SERVICE "default-pager"

#endif

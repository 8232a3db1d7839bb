/* SPDX-License-Identifier: MIT
 *
 * Zones: allocators for fixed-size kernel objects (Mach's zalloc, built as
 * slabs).  A zone hands out elements of one size from slabs of 1..8
 * physically contiguous pages reached through the direct map; a slab's
 * header sits at its start, so zfree() finds it by rounding the element's
 * address down.  Each zone has its own lock and counters, which tests and
 * leak checks read through zone_get_stats().  zalloc.c.
 */
#ifndef _KERN_ZALLOC_H_
#define _KERN_ZALLOC_H_

#include <kern/types.h>

#define ZONE_ELEM_MAX 8192 /* largest element a zone can hold */

struct zone;

struct zone_stats {
    const char *zs_name;
    size_t zs_elem_size; /* bytes per element, after rounding */
    size_t zs_in_use;    /* elements allocated and not freed */
    size_t zs_free;      /* free elements in the zone's slabs */
    size_t zs_pages;     /* pages the zone holds */
    size_t zs_allocs;    /* zalloc calls that succeeded, ever */
};

/* Sets up the zone of zones.  After the page allocator; boot CPU, once. */
void zone_bootstrap(void);

/* Creates a zone of elements of elem_size bytes aligned to align (a power
 * of two up to PAGE_SIZE; elements are always at least 8-byte aligned).  `name` must outlive the
 * zone. Returns NULL if elem_size is 0 or above ZONE_ELEM_MAX, align is bad, or memory is short.
 * Takes the zone-list lock. */
struct zone *zone_create(const char *name, size_t elem_size, size_t align);

/* Destroys an empty zone, returning its pages.  Panics if elements are
 * still allocated (a leak in the caller). */
void zone_destroy(struct zone *z);

/* Allocates one element (not zeroed); NULL when memory is short.  Takes
 * the zone's lock (rank ZONE) and, to grow, the page allocator's: the
 * caller may hold locks of rank below ZONE only. */
void *zalloc(struct zone *z);

/* Frees an element of z.  Panics if elem did not come from z, or (in debug
 * builds) was already free.  Takes the zone's lock, then maybe the page
 * allocator's to release an empty slab. */
void zfree(struct zone *z, void *elem);

/* Returns the zone's cached empty slabs to the page allocator. */
void zone_drain(struct zone *z);

/* A consistent snapshot of z's counters. */
void zone_get_stats(struct zone *z, struct zone_stats *out);

/* A snapshot of the counters of the zone called `name` (the first one, if
 * several share it), for code that counts objects of a zone it does not
 * own (host_ipc_stats: tasks, threads).  false if there is none.  Takes the
 * zone-list lock, then the zone's. */
bool zone_find_stats(const char *name, struct zone_stats *out);

/* Prints one line of counters per zone. */
void zone_print_all(void);

#endif

/* SPDX-License-Identifier: MIT
 *
 * General kernel memory, Mach style: the caller passes the size to kfree as
 * well as to kalloc, so no header is stored with the block.  Sizes up to
 * KALLOC_ZONE_MAX come from power-of-two zones ("kalloc.16" ...
 * "kalloc.2048"), larger ones from the kernel arena (kmem) in whole pages.
 * kalloc.c.
 */
#ifndef _KERN_KALLOC_H_
#define _KERN_KALLOC_H_

#include <kern/types.h>

#define KALLOC_MIN      16           /* smallest zone */
#define KALLOC_ZONE_MAX 2048         /* largest zone; above that, kmem */
#define KALLOC_MAX      (1ull << 30) /* larger requests are refused */

/* Creates the kalloc zones.  After zone_bootstrap and kmem_bootstrap. */
void kalloc_bootstrap(void);

/* Allocates size bytes, aligned to the smaller of the zone size and 64
 * bytes (page aligned above KALLOC_ZONE_MAX); not zeroed.  Returns NULL
 * when size is 0 or above KALLOC_MAX, or memory is short.  Takes a zone
 * lock or the arena's: the caller may hold locks below rank KMEM only. */
void *kalloc(size_t size);

/* Frees p, which kalloc(size) returned, with the same size.  kfree(NULL, n)
 * does nothing.  Panics when p and size do not match an allocation (as far
 * as the zone or arena can tell). */
void kfree(void *p, size_t size);

#endif

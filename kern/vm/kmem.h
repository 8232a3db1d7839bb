/* SPDX-License-Identifier: MIT
 *
 * The kernel virtual arena: page-granular kernel memory in
 * [KVA_BASE, KVA_BASE + KVA_SIZE), backed by pages that need not be
 * physically contiguous, for what is too big for a zone (large kalloc) or
 * wants unmapped guard pages around it (kernel stacks).  kmem.c.
 */
#ifndef _VM_KMEM_H_
#define _VM_KMEM_H_

#include <kern/types.h>

/* kmem_alloc flags */
#define KMEM_GUARD 0x1 /* leave an unmapped page just below and just above */

/* Sets up the arena; after zone_bootstrap(), which it takes its extent
 * records from. */
void kmem_bootstrap(void);

/* Allocates size bytes (rounded up to pages) of zeroed, read-write,
 * no-execute kernel memory and returns its address, or NULL when out of
 * memory or address space (or size is 0).  With KMEM_GUARD, touching the
 * page just below or just above the block faults.  Takes and drops the
 * arena lock (KMEM), then the kernel pmap and page allocator locks; the
 * caller may hold none of rank KMEM or above. */
void *kmem_alloc(size_t size, unsigned flags);

/* Frees memory from kmem_alloc(size, flags) given the same size.  Panics on
 * an address or size that kmem_alloc did not return.  Same locks. */
void kmem_free(void *va, size_t size);

/* Reserves size bytes (rounded up to pages) of arena address space with
 * nothing mapped in it, for the caller to map with pmap_kenter(); 0 when
 * the arena is full or size is 0.  Takes the arena lock. */
vaddr_t kmem_va_alloc(size_t size);

/* Returns a reservation from kmem_va_alloc; the caller has unmapped it. */
void kmem_va_free(vaddr_t va, size_t size);

struct kmem_stats {
    size_t ks_blocks;   /* allocations and reservations outstanding */
    size_t ks_va_bytes; /* address space they hold, guard pages included */
    size_t ks_pages;    /* physical pages backing kmem_alloc blocks */
};

/* A snapshot of the arena's counters. */
void kmem_get_stats(struct kmem_stats *out);

#endif

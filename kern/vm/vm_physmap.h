/* SPDX-License-Identifier: MIT
 *
 * Sets of physical address ranges, for turning the boot memory map into
 * usable RAM (vm_page.c) and deciding what the direct map covers (pmap.c).
 * Pure code: no locks, no printing, tested on the host.
 */
#ifndef _VM_VM_PHYSMAP_H_
#define _VM_VM_PHYSMAP_H_

#include <kern/types.h>

struct phys_range {
    paddr_t start, end; /* end exclusive */
};

/* A set of disjoint ranges, sorted by address once normalized. */
struct phys_set {
    struct phys_range *r;
    unsigned n, cap;
};

/* Appends [start, end) (empty ranges are ignored); false when the set is
 * full.  Call phys_set_normalize() after a series of adds. */
bool phys_set_add(struct phys_set *s, paddr_t start, paddr_t end);

/* Sorts the ranges and merges those that overlap or touch. */
void phys_set_normalize(struct phys_set *s);

/* Removes [start, end) from a normalized set, which stays normalized.  When
 * a range would split and the set is full, the smaller piece is dropped:
 * losing a little memory is safe, keeping a reserved range is not. */
void phys_set_subtract(struct phys_set *s, paddr_t start, paddr_t end);

/* Shrinks every range inward to multiples of align (a power of two),
 * dropping those that vanish. */
void phys_set_align_inward(struct phys_set *s, uint64_t align);

/* Bytes of [start, end) covered by the set. */
uint64_t phys_set_overlap(const struct phys_set *s, paddr_t start, paddr_t end);

#endif

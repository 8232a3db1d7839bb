/* SPDX-License-Identifier: MIT
 *
 * The range bookkeeping of a vm_map (vm_map_store.c): a set of disjoint
 * half-open address ranges [start, end) in an AVL tree keyed by start, with
 * the queries the map needs -- which range holds an address, is a range
 * free, is it fully covered, where is a free gap of a given size and
 * alignment.  Pure (no locks, no allocation, no knowledge of what a range
 * maps), so test/host/vm/ runs it unchanged; the owning map's lock
 * serializes every call.
 *
 * A struct vm_map_links is embedded first in struct vm_map_entry.  Its start
 * is the tree key, so it never changes while the links are in a tree; the
 * end may (clipping shortens an entry from above).
 */
#ifndef _VM_VM_MAP_STORE_H_
#define _VM_VM_MAP_STORE_H_

#include <kern/types.h>
#include <lib/avl.h>

struct vm_map_links {
    struct avl_node vml_node; /* an_key is the start address */
    vaddr_t vml_end;          /* exclusive */
};

static inline vaddr_t
vml_start(const struct vm_map_links *l)
{
    return (vaddr_t)l->vml_node.an_key;
}

static inline struct vm_map_links *
vml_from_node(const struct avl_node *n)
{
    return n != NULL ? container_of(n, struct vm_map_links, vml_node) : NULL;
}

/* The ranges after / before l in address order, or NULL. */
static inline struct vm_map_links *
vml_next(const struct vm_map_links *l)
{
    return vml_from_node(avl_next(&l->vml_node));
}

static inline struct vm_map_links *
vml_prev(const struct vm_map_links *l)
{
    return vml_from_node(avl_prev(&l->vml_node));
}

/* Adds l, whose [start, end) must not overlap a range in t (asserted). */
void vm_map_store_insert(struct avl_tree *t, struct vm_map_links *l, vaddr_t start, vaddr_t end);

/* Removes l from t. */
void vm_map_store_remove(struct avl_tree *t, struct vm_map_links *l);

/* The range holding addr, or NULL. */
struct vm_map_links *vm_map_store_lookup(const struct avl_tree *t, vaddr_t addr);

/* The first range that ends above addr (the one holding addr, else the next
 * one up), or NULL: where a walk over [addr, ...) starts. */
struct vm_map_links *vm_map_store_first_from(const struct avl_tree *t, vaddr_t addr);

/* True if no range overlaps [start, end) (start < end). */
bool vm_map_store_range_free(const struct avl_tree *t, vaddr_t start, vaddr_t end);

/* True if the ranges cover [start, end) (start < end) with no hole. */
bool vm_map_store_range_covered(const struct avl_tree *t, vaddr_t start, vaddr_t end);

/* First fit: the lowest address a >= hint with a & mask == 0 such that
 * [a, a + size) lies in [min, max) and overlaps no range.  Writes *addr and
 * returns true, or returns false.  size > 0; mask + 1 is a power of two.
 * Linear in the ranges above hint (TODO, VM issue: keep the largest gap of
 * each subtree in the tree for O(log n)). */
bool vm_map_store_find_space(const struct avl_tree *t, vaddr_t min, vaddr_t max, vaddr_t hint,
                             vaddr_t size, vaddr_t mask, vaddr_t *addr);

#endif

/* SPDX-License-Identifier: MIT
 *
 * Intrusive AVL trees keyed by a 64-bit integer (avl.c).  The caller embeds
 * a struct avl_node in its object, sets an_key, and finds the object again
 * with container_of().  Keys are unique within a tree.  Every operation is
 * O(log n); avl_next/avl_prev walk in key order through the parent links,
 * O(1) amortized.  No locks and no allocation: the owner of the tree
 * serializes access (a vm_map's lock for map entries, a vm_object's lock
 * for its resident pages).  Pure, so the host tests (test/host/vm/) build it
 * unchanged.
 */
#ifndef _LIB_AVL_H_
#define _LIB_AVL_H_

#include <kern/types.h>

struct avl_node {
    struct avl_node *an_left, *an_right, *an_parent;
    uint64_t an_key; /* set by the caller before avl_insert; constant while in the tree */
    int an_height;   /* 1 for a leaf */
};

struct avl_tree {
    struct avl_node *at_root;
    size_t at_count;
};

static inline void
avl_init(struct avl_tree *t)
{
    t->at_root = NULL;
    t->at_count = 0;
}

/* Inserts n (with n->an_key set).  Returns false, changing nothing, if a
 * node with the same key is already in t. */
bool avl_insert(struct avl_tree *t, struct avl_node *n);

/* Removes n, which must be in t. */
void avl_remove(struct avl_tree *t, struct avl_node *n);

/* The node with key `key`, or NULL. */
struct avl_node *avl_find(const struct avl_tree *t, uint64_t key);

/* The node with the greatest key <= `key`, or NULL if every key is greater. */
struct avl_node *avl_find_le(const struct avl_tree *t, uint64_t key);

/* The node with the least key >= `key`, or NULL if every key is smaller. */
struct avl_node *avl_find_ge(const struct avl_tree *t, uint64_t key);

/* First / last node in key order, or NULL when t is empty. */
struct avl_node *avl_first(const struct avl_tree *t);
struct avl_node *avl_last(const struct avl_tree *t);

/* The node after / before n in key order, or NULL. */
struct avl_node *avl_next(const struct avl_node *n);
struct avl_node *avl_prev(const struct avl_node *n);

/* Checks parent links, key order, heights, balance and the count; returns
 * false on the first violation.  For tests. */
bool avl_check(const struct avl_tree *t);

#endif

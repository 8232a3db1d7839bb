// SPDX-License-Identifier: MIT
//
// AVL trees with parent links (see avl.h).  Insertion and removal change the
// shape only along one path, then walk that path back to the root,
// recomputing heights and rotating wherever the two subtrees of a node
// differ in height by two.  Walking all the way up (instead of stopping
// once a height stops changing) costs nothing asymptotically and keeps the
// code short enough to check by eye.

#include <lib/avl.h>

static int
height(const struct avl_node *n)
{
    return n != NULL ? n->an_height : 0;
}

static void
update_height(struct avl_node *n)
{
    n->an_height = 1 + MAX(height(n->an_left), height(n->an_right));
}

// Makes `new` take the place of `old` below `parent` (or at the root).
static void
replace_child(struct avl_tree *t, struct avl_node *parent, struct avl_node *old,
              struct avl_node *new)
{
    if (parent == NULL)
        t->at_root = new;
    else if (parent->an_left == old)
        parent->an_left = new;
    else
        parent->an_right = new;
    if (new != NULL)
        new->an_parent = parent;
}

// x's right child y becomes the root of the subtree; returns y.
static struct avl_node *
rotate_left(struct avl_tree *t, struct avl_node *x)
{
    struct avl_node *y = x->an_right;

    x->an_right = y->an_left;
    if (y->an_left != NULL)
        y->an_left->an_parent = x;
    replace_child(t, x->an_parent, x, y);
    y->an_left = x;
    x->an_parent = y;
    update_height(x);
    update_height(y);
    return y;
}

// Mirror of rotate_left.
static struct avl_node *
rotate_right(struct avl_tree *t, struct avl_node *x)
{
    struct avl_node *y = x->an_left;

    x->an_left = y->an_right;
    if (y->an_right != NULL)
        y->an_right->an_parent = x;
    replace_child(t, x->an_parent, x, y);
    y->an_right = x;
    x->an_parent = y;
    update_height(x);
    update_height(y);
    return y;
}

// Restores the balance of the subtree at n, whose children are balanced;
// returns the subtree's new root.
static struct avl_node *
rebalance_node(struct avl_tree *t, struct avl_node *n)
{
    int balance = height(n->an_left) - height(n->an_right);

    update_height(n);
    if (balance > 1) {
        if (height(n->an_left->an_left) < height(n->an_left->an_right))
            rotate_left(t, n->an_left);
        return rotate_right(t, n);
    }
    if (balance < -1) {
        if (height(n->an_right->an_right) < height(n->an_right->an_left))
            rotate_right(t, n->an_right);
        return rotate_left(t, n);
    }
    return n;
}

static void
rebalance_up(struct avl_tree *t, struct avl_node *n)
{
    while (n != NULL)
        n = rebalance_node(t, n)->an_parent;
}

bool
avl_insert(struct avl_tree *t, struct avl_node *n)
{
    struct avl_node *parent = NULL, **link = &t->at_root;

    while (*link != NULL) {
        parent = *link;
        if (n->an_key == parent->an_key)
            return false;
        link = n->an_key < parent->an_key ? &parent->an_left : &parent->an_right;
    }
    n->an_left = n->an_right = NULL;
    n->an_parent = parent;
    n->an_height = 1;
    *link = n;
    t->at_count++;
    rebalance_up(t, parent);
    return true;
}

void
avl_remove(struct avl_tree *t, struct avl_node *n)
{
    struct avl_node *start;

    if (n->an_left == NULL || n->an_right == NULL) {
        start = n->an_parent;
        replace_child(t, start, n, n->an_left != NULL ? n->an_left : n->an_right);
    } else {
        // Two children: n's successor s (leftmost of the right subtree, so
        // it has no left child) leaves its place and takes n's.
        struct avl_node *s = n->an_right;
        while (s->an_left != NULL)
            s = s->an_left;
        struct avl_node *sp = s->an_parent;
        replace_child(t, sp, s, s->an_right);
        s->an_left = n->an_left;
        s->an_right = n->an_right; // re-read: may have changed if sp == n
        s->an_left->an_parent = s;
        if (s->an_right != NULL)
            s->an_right->an_parent = s;
        replace_child(t, n->an_parent, n, s);
        s->an_height = n->an_height;
        start = sp == n ? s : sp;
    }
    n->an_left = n->an_right = n->an_parent = NULL;
    t->at_count--;
    rebalance_up(t, start);
}

struct avl_node *
avl_find(const struct avl_tree *t, uint64_t key)
{
    struct avl_node *n = t->at_root;

    while (n != NULL && n->an_key != key)
        n = key < n->an_key ? n->an_left : n->an_right;
    return n;
}

struct avl_node *
avl_find_le(const struct avl_tree *t, uint64_t key)
{
    struct avl_node *n = t->at_root, *best = NULL;

    while (n != NULL) {
        if (n->an_key == key)
            return n;
        if (n->an_key < key) {
            best = n;
            n = n->an_right;
        } else {
            n = n->an_left;
        }
    }
    return best;
}

struct avl_node *
avl_find_ge(const struct avl_tree *t, uint64_t key)
{
    struct avl_node *n = t->at_root, *best = NULL;

    while (n != NULL) {
        if (n->an_key == key)
            return n;
        if (n->an_key > key) {
            best = n;
            n = n->an_left;
        } else {
            n = n->an_right;
        }
    }
    return best;
}

struct avl_node *
avl_first(const struct avl_tree *t)
{
    struct avl_node *n = t->at_root;

    while (n != NULL && n->an_left != NULL)
        n = n->an_left;
    return n;
}

struct avl_node *
avl_last(const struct avl_tree *t)
{
    struct avl_node *n = t->at_root;

    while (n != NULL && n->an_right != NULL)
        n = n->an_right;
    return n;
}

struct avl_node *
avl_next(const struct avl_node *n)
{
    if (n->an_right != NULL) {
        n = n->an_right;
        while (n->an_left != NULL)
            n = n->an_left;
        return (struct avl_node *)n;
    }
    while (n->an_parent != NULL && n->an_parent->an_right == n)
        n = n->an_parent;
    return n->an_parent;
}

struct avl_node *
avl_prev(const struct avl_node *n)
{
    if (n->an_left != NULL) {
        n = n->an_left;
        while (n->an_right != NULL)
            n = n->an_right;
        return (struct avl_node *)n;
    }
    while (n->an_parent != NULL && n->an_parent->an_left == n)
        n = n->an_parent;
    return n->an_parent;
}

// Checks the subtree at n with keys in (lo, hi) (bounds open when have_*
// is false); returns its height, or -1 on a violation, and counts nodes.
static int
check_subtree(const struct avl_node *n, const struct avl_node *parent, bool have_lo, uint64_t lo,
              bool have_hi, uint64_t hi, size_t *count)
{
    if (n == NULL)
        return 0;
    if (n->an_parent != parent || (have_lo && n->an_key <= lo) || (have_hi && n->an_key >= hi))
        return -1;
    (*count)++;
    int l = check_subtree(n->an_left, n, have_lo, lo, true, n->an_key, count);
    int r = check_subtree(n->an_right, n, true, n->an_key, have_hi, hi, count);
    if (l < 0 || r < 0 || l - r > 1 || r - l > 1 || n->an_height != 1 + MAX(l, r))
        return -1;
    return n->an_height;
}

bool
avl_check(const struct avl_tree *t)
{
    size_t count = 0;

    return check_subtree(t->at_root, NULL, false, 0, false, 0, &count) >= 0 && count == t->at_count;
}

// SPDX-License-Identifier: MIT
//
// Range bookkeeping for vm_map (see vm_map_store.h).  Ranges are disjoint,
// so ordering them by start orders them by end too: the range holding an
// address, if any, is the one with the greatest start <= the address.

#include <vm/vm_map_store.h>
#include <kern/assert.h>

void
vm_map_store_insert(struct avl_tree *t, struct vm_map_links *l, vaddr_t start, vaddr_t end)
{
    assert(start < end && vm_map_store_range_free(t, start, end));
    l->vml_node.an_key = start;
    l->vml_end = end;
    if (!avl_insert(t, &l->vml_node))
        panic("vm_map_store_insert: duplicate start %#lx", start);
}

void
vm_map_store_remove(struct avl_tree *t, struct vm_map_links *l)
{
    avl_remove(t, &l->vml_node);
}

struct vm_map_links *
vm_map_store_lookup(const struct avl_tree *t, vaddr_t addr)
{
    struct vm_map_links *l = vml_from_node(avl_find_le(t, addr));

    return l != NULL && addr < l->vml_end ? l : NULL;
}

struct vm_map_links *
vm_map_store_first_from(const struct avl_tree *t, vaddr_t addr)
{
    struct vm_map_links *l = vml_from_node(avl_find_le(t, addr));

    if (l != NULL && addr < l->vml_end)
        return l;
    return vml_from_node(l != NULL ? avl_next(&l->vml_node) : avl_first(t));
}

bool
vm_map_store_range_free(const struct avl_tree *t, vaddr_t start, vaddr_t end)
{
    struct vm_map_links *l = vm_map_store_first_from(t, start);

    return l == NULL || vml_start(l) >= end;
}

bool
vm_map_store_range_covered(const struct avl_tree *t, vaddr_t start, vaddr_t end)
{
    struct vm_map_links *l = vm_map_store_lookup(t, start);

    while (l != NULL && l->vml_end < end) {
        struct vm_map_links *next = vml_next(l);
        if (next == NULL || vml_start(next) != l->vml_end)
            return false; // a hole after l
        l = next;
    }
    return l != NULL;
}

// *out = the first address >= a with a & mask == 0; false if that overflows.
static bool
align_up(vaddr_t a, vaddr_t mask, vaddr_t *out)
{
    if (a > UINTPTR_MAX - mask)
        return false;
    *out = (a + mask) & ~mask;
    return true;
}

bool
vm_map_store_find_space(const struct avl_tree *t, vaddr_t min, vaddr_t max, vaddr_t hint,
                        vaddr_t size, vaddr_t mask, vaddr_t *addr)
{
    vaddr_t a;

    assert(size > 0 && (mask & (mask + 1)) == 0);
    if (!align_up(MAX(hint, min), mask, &a))
        return false;
    for (struct vm_map_links *l = vm_map_store_first_from(t, a);; l = vml_next(l)) {
        if (a >= max || size > max - a)
            return false;
        if (l == NULL || a + size <= vml_start(l)) {
            *addr = a;
            return true;
        }
        if (!align_up(l->vml_end, mask, &a))
            return false;
    }
}

// SPDX-License-Identifier: MIT
//
// Physical range sets (see vm_physmap.h).  Sets are small (the memory map
// has at most BOOT_MEM_MAX entries), so insertion sort and linear scans are
// the clearest choice.

#include <vm/vm_physmap.h>

bool
phys_set_add(struct phys_set *s, paddr_t start, paddr_t end)
{
    if (start >= end)
        return true;
    if (s->n == s->cap)
        return false;
    s->r[s->n++] = (struct phys_range){start, end};
    return true;
}

static void
remove_at(struct phys_set *s, unsigned i)
{
    for (unsigned j = i + 1; j < s->n; j++)
        s->r[j - 1] = s->r[j];
    s->n--;
}

void
phys_set_normalize(struct phys_set *s)
{
    for (unsigned i = 1; i < s->n; i++) {
        struct phys_range x = s->r[i];
        unsigned j = i;
        for (; j > 0 && s->r[j - 1].start > x.start; j--)
            s->r[j] = s->r[j - 1];
        s->r[j] = x;
    }
    for (unsigned i = 1; i < s->n;) {
        if (s->r[i].start <= s->r[i - 1].end) {
            s->r[i - 1].end = MAX(s->r[i - 1].end, s->r[i].end);
            remove_at(s, i);
        } else {
            i++;
        }
    }
}

// Replaces range i by the two pieces left of and right of the hole.
static void
split_at(struct phys_set *s, unsigned i, paddr_t start, paddr_t end)
{
    struct phys_range left = {s->r[i].start, start}, right = {end, s->r[i].end};

    if (s->n == s->cap) {
        s->r[i] = (left.end - left.start >= right.end - right.start) ? left : right;
        return;
    }
    for (unsigned j = s->n; j > i + 1; j--)
        s->r[j] = s->r[j - 1];
    s->n++;
    s->r[i] = left;
    s->r[i + 1] = right;
}

void
phys_set_subtract(struct phys_set *s, paddr_t start, paddr_t end)
{
    for (unsigned i = 0; i < s->n && start < end;) {
        struct phys_range *r = &s->r[i];
        if (end <= r->start || start >= r->end) {
            i++;
        } else if (start <= r->start && end >= r->end) {
            remove_at(s, i);
        } else if (start <= r->start) {
            r->start = end;
            i++;
        } else if (end >= r->end) {
            r->end = start;
            i++;
        } else {
            split_at(s, i, start, end);
            return;
        }
    }
}

void
phys_set_align_inward(struct phys_set *s, uint64_t align)
{
    for (unsigned i = 0; i < s->n;) {
        paddr_t a = ROUND_UP(s->r[i].start, align), b = ROUND_DOWN(s->r[i].end, align);
        if (a >= b || a < s->r[i].start) {
            remove_at(s, i);
        } else {
            s->r[i] = (struct phys_range){a, b};
            i++;
        }
    }
}

uint64_t
phys_set_overlap(const struct phys_set *s, paddr_t start, paddr_t end)
{
    uint64_t n = 0;

    for (unsigned i = 0; i < s->n; i++) {
        paddr_t a = MAX(start, s->r[i].start), b = MIN(end, s->r[i].end);
        if (a < b)
            n += b - a;
    }
    return n;
}

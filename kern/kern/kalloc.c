// SPDX-License-Identifier: MIT
//
// kalloc/kfree (see kalloc.h).  The size picks the allocator: the smallest
// power-of-two zone that fits, or the arena above KALLOC_ZONE_MAX, so kfree
// finds the same one from the same size.

#include <kern/kalloc.h>
#include <kern/assert.h>
#include <kern/zalloc.h>
#include <vm/kmem.h>

#define KALLOC_NZONES    8 /* 16, 32, ... 2048 */
#define KALLOC_ALIGN_MAX 64

_Static_assert(KALLOC_MIN << (KALLOC_NZONES - 1) == KALLOC_ZONE_MAX, "kalloc zone table");

static const char *const kalloc_names[KALLOC_NZONES] = {
    "kalloc.16",  "kalloc.32",  "kalloc.64",   "kalloc.128",
    "kalloc.256", "kalloc.512", "kalloc.1024", "kalloc.2048",
};
static struct zone *kalloc_zones[KALLOC_NZONES]; // constant after kalloc_bootstrap

void
kalloc_bootstrap(void)
{
    for (unsigned i = 0; i < KALLOC_NZONES; i++) {
        size_t size = (size_t)KALLOC_MIN << i;
        kalloc_zones[i] = zone_create(kalloc_names[i], size, MIN(size, KALLOC_ALIGN_MAX));
        if (kalloc_zones[i] == NULL)
            panic("kalloc_bootstrap: cannot create zone %s", kalloc_names[i]);
    }
}

// Index of the smallest zone holding size bytes (size <= KALLOC_ZONE_MAX).
static unsigned
zone_index(size_t size)
{
    unsigned i = 0;

    while (((size_t)KALLOC_MIN << i) < size)
        i++;
    return i;
}

void *
kalloc(size_t size)
{
    if (size == 0 || size > KALLOC_MAX)
        return NULL;
    if (size > KALLOC_ZONE_MAX)
        return kmem_alloc(size, 0);
    return zalloc(kalloc_zones[zone_index(size)]);
}

void
kfree(void *p, size_t size)
{
    if (p == NULL)
        return;
    if (size == 0 || size > KALLOC_MAX)
        panic("kfree: %p with impossible size %zu", p, size);
    if (size > KALLOC_ZONE_MAX)
        kmem_free(p, size);
    else
        zfree(kalloc_zones[zone_index(size)], p);
}

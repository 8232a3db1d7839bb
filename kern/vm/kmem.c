// SPDX-License-Identifier: MIT
//
// The kernel virtual arena (see kmem.h).
//
// The arena is a list, sorted by address, of extents that together tile
// [KVA_BASE, KVA_BASE + KVA_SIZE): each is free, a kmem_alloc block (with
// its guard pages, if any) or a bare reservation.  Allocation is first fit
// and carves the front of a free extent, so it needs at most one new record,
// which is taken from the extent zone before the lock (allocation can fail
// cleanly before anything changes).  Freeing merges with free neighbours
// and so never needs a record.  Linear search is fine for the few hundred
// extents of a young kernel; a tree replaces the list when it matters.
//
// Backing pages are allocated and mapped outside the arena lock: while that
// happens the extent already belongs to its caller.  kmem_free first marks
// the extent DYING under the lock (so a double free is caught), then unmaps
// and frees the pages, then returns the range.

#include <vm/kmem.h>
#include <vm/pmap.h>
#include <vm/vm_page.h>
#include <kern/assert.h>
#include <kern/spinlock.h>
#include <kern/zalloc.h>
#include <lib/string.h>

enum kmem_state { KE_FREE, KE_ALLOC, KE_VA, KE_DYING };

struct kmem_extent {
    /* All fields protected by kmem_lock. */
    struct kmem_extent *ke_next, *ke_prev;
    vaddr_t ke_start;
    size_t ke_size;   /* bytes, guard pages included */
    uint8_t ke_state; /* enum kmem_state */
    bool ke_guard;    /* one guard page at each end */
};

static struct spinlock kmem_lock = SPINLOCK_INIT("kmem", LOCK_RANK_KMEM);
static struct kmem_extent *kmem_extents; // protected by kmem_lock
static struct kmem_stats kmem_stats;     // protected by kmem_lock
static struct zone *kmem_extent_zone;    // constant after kmem_bootstrap

void
kmem_bootstrap(void)
{
    kmem_extent_zone = zone_create("kmem.extent", sizeof(struct kmem_extent), 0);
    struct kmem_extent *e = kmem_extent_zone ? zalloc(kmem_extent_zone) : NULL;
    if (e == NULL)
        panic("kmem_bootstrap: out of memory");
    *e = (struct kmem_extent){.ke_start = KVA_BASE, .ke_size = KVA_SIZE, .ke_state = KE_FREE};
    spin_lock(&kmem_lock);
    kmem_extents = e;
    spin_unlock(&kmem_lock);
}

// Splits free extent e: n takes its first `size` bytes.
static void
split_front_locked(struct kmem_extent *e, struct kmem_extent *n, size_t size)
{
    assert(spin_lock_held(&kmem_lock));
    n->ke_start = e->ke_start;
    n->ke_size = size;
    n->ke_next = e;
    n->ke_prev = e->ke_prev;
    if (e->ke_prev != NULL)
        e->ke_prev->ke_next = n;
    else
        kmem_extents = n;
    e->ke_prev = n;
    e->ke_start += size;
    e->ke_size -= size;
}

// Takes `size` bytes of address space as a `state` extent; 0 if none.
static vaddr_t
arena_alloc(size_t size, enum kmem_state state, bool guard)
{
    struct kmem_extent *n = zalloc(kmem_extent_zone), *e;

    if (n == NULL)
        return 0;
    spin_lock(&kmem_lock);
    for (e = kmem_extents; e != NULL; e = e->ke_next) {
        if (e->ke_state == KE_FREE && e->ke_size >= size)
            break;
    }
    if (e != NULL && e->ke_size > size) {
        split_front_locked(e, n, size);
        e = n;
        n = NULL;
    }
    if (e != NULL) {
        e->ke_state = (uint8_t)state;
        e->ke_guard = guard;
        kmem_stats.ks_blocks++;
        kmem_stats.ks_va_bytes += size;
    }
    spin_unlock(&kmem_lock);
    if (n != NULL)
        zfree(kmem_extent_zone, n);
    return e != NULL ? e->ke_start : 0;
}

// The extent starting at `start`, which must be in state `state` and of
// `size` bytes: anything else is a kernel bug (double or mismatched free).
static struct kmem_extent *
find_locked(vaddr_t start, size_t size, enum kmem_state state)
{
    assert(spin_lock_held(&kmem_lock));
    for (struct kmem_extent *e = kmem_extents; e != NULL; e = e->ke_next) {
        if (e->ke_start == start) {
            if (e->ke_state != state || e->ke_size != size)
                break;
            return e;
        }
    }
    panic("kmem: freeing %#lx size %#zx, which was not allocated so", start, size);
}

// Unlinks e's successor (free) into e; returns the record to release.
static struct kmem_extent *
merge_next_locked(struct kmem_extent *e)
{
    struct kmem_extent *n = e->ke_next;

    assert(spin_lock_held(&kmem_lock));
    e->ke_size += n->ke_size;
    e->ke_next = n->ke_next;
    if (n->ke_next != NULL)
        n->ke_next->ke_prev = e;
    return n;
}

// Returns the range of extent (start, size, state) to the free space.
static void
arena_free(vaddr_t start, size_t size, enum kmem_state state)
{
    struct kmem_extent *gone[2] = {NULL, NULL};

    spin_lock(&kmem_lock);
    struct kmem_extent *e = find_locked(start, size, state);
    e->ke_state = KE_FREE;
    kmem_stats.ks_blocks--;
    kmem_stats.ks_va_bytes -= size;
    if (e->ke_next != NULL && e->ke_next->ke_state == KE_FREE)
        gone[0] = merge_next_locked(e);
    if (e->ke_prev != NULL && e->ke_prev->ke_state == KE_FREE)
        gone[1] = merge_next_locked(e->ke_prev);
    spin_unlock(&kmem_lock);
    for (int i = 0; i < 2; i++) {
        if (gone[i] != NULL)
            zfree(kmem_extent_zone, gone[i]);
    }
}

vaddr_t
kmem_va_alloc(size_t size)
{
    if (size == 0 || size > KVA_SIZE)
        return 0;
    return arena_alloc(ROUND_UP(size, PAGE_SIZE), KE_VA, false);
}

void
kmem_va_free(vaddr_t va, size_t size)
{
    arena_free(va, ROUND_UP(size, PAGE_SIZE), KE_VA);
}

// Unmaps [va, va + size) and frees the pages that backed it.
static void
unmap_and_free(vaddr_t va, size_t size)
{
    for (vaddr_t p = va; p < va + size; p += PAGE_SIZE) {
        paddr_t pa;
        if (pmap_kextract(p, &pa))
            vm_page_free(vm_page_lookup(pa), 0);
    }
    pmap_kremove(va, size);
}

// Backs [va, va + size) with zeroed pages; false (nothing left mapped) if
// memory runs out.
static bool
map_pages(vaddr_t va, size_t size)
{
    for (vaddr_t p = va; p < va + size; p += PAGE_SIZE) {
        struct vm_page *pg = vm_page_alloc(0);
        if (pg == NULL || !pmap_kenter(p, vm_page_to_phys(pg), PMAP_KWRITE)) {
            if (pg != NULL)
                vm_page_free(pg, 0);
            unmap_and_free(va, p - va);
            return false;
        }
        memset(phys_to_virt(vm_page_to_phys(pg)), 0, PAGE_SIZE);
    }
    return true;
}

void *
kmem_alloc(size_t size, unsigned flags)
{
    bool guard = (flags & KMEM_GUARD) != 0;
    size_t g = guard ? PAGE_SIZE : 0;

    if (size == 0 || size > KVA_SIZE / 2)
        return NULL;
    size = ROUND_UP(size, PAGE_SIZE);
    vaddr_t start = arena_alloc(size + 2 * g, KE_ALLOC, guard);
    if (start == 0)
        return NULL;
    if (!map_pages(start + g, size)) {
        spin_lock(&kmem_lock);
        find_locked(start, size + 2 * g, KE_ALLOC)->ke_state = KE_DYING;
        spin_unlock(&kmem_lock);
        arena_free(start, size + 2 * g, KE_DYING);
        return NULL;
    }
    spin_lock(&kmem_lock);
    kmem_stats.ks_pages += size / PAGE_SIZE;
    spin_unlock(&kmem_lock);
    return (void *)(start + g);
}

// Marks the kmem_alloc block whose usable part is [v, v + size) DYING and
// returns its extent's range; false if there is no such block.
static bool
claim_locked(vaddr_t v, size_t size, vaddr_t *start, size_t *total)
{
    struct kmem_extent *e;

    assert(spin_lock_held(&kmem_lock));
    for (e = kmem_extents; e != NULL; e = e->ke_next) {
        if (v >= e->ke_start && v - e->ke_start < e->ke_size)
            break;
    }
    if (e == NULL || e->ke_state != KE_ALLOC)
        return false;
    size_t g = e->ke_guard ? PAGE_SIZE : 0;
    if (e->ke_start + g != v || e->ke_size != size + 2 * g)
        return false;
    e->ke_state = KE_DYING;
    kmem_stats.ks_pages -= size / PAGE_SIZE;
    *start = e->ke_start;
    *total = e->ke_size;
    return true;
}

void
kmem_free(void *va, size_t size)
{
    vaddr_t start;
    size_t total;

    size = ROUND_UP(size, PAGE_SIZE);
    spin_lock(&kmem_lock);
    bool ok = claim_locked((vaddr_t)va, size, &start, &total);
    spin_unlock(&kmem_lock);
    if (!ok)
        panic("kmem_free: %p size %#zx was not returned by kmem_alloc", va, size);
    unmap_and_free((vaddr_t)va, size);
    arena_free(start, total, KE_DYING);
}

void
kmem_get_stats(struct kmem_stats *out)
{
    spin_lock(&kmem_lock);
    *out = kmem_stats;
    spin_unlock(&kmem_lock);
}

// SPDX-License-Identifier: MIT
//
// Map copies (see vm_map_copy.h): vm_map_copyin snapshots a range of a map
// into a list of detached entries that reference the source's objects
// copy-on-write; vm_map_copyout enters them into another map.
//
// Decode, then commit.  vm_map_copyin checks the whole range (mapped,
// readable) under the source's lock before changing anything.  The copy's
// entries are allocated with the lock dropped: count, unlock, allocate,
// lock and check again (the map may have changed meanwhile), until enough
// are in hand; then the commit under the lock cannot fail.  With
// src_destroy the source's own entries move into the copy, so only the two
// clipping spares are needed.

#include <vm/vm_map_copy.h>
#include <vm/vm_map_internal.h>
#include <vm/vm_object.h>
#include <vm/pmap.h>
#include <kern/assert.h>
#include <kern/kalloc.h>

// Entries allocated for a copy before the commit.
struct entry_pool {
    struct vm_map_entry *head; // chained through vme_dead_next
    size_t count;
};

static bool
pool_fill(struct entry_pool *p, size_t want)
{
    while (p->count < want) {
        struct vm_map_entry *e = vm_map_entry_alloc();
        if (e == NULL)
            return false;
        e->vme_dead_next = p->head;
        p->head = e;
        p->count++;
    }
    return true;
}

static struct vm_map_entry *
pool_take(struct entry_pool *p)
{
    struct vm_map_entry *e = p->head;

    assert(e != NULL);
    p->head = e->vme_dead_next;
    p->count--;
    return e;
}

static void
pool_free(struct entry_pool *p)
{
    while (p->head != NULL)
        vm_map_entry_free(pool_take(p));
}

// Checks that [start, end) is mapped and readable; counts its entries.
static kern_return_t
copyin_check_locked(struct vm_map *map, vaddr_t start, vaddr_t end, size_t *count)
{
    assert_locked(&map->vmm_lock);
    if (!vm_map_store_range_covered(&map->vmm_entries, start, end))
        return KERN_INVALID_ADDRESS;
    *count = 0;
    for (struct vm_map_entry *e = vm_map_entry_first_locked(map, start);
         e != NULL && vme_start(e) < end; e = vm_map_entry_next(e)) {
        if ((e->vme_protection & VM_PROT_READ) == 0)
            return KERN_PROTECTION_FAILURE;
        (*count)++;
    }
    return KERN_SUCCESS;
}

// Gives ce the window [s, t) of source entry e, relative to base.
static void
copy_entry_set(struct vm_map_entry *ce, const struct vm_map_entry *e, vaddr_t s, vaddr_t t,
               vaddr_t base)
{
    *ce = *e;
    ce->vme_offset = e->vme_offset + (s - vme_start(e));
    ce->vme_links.vml_node.an_key = s - base;
    ce->vme_links.vml_end = t - base;
    ce->vme_needs_copy = true;
    ce->vme_is_shared = false;
    ce->vme_dead_next = NULL;
}

// Commit without src_destroy: one copy entry per source entry, each with a
// new object reference; the source entries become needs-copy.  Returns the
// chain in address order.
static struct vm_map_entry *
copyin_share_locked(struct vm_map *map, vaddr_t start, vaddr_t end, struct entry_pool *pool)
{
    struct vm_map_entry *head = NULL, **tail = &head;

    for (struct vm_map_entry *e = vm_map_entry_first_locked(map, start);
         e != NULL && vme_start(e) < end; e = vm_map_entry_next(e)) {
        struct vm_map_entry *ce = pool_take(pool);
        copy_entry_set(ce, e, MAX(start, vme_start(e)), MIN(end, vme_end(e)), start);
        vm_object_reference(e->vme_object);
        vm_map_entry_mark_needs_copy_locked(map, e);
        *tail = ce;
        tail = &ce->vme_dead_next;
    }
    map->vmm_timestamp++; // faults in progress must see the new flags
    return head;
}

// Commit with src_destroy: the range's entries leave the map for the copy.
static struct vm_map_entry *
copyin_move_locked(struct vm_map *map, vaddr_t start, vaddr_t end, struct vm_map_spares *s)
{
    struct vm_map_entry *first = vm_map_clip_range_locked(map, start, end, s);
    struct vm_map_entry *dead = vm_map_unlink_range_locked(map, first, end);
    struct vm_map_entry *head = NULL;

    pmap_remove(map->pmap, start, end);
    while (dead != NULL) { // highest first: reverse into address order
        struct vm_map_entry *next = dead->vme_dead_next;
        copy_entry_set(dead, dead, vme_start(dead), vme_end(dead), start);
        dead->vme_dead_next = head;
        head = dead;
        dead = next;
    }
    return head;
}

static struct vm_map_copy *
copy_alloc(vm_size_t len, vm_offset_t offset)
{
    struct vm_map_copy *c = kalloc(sizeof(*c));

    if (c != NULL)
        *c = (struct vm_map_copy){.vmc_size = len, .vmc_offset = offset};
    return c;
}

kern_return_t
vm_map_copyin(struct vm_map *src, vaddr_t addr, vm_size_t len, bool src_destroy,
              struct vm_map_copy **copy)
{
    struct entry_pool pool = {NULL, 0};
    struct vm_map_spares s = {{NULL, NULL}};
    vaddr_t start = ROUND_DOWN(addr, PAGE_SIZE), end = addr + len;
    size_t count;
    kern_return_t kr;

    if (len != 0 && (end < addr || end > src->vmm_max || start < src->vmm_min))
        return KERN_INVALID_ADDRESS;
    end = ROUND_UP(end, PAGE_SIZE);
    struct vm_map_copy *c = copy_alloc(len, addr - start);
    if (c == NULL)
        return KERN_RESOURCE_SHORTAGE;
    if (len == 0)
        goto done;
    if (src_destroy && !vm_map_spares_get(&s))
        goto fail_memory;
    for (;;) {
        spin_lock(&src->vmm_lock);
        kr = copyin_check_locked(src, start, end, &count);
        if (kr != KERN_SUCCESS)
            goto fail_unlock;
        if (src_destroy || count <= pool.count)
            break;
        spin_unlock(&src->vmm_lock);
        if (!pool_fill(&pool, count))
            goto fail_memory;
    }
    if (src_destroy)
        c->vmc_entries = copyin_move_locked(src, start, end, &s);
    else
        c->vmc_entries = copyin_share_locked(src, start, end, &pool);
    spin_unlock(&src->vmm_lock);
    vm_map_spares_put(&s);
    pool_free(&pool);
done:
    *copy = c;
    return KERN_SUCCESS;

fail_unlock:
    spin_unlock(&src->vmm_lock);
    vm_map_spares_put(&s);
    pool_free(&pool);
    kfree(c, sizeof(*c));
    return kr;
fail_memory:
    vm_map_spares_put(&s);
    pool_free(&pool);
    kfree(c, sizeof(*c));
    return KERN_RESOURCE_SHORTAGE;
}

kern_return_t
vm_map_copyout(struct vm_map *dst, vaddr_t *addr, struct vm_map_copy *copy)
{
    vm_size_t size = ROUND_UP(copy->vmc_offset + copy->vmc_size, PAGE_SIZE);
    vaddr_t base;

    if (copy->vmc_entries == NULL) {
        kfree(copy, sizeof(*copy));
        *addr = 0;
        return KERN_SUCCESS;
    }
    spin_lock(&dst->vmm_lock);
    if (!vm_map_store_find_space(&dst->vmm_entries, dst->vmm_min, dst->vmm_max, dst->vmm_min, size,
                                 PAGE_SIZE - 1, &base)) {
        spin_unlock(&dst->vmm_lock);
        return KERN_NO_SPACE;
    }
    for (struct vm_map_entry *e = copy->vmc_entries, *next; e != NULL; e = next) {
        next = e->vme_dead_next;
        vaddr_t s = base + vme_start(e), t = base + vme_end(e);
        e->vme_dead_next = NULL;
        e->vme_protection = VM_PROT_DEFAULT;
        e->vme_max_protection = VM_PROT_ALL;
        e->vme_inheritance = VM_INHERIT_DEFAULT;
        vm_map_store_insert(&dst->vmm_entries, &e->vme_links, s, t);
        dst->vmm_size += t - s;
    }
    dst->vmm_timestamp++;
    spin_unlock(&dst->vmm_lock);
    *addr = base + copy->vmc_offset;
    kfree(copy, sizeof(*copy));
    return KERN_SUCCESS;
}

void
vm_map_copy_discard(struct vm_map_copy *copy)
{
    if (copy == NULL)
        return;
    vm_map_dead_release(copy->vmc_entries);
    kfree(copy, sizeof(*copy));
}

struct vm_map_copy *
vm_map_copy_object(struct vm_object *obj, vm_size_t size)
{
    struct vm_map_copy *c = copy_alloc(size, 0);
    struct vm_map_entry *e = c != NULL ? vm_map_entry_alloc() : NULL;

    if (e == NULL) {
        if (c != NULL)
            kfree(c, sizeof(*c));
        return NULL;
    }
    *e = (struct vm_map_entry){
        .vme_object = obj,
        .vme_protection = VM_PROT_READ | VM_PROT_WRITE,
        .vme_max_protection = VM_PROT_ALL,
        .vme_inheritance = VM_INHERIT_COPY,
    };
    e->vme_links.vml_node.an_key = 0;
    e->vme_links.vml_end = ROUND_UP(size, PAGE_SIZE);
    c->vmc_entries = e;
    return c;
}

vm_size_t
vm_map_copy_size(const struct vm_map_copy *copy)
{
    return copy->vmc_size;
}

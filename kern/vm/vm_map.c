// SPDX-License-Identifier: MIT
//
// Address maps (see vm_map.h): creation and destruction, entering and
// removing mappings, protection and inheritance, and the lookup the fault
// path uses.
//
// Every operation that can fail decodes first: arguments, then, under the
// map lock, whether the range is free or fully mapped and allowed; only
// then does it clip and change entries.  Clipping needs new entries, which
// are allocated before the lock is taken (two "spares" at most), so a
// change never fails half way.  Entries and objects that leave the map are
// chained on a dead list under the lock and released after it is dropped,
// when their translations are already gone from the pmap.

#include <vm/vm_map.h>
#include <vm/vm_pageout.h>
#include <vm/vm_map_internal.h>
#include <vm/vm_object.h>
#include <vm/vm_fault.h>
#include <vm/pmap.h>
#include <kern/assert.h>
#include <kern/zalloc.h>
#include <vm/vm_page.h>
#include <lib/string.h>

static struct zone *vm_map_zone;       // constant after vm_map_init
static struct zone *vm_map_entry_zone; // constant after vm_map_init

void
vm_map_init(void)
{
    vm_map_zone = zone_create("vm_map", sizeof(struct vm_map), 64);
    vm_map_entry_zone = zone_create("vm_map_entry", sizeof(struct vm_map_entry), 8);
    if (vm_map_zone == NULL || vm_map_entry_zone == NULL)
        panic("vm_map_init: cannot create the map zones");
}

struct vm_map_entry *
vm_map_entry_of(struct vm_map_links *l)
{
    return l != NULL ? container_of(l, struct vm_map_entry, vme_links) : NULL;
}

struct vm_map_entry *
vm_map_entry_next(struct vm_map_entry *e)
{
    return vm_map_entry_of(vml_next(&e->vme_links));
}

// The entry holding addr, or the first one above it, or NULL.
struct vm_map_entry *
vm_map_entry_first_locked(struct vm_map *map, vaddr_t addr)
{
    assert_locked(&map->vmm_lock);
    return vm_map_entry_of(vm_map_store_first_from(&map->vmm_entries, addr));
}

struct vm_map *
vm_map_create(void)
{
    struct vm_map *map = zalloc(vm_map_zone);

    if (map == NULL)
        return NULL;
    *map = (struct vm_map){
        .vmm_lock = SPINLOCK_INIT("vm_map", LOCK_RANK_VM_MAP),
        .pmap = pmap_create(),
        .vmm_min = USER_MIN,
        .vmm_max = USER_MAX,
        .vmm_refs = 1,
    };
    if (map->pmap == NULL) {
        zfree(vm_map_zone, map);
        return NULL;
    }
    avl_init(&map->vmm_entries);
    return map;
}

void
vm_map_reference(struct vm_map *map)
{
    uint32_t old = __atomic_fetch_add(&map->vmm_refs, 1, __ATOMIC_RELAXED);

    assert(old > 0);
}

void
vm_map_deallocate(struct vm_map *map)
{
    uint32_t old = __atomic_fetch_sub(&map->vmm_refs, 1, __ATOMIC_ACQ_REL);

    assert(old > 0);
    if (old > 1)
        return;
    // Nobody else can reach the map: no clipping, no pmap_remove (the
    // page tables go as a whole), the lock only for the assertions.
    spin_lock(&map->vmm_lock);
    struct vm_map_entry *dead =
        vm_map_unlink_range_locked(map, vm_map_entry_first_locked(map, 0), ~0ul);
    assert(map->vmm_entries.at_count == 0 && map->vmm_size == 0);
    spin_unlock(&map->vmm_lock);
    pmap_destroy(map->pmap);
    vm_map_dead_release(dead);
    zfree(vm_map_zone, map);
}

// ---------------------------------------------------------------------------
// Clipping and the dead list.

bool
vm_map_spares_get(struct vm_map_spares *s)
{
    s->e[0] = zalloc(vm_map_entry_zone);
    s->e[1] = zalloc(vm_map_entry_zone);
    if (s->e[0] != NULL && s->e[1] != NULL)
        return true;
    for (int i = 0; i < 2; i++) {
        if (s->e[i] != NULL)
            zfree(vm_map_entry_zone, s->e[i]);
    }
    return false;
}

void
vm_map_spares_put(struct vm_map_spares *s)
{
    for (int i = 0; i < 2; i++) {
        if (s->e[i] != NULL)
            zfree(vm_map_entry_zone, s->e[i]);
    }
}

struct vm_map_entry *
vm_map_entry_alloc(void)
{
    return zalloc(vm_map_entry_zone);
}

void
vm_map_entry_free(struct vm_map_entry *e)
{
    zfree(vm_map_entry_zone, e);
}

static struct vm_map_entry *
spare_take(struct vm_map_spares *s)
{
    for (int i = 0; i < 2; i++) {
        struct vm_map_entry *e = s->e[i];
        if (e != NULL) {
            s->e[i] = NULL;
            return e;
        }
    }
    panic("vm_map: clipping needs more than two spare entries");
}

// Splits e at addr (strictly inside it): e keeps [start, addr), a spare
// becomes [addr, end) on the same object.  Returns the upper part.
static struct vm_map_entry *
clip_locked(struct vm_map *map, struct vm_map_entry *e, vaddr_t addr, struct vm_map_spares *s)
{
    struct vm_map_entry *upper = spare_take(s);
    vaddr_t end = vme_end(e);

    assert_locked(&map->vmm_lock);
    assert(vme_start(e) < addr && addr < end);
    *upper = *e;
    upper->vme_offset = e->vme_offset + (addr - vme_start(e));
    vm_object_reference(e->vme_object);
    e->vme_links.vml_end = addr;
    vm_map_store_insert(&map->vmm_entries, &upper->vme_links, addr, end);
    return upper;
}

// Clips so that no entry straddles start or end; returns the first entry
// at or above start, or NULL.
struct vm_map_entry *
vm_map_clip_range_locked(struct vm_map *map, vaddr_t start, vaddr_t end, struct vm_map_spares *s)
{
    struct vm_map_entry *first = vm_map_entry_first_locked(map, start);

    assert_locked(&map->vmm_lock);
    if (first != NULL && vme_start(first) < start)
        first = clip_locked(map, first, start, s);
    struct vm_map_entry *last = vm_map_entry_of(vm_map_store_lookup(&map->vmm_entries, end - 1));
    if (last != NULL && end < vme_end(last))
        clip_locked(map, last, end, s);
    return first;
}

// Releases entries removed from a map, with no map lock held.
void
vm_map_dead_release(struct vm_map_entry *dead)
{
    while (dead != NULL) {
        struct vm_map_entry *next = dead->vme_dead_next;
        vm_object_deallocate(dead->vme_object);
        zfree(vm_map_entry_zone, dead);
        dead = next;
    }
}

// ---------------------------------------------------------------------------
// Entering and removing.

static bool
prot_valid(vm_prot_t p)
{
    return (p & ~VM_PROT_ALL) == 0;
}

// The argument checks of vm_map_enter that need no lock.
static bool
enter_args_valid(vaddr_t addr, vm_size_t size, vaddr_t mask, bool anywhere, vm_offset_t off,
                 vm_prot_t cur, vm_prot_t max, vm_inherit_t inh)
{
    if (size == 0 || size % PAGE_SIZE != 0 || off % PAGE_SIZE != 0 || off + size < off)
        return false;
    if ((mask & (mask + 1)) != 0 || (!anywhere && (addr % PAGE_SIZE != 0 || addr + size < addr)))
        return false;
    return prot_valid(cur) && prot_valid(max) && (cur & ~max) == 0 && inh <= VM_INHERIT_LAST_VALID;
}

// Chooses where [*addr, +size) goes; false if there is no room.
static bool
enter_place_locked(struct vm_map *map, vaddr_t *addr, vm_size_t size, vaddr_t mask, bool anywhere)
{
    const struct avl_tree *t = &map->vmm_entries;

    assert_locked(&map->vmm_lock);
    if (!anywhere)
        return *addr >= map->vmm_min && *addr <= map->vmm_max && size <= map->vmm_max - *addr &&
               vm_map_store_range_free(t, *addr, *addr + size);
    mask |= PAGE_SIZE - 1;
    return vm_map_store_find_space(t, map->vmm_min, map->vmm_max, *addr, size, mask, addr) ||
           vm_map_store_find_space(t, map->vmm_min, map->vmm_max, map->vmm_min, size, mask, addr);
}

// Entry merging: the new range [start, start + size) directly above prev
// can extend prev instead of needing an entry of its own when the two
// would behave as one: same protections and inheritance, neither copy-on-
// write nor shared, and the same object at the contiguous offset -- either
// the caller's object (obj) at the offset following prev's window, or, for
// new anonymous memory (obj NULL), prev's own object grown at its end
// (vm_object_coalesce: only when prev's entry is its sole user).  Mach's
// vm_map_enter / vm_object_coalesce do the same.  Returns true if merged.
static bool
enter_merge_locked(struct vm_map *map, vaddr_t start, vm_size_t size, struct vm_object *obj,
                   vm_offset_t off, const struct vm_map_entry *like)
{
    struct vm_map_entry *prev;

    assert_locked(&map->vmm_lock);
    if (start == 0 ||
        (prev = vm_map_entry_of(vm_map_store_lookup(&map->vmm_entries, start - 1))) == NULL)
        return false;
    vm_offset_t prev_end = prev->vme_offset + (vme_end(prev) - vme_start(prev));
    if (prev->vme_protection != like->vme_protection ||
        prev->vme_max_protection != like->vme_max_protection ||
        prev->vme_inheritance != like->vme_inheritance || prev->vme_needs_copy ||
        prev->vme_is_shared)
        return false;
    if (obj != NULL ? prev->vme_object != obj || prev_end != off
                    : !vm_object_coalesce(prev->vme_object, prev_end, size))
        return false;
    prev->vme_links.vml_end = start + size;
    map->vmm_size += size;
    map->vmm_timestamp++;
    return true;
}

kern_return_t
vm_map_enter(struct vm_map *map, vaddr_t *addr, vm_size_t size, vaddr_t mask, bool anywhere,
             struct vm_object *obj, vm_offset_t off, vm_prot_t cur, vm_prot_t max, vm_inherit_t inh)
{
    vaddr_t start = *addr;

    if (!enter_args_valid(start, size, mask, anywhere, off, cur, max, inh))
        return KERN_INVALID_ARGUMENT;
    if (obj != NULL && (off > obj->vo_size || size > obj->vo_size - off))
        return KERN_INVALID_ARGUMENT; // the window must lie inside the object
    // Allocated before the lock even when a merge will make them unneeded:
    // nothing may be allocated under it, and a merge is decided there.
    struct vm_map_entry *e = zalloc(vm_map_entry_zone);
    struct vm_object *made = obj == NULL ? vm_object_allocate(size) : NULL;
    if (e == NULL || (obj == NULL && made == NULL))
        goto fail_memory;

    spin_lock(&map->vmm_lock);
    if (!enter_place_locked(map, &start, size, mask, anywhere)) {
        spin_unlock(&map->vmm_lock);
        zfree(vm_map_entry_zone, e);
        if (made != NULL)
            vm_object_deallocate(made);
        return KERN_NO_SPACE;
    }
    *e = (struct vm_map_entry){
        .vme_object = obj != NULL ? obj : made,
        .vme_offset = off,
        .vme_protection = cur,
        .vme_max_protection = max,
        .vme_inheritance = inh,
    };
    if (enter_merge_locked(map, start, size, obj, off, e)) {
        spin_unlock(&map->vmm_lock);
        vm_object_deallocate(e->vme_object); // prev already holds one: not the last
        zfree(vm_map_entry_zone, e);
        *addr = start;
        return KERN_SUCCESS;
    }
    vm_map_store_insert(&map->vmm_entries, &e->vme_links, start, start + size);
    map->vmm_size += size;
    map->vmm_timestamp++;
    spin_unlock(&map->vmm_lock);
    *addr = start;
    return KERN_SUCCESS;

fail_memory:
    if (made != NULL)
        vm_object_deallocate(made);
    if (e != NULL)
        zfree(vm_map_entry_zone, e);
    return KERN_RESOURCE_SHORTAGE;
}

static bool
range_valid(const struct vm_map *map, vaddr_t start, vaddr_t end)
{
    return start % PAGE_SIZE == 0 && end % PAGE_SIZE == 0 && start <= end &&
           start >= map->vmm_min && end <= map->vmm_max;
}

// Takes e and the entries after it that start below end out of the map;
// returns them chained through vme_dead_next.  The caller removes their
// translations, then releases them with vm_map_dead_release once unlocked.
struct vm_map_entry *
vm_map_unlink_range_locked(struct vm_map *map, struct vm_map_entry *e, vaddr_t end)
{
    struct vm_map_entry *dead = NULL;

    assert_locked(&map->vmm_lock);
    while (e != NULL && vme_start(e) < end) {
        struct vm_map_entry *next = vm_map_entry_next(e);
        map->vmm_size -= vme_end(e) - vme_start(e);
        vm_map_store_remove(&map->vmm_entries, &e->vme_links);
        e->vme_dead_next = dead;
        dead = e;
        e = next;
    }
    map->vmm_timestamp++;
    return dead;
}

// True if e (still in the map, or on the same dead list) maps a window of
// obj that does not overlap [off, end).
static bool
other_window(const struct vm_map_entry *e, const struct vm_object *obj, vm_offset_t off,
             vm_offset_t end)
{
    if (e == NULL || e->vme_object != obj)
        return false;
    vm_offset_t e_off = e->vme_offset, e_end = e_off + (vme_end(e) - vme_start(e));
    return e_end <= off || end <= e_off;
}

// After removing a range: frees the pages in each dead entry's window of
// its object when nobody else can see them.  Every way to see an object's
// pages holds a reference (an entry, a copy, a shadow above it, a fault in
// progress), so when the references are the dead entry's plus those of
// entries of this map around the hole whose windows lie elsewhere in the
// object (the pieces left by clipping, or merged neighbours), the window
// is private to the range just removed.  Otherwise (a fork, a copy, or
// pieces too far apart to count) the pages stay until the object dies,
// as in Mach.  The map lock keeps the count from growing meanwhile; the
// translations are already gone.
static void
remove_private_pages_locked(struct vm_map *map, struct vm_map_entry *dead, vaddr_t start,
                            vaddr_t end)
{
    struct vm_map_entry *below =
        start > 0 ? vm_map_entry_of(vm_map_store_lookup(&map->vmm_entries, start - 1)) : NULL;
    struct vm_map_entry *above = vm_map_entry_first_locked(map, end);

    assert_locked(&map->vmm_lock);
    for (struct vm_map_entry *d = dead; d != NULL; d = d->vme_dead_next) {
        struct vm_object *obj = d->vme_object;
        vm_offset_t off = d->vme_offset, off_end = off + (vme_end(d) - vme_start(d));
        uint32_t others =
            other_window(below, obj, off, off_end) + other_window(above, obj, off, off_end);
        for (struct vm_map_entry *o = dead; o != NULL; o = o->vme_dead_next)
            others += o != d && other_window(o, obj, off, off_end);
        if (obj->vo_internal && __atomic_load_n(&obj->vo_refs, __ATOMIC_ACQUIRE) == 1 + others &&
            others > 0)
            vm_object_page_remove(obj, off, off_end);
    }
}

// True if an entry straddles start or end.
static bool
needs_clip_locked(struct vm_map *map, vaddr_t start, vaddr_t end)
{
    struct vm_map_entry *e = vm_map_entry_of(vm_map_store_lookup(&map->vmm_entries, start));

    assert_locked(&map->vmm_lock);
    if (e != NULL && vme_start(e) < start)
        return true;
    e = vm_map_entry_of(vm_map_store_lookup(&map->vmm_entries, end - 1));
    return e != NULL && end < vme_end(e);
}

kern_return_t
vm_map_remove(struct vm_map *map, vaddr_t start, vaddr_t end)
{
    struct vm_map_spares s = {{NULL, NULL}};

    if (!range_valid(map, start, end))
        return KERN_INVALID_ARGUMENT;
    if (start == end)
        return KERN_SUCCESS;
    // Removing whole entries needs no spares, so undoing an enter cannot
    // fail for want of memory.
    spin_lock(&map->vmm_lock);
    if (needs_clip_locked(map, start, end)) {
        spin_unlock(&map->vmm_lock);
        if (!vm_map_spares_get(&s))
            return KERN_RESOURCE_SHORTAGE;
        spin_lock(&map->vmm_lock);
    }
    struct vm_map_entry *first = vm_map_clip_range_locked(map, start, end, &s);
    struct vm_map_entry *dead = vm_map_unlink_range_locked(map, first, end);
    pmap_remove(map->pmap, start, end);
    remove_private_pages_locked(map, dead, start, end);
    spin_unlock(&map->vmm_lock);
    vm_map_spares_put(&s);
    vm_map_dead_release(dead);
    return KERN_SUCCESS;
}

// ---------------------------------------------------------------------------
// Changing attributes of a fully mapped range.

// Checks that [start, end) is fully mapped and that every entry allows
// new_prot as its maximum (when check_prot); returns the KERN_* code.
static kern_return_t
range_check_locked(struct vm_map *map, vaddr_t start, vaddr_t end, bool check_prot,
                   vm_prot_t new_prot)
{
    assert_locked(&map->vmm_lock);
    if (!vm_map_store_range_covered(&map->vmm_entries, start, end))
        return KERN_INVALID_ADDRESS;
    for (struct vm_map_entry *e = vm_map_entry_first_locked(map, start);
         check_prot && e != NULL && vme_start(e) < end; e = vm_map_entry_next(e)) {
        if ((new_prot & ~e->vme_max_protection) != 0)
            return KERN_PROTECTION_FAILURE;
    }
    return KERN_SUCCESS;
}

// What vm_map_protect and vm_map_inherit do to one entry.
struct attr_change {
    bool is_prot; // else inheritance
    bool set_max;
    vm_prot_t prot;
    vm_inherit_t inh;
};

static void
entry_change_locked(struct vm_map *map, struct vm_map_entry *e, const struct attr_change *c)
{
    vm_prot_t old = e->vme_protection;

    assert_locked(&map->vmm_lock);
    if (!c->is_prot) {
        e->vme_inheritance = c->inh;
        return;
    }
    if (c->set_max) {
        e->vme_max_protection = c->prot;
        e->vme_protection &= c->prot;
    } else {
        e->vme_protection = c->prot;
    }
    // The pmap only ever loses rights here; faults add them.  pmap_protect
    // sets rather than reduces, and some translations are read-only on
    // purpose (pages of a lower object, needs-copy entries), so write goes
    // too, and the next write faults and is checked again.
    if ((old & ~e->vme_protection) != 0)
        pmap_protect(map->pmap, vme_start(e), vme_end(e), e->vme_protection & ~VM_PROT_WRITE);
}

static kern_return_t
range_change(struct vm_map *map, vaddr_t start, vaddr_t end, const struct attr_change *c)
{
    struct vm_map_spares s;

    if (!range_valid(map, start, end))
        return KERN_INVALID_ARGUMENT;
    if (start == end)
        return KERN_SUCCESS;
    if (!vm_map_spares_get(&s))
        return KERN_RESOURCE_SHORTAGE;
    spin_lock(&map->vmm_lock);
    kern_return_t kr = range_check_locked(map, start, end, c->is_prot, c->prot);
    if (kr == KERN_SUCCESS) {
        struct vm_map_entry *e = vm_map_clip_range_locked(map, start, end, &s);
        for (; e != NULL && vme_start(e) < end; e = vm_map_entry_next(e))
            entry_change_locked(map, e, c);
        map->vmm_timestamp++;
    }
    spin_unlock(&map->vmm_lock);
    vm_map_spares_put(&s);
    return kr;
}

kern_return_t
vm_map_protect(struct vm_map *map, vaddr_t start, vaddr_t end, vm_prot_t new_prot, bool set_max)
{
    struct attr_change c = {.is_prot = true, .set_max = set_max, .prot = new_prot};

    if (!prot_valid(new_prot))
        return KERN_INVALID_ARGUMENT;
    return range_change(map, start, end, &c);
}

kern_return_t
vm_map_inherit(struct vm_map *map, vaddr_t start, vaddr_t end, vm_inherit_t inh)
{
    struct attr_change c = {.is_prot = false, .inh = inh};

    if (inh > VM_INHERIT_LAST_VALID)
        return KERN_INVALID_ARGUMENT;
    return range_change(map, start, end, &c);
}

// ---------------------------------------------------------------------------
// Lookup for faults, and counters.

bool
vm_map_entry_copy_now_locked(struct vm_map *map, struct vm_map_entry *e)
{
    struct vm_object *obj = e->vme_object;

    assert_locked(&map->vmm_lock);
    assert(e->vme_needs_copy);
    if (__atomic_load_n(&obj->vo_refs, __ATOMIC_ACQUIRE) > 1) {
        struct vm_object *shadow = vm_object_shadow(obj, e->vme_offset, vme_end(e) - vme_start(e));
        if (shadow == NULL)
            return false;
        e->vme_object = shadow; // the entry's reference to obj moved into it
        e->vme_offset = 0;
    } // else nobody else can see obj: write it in place
    e->vme_needs_copy = false;
    map->vmm_timestamp++;
    return true;
}

void
vm_map_entry_mark_needs_copy_locked(struct vm_map *map, struct vm_map_entry *e)
{
    assert_locked(&map->vmm_lock);
    if (e->vme_needs_copy)
        return; // its translations are read-only already
    if (e->vme_is_shared)
        return; // its sharers must keep writing one object (README.md, "Not yet")
    e->vme_needs_copy = true;
    if (e->vme_protection & VM_PROT_WRITE)
        pmap_protect(map->pmap, vme_start(e), vme_end(e), e->vme_protection & ~VM_PROT_WRITE);
}

kern_return_t
vm_map_lookup(struct vm_map *map, vaddr_t addr, vm_prot_t access, struct vm_map_lookup *out)
{
    kern_return_t kr = KERN_SUCCESS;

    spin_lock(&map->vmm_lock);
    struct vm_map_entry *e = vm_map_entry_of(vm_map_store_lookup(&map->vmm_entries, addr));
    if (e == NULL) {
        kr = KERN_INVALID_ADDRESS;
    } else if ((access & ~e->vme_protection) != 0) {
        kr = KERN_PROTECTION_FAILURE;
    } else if ((access & VM_PROT_WRITE) && e->vme_needs_copy &&
               !vm_map_entry_copy_now_locked(map, e)) {
        kr = KERN_RESOURCE_SHORTAGE;
    } else {
        vm_object_reference(e->vme_object);
        *out = (struct vm_map_lookup){
            .vml_object = e->vme_object,
            .vml_offset = e->vme_offset + (ROUND_DOWN(addr, PAGE_SIZE) - vme_start(e)),
            .vml_prot = e->vme_protection & (e->vme_needs_copy ? ~VM_PROT_WRITE : VM_PROT_ALL),
            .vml_cow = e->vme_needs_copy,
            .vml_shared = e->vme_is_shared,
            .vml_timestamp = map->vmm_timestamp,
        };
    }
    spin_unlock(&map->vmm_lock);
    return kr;
}

bool
vm_map_verify(struct vm_map *map, const struct vm_map_lookup *lk)
{
    spin_lock(&map->vmm_lock);
    if (map->vmm_timestamp == lk->vml_timestamp)
        return true;
    spin_unlock(&map->vmm_lock);
    return false;
}

void
vm_map_verify_done(struct vm_map *map)
{
    spin_unlock(&map->vmm_lock);
}

void
vm_map_lookup_done(struct vm_map_lookup *lk)
{
    vm_object_deallocate(lk->vml_object);
    lk->vml_object = NULL;
}

size_t
vm_map_entry_count(struct vm_map *map)
{
    spin_lock(&map->vmm_lock);
    size_t n = map->vmm_entries.at_count;
    spin_unlock(&map->vmm_lock);
    return n;
}

vm_size_t
vm_map_size(struct vm_map *map)
{
    spin_lock(&map->vmm_lock);
    vm_size_t n = map->vmm_size;
    spin_unlock(&map->vmm_lock);
    return n;
}

unsigned
vm_map_shadow_depth(struct vm_map *map, vaddr_t addr)
{
    struct vm_object *obj = NULL;

    spin_lock(&map->vmm_lock);
    struct vm_map_entry *e = vm_map_entry_of(vm_map_store_lookup(&map->vmm_entries, addr));
    if (e != NULL) {
        obj = e->vme_object;
        vm_object_reference(obj);
    }
    spin_unlock(&map->vmm_lock);
    if (obj == NULL)
        return 0;
    unsigned depth = vm_object_chain_depth(obj);
    vm_object_deallocate(obj);
    return depth;
}

// ---------------------------------------------------------------------------
// Copying into and out of another task's map.

// True if [start, end) is fully mapped with `access` in the current
// protection of every entry.
static bool
access_allowed(struct vm_map *map, vaddr_t start, vaddr_t end, vm_prot_t access, kern_return_t *kr)
{
    spin_lock(&map->vmm_lock);
    *kr = vm_map_store_range_covered(&map->vmm_entries, start, end) ? KERN_SUCCESS
                                                                    : KERN_INVALID_ADDRESS;
    for (struct vm_map_entry *e = vm_map_entry_first_locked(map, start);
         *kr == KERN_SUCCESS && e != NULL && vme_start(e) < end; e = vm_map_entry_next(e)) {
        if ((access & ~e->vme_protection) != 0)
            *kr = KERN_PROTECTION_FAILURE;
    }
    spin_unlock(&map->vmm_lock);
    return *kr == KERN_SUCCESS;
}

// Moves n bytes between k and the page at va (+ in_page) of map, finding
// the page as a fault would (through the shadow chain; a write copies it
// up into the entry's own object).  A translation of the page it replaced
// is removed, so the map's task sees what was written.
static kern_return_t
map_copy_page(struct vm_map *map, vaddr_t va, size_t in_page, char *k, size_t n, bool to_map)
{
    vm_prot_t access = to_map ? VM_PROT_WRITE : VM_PROT_READ;
    struct vm_map_lookup lk;
    struct vm_fault_page fp;
    kern_return_t kr;
    paddr_t pa;

again:
    if ((kr = vm_map_lookup(map, va, access, &lk)) != KERN_SUCCESS)
        return kr;
    kr = vm_fault_page(&lk, access, &fp);
    if (kr == KERN_SUCCESS) {
        if (!vm_fault_page_lock(&fp, access)) { // paged out or locked: look again
            vm_fault_page_done(&fp);
            vm_map_lookup_done(&lk);
            goto again;
        }
        char *page = (char *)phys_to_virt(vm_page_to_phys(fp.vfp_page)) + in_page;
        memcpy(to_map ? page : k, to_map ? k : page, n);
        if (to_map)
            fp.vfp_page->vp_flags |= VM_PAGE_DIRTY; // not through the pmap
        vm_fault_page_unlock(&fp);
        if (to_map) {
            spin_lock(&map->vmm_lock);
            if (pmap_extract(map->pmap, va, &pa) && pa != vm_page_to_phys(fp.vfp_page))
                pmap_remove(map->pmap, va, va + PAGE_SIZE);
            spin_unlock(&map->vmm_lock);
        }
        vm_fault_page_done(&fp);
    }
    vm_map_lookup_done(&lk);
    if (kr == KERN_RESOURCE_SHORTAGE && (kr = vm_page_wait()) == KERN_SUCCESS)
        goto again; // the pageout daemon freed pages
    return kr;
}

// Moves len bytes between kbuf and map at uaddr, page by page, through the
// objects' pages in the direct map (to_map: into the map).
static kern_return_t
map_copy(struct vm_map *map, vaddr_t uaddr, void *kbuf, size_t len, bool to_map)
{
    vm_prot_t access = to_map ? VM_PROT_WRITE : VM_PROT_READ;
    kern_return_t kr;
    char *k = kbuf;

    if (len == 0)
        return KERN_SUCCESS;
    if (uaddr < map->vmm_min || uaddr > map->vmm_max || len > map->vmm_max - uaddr)
        return KERN_INVALID_ADDRESS;
    if (!access_allowed(map, ROUND_DOWN(uaddr, PAGE_SIZE), ROUND_UP(uaddr + len, PAGE_SIZE), access,
                        &kr))
        return kr;
    while (len > 0) {
        size_t in_page = uaddr % PAGE_SIZE, n = MIN(len, PAGE_SIZE - in_page);
        kr = map_copy_page(map, uaddr - in_page, in_page, k, n, to_map);
        if (kr != KERN_SUCCESS)
            return kr;
        uaddr += n;
        k += n;
        len -= n;
    }
    return KERN_SUCCESS;
}

kern_return_t
vm_map_write(struct vm_map *map, vaddr_t uaddr, const void *kbuf, size_t len)
{
    return map_copy(map, uaddr, (void *)(uintptr_t)kbuf, len, true);
}

kern_return_t
vm_map_read(struct vm_map *map, vaddr_t uaddr, void *kbuf, size_t len)
{
    return map_copy(map, uaddr, kbuf, len, false);
}

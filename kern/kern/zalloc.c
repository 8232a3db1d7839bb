// SPDX-License-Identifier: MIT
//
// Zones (see zalloc.h).
//
// A slab is 2^z_slab_order pages, naturally aligned (the buddy allocator
// guarantees it for physical addresses, and the direct map keeps it for
// virtual ones), with a struct zone_slab at its start and elements after it.
// Free elements of a slab are linked through their first word.  A zone
// keeps its partly used slabs on a list and at most one wholly free slab in
// reserve (z_empty), so that alloc/free at a slab boundary does not bounce
// pages in and out of the page allocator; further empty slabs are released
// at once.  Full slabs are on no list: zfree finds them from the element.
//
// Growing happens with the zone lock held: simpler than dropping and
// retaking it, and the page allocator's lock ranks above every zone's
// (lock_order.h).  Zones are themselves elements of the zone of zones,
// which lives in static storage so that it can exist first.

#include <kern/zalloc.h>
#include <kern/assert.h>
#include <kern/console.h>
#include <kern/spinlock.h>
#include <vm/vm_page.h>
#include <lib/string.h>

#define SLAB_MAGIC         0x5A4F4E45u /* "ZONE" */
#define SLAB_ORDER_MAX     3
#define ZONE_DEFAULT_ALIGN 8

#if defined(QUAY_DEBUG) || defined(QUAY_HOST)
#define ZONE_DEBUG 1
#endif

struct zone_slab {
    /* Constant while the slab exists. */
    struct zone *zs_zone;
    uint32_t zs_magic;
    /* Protected by the zone's lock. */
    uint32_t zs_inuse;                   /* elements allocated */
    void *zs_free;                       /* free elements */
    struct zone_slab *zs_next, *zs_prev; /* on z_partial */
};

struct zone {
    /* Constant after zone_create. */
    const char *z_name;
    size_t z_elem_size;
    size_t z_first; /* offset of the first element in a slab */
    unsigned z_per_slab;
    unsigned z_slab_order;

    struct spinlock z_lock;
    /* Protected by z_lock. */
    struct zone_slab *z_partial; /* slabs with free and used elements */
    struct zone_slab *z_empty;   /* one wholly free slab kept in reserve */
    size_t z_in_use;
    size_t z_slabs;
    size_t z_allocs;

    /* Protected by zone_list_lock. */
    struct zone *z_next;
};

static struct spinlock zone_list_lock = SPINLOCK_INIT("zone_list", LOCK_RANK_ZONE_LIST);
static struct zone *zone_list; // protected by zone_list_lock
static struct zone zone_zone;  // the zone of struct zone

static size_t
slab_bytes(const struct zone *z)
{
    return (size_t)PAGE_SIZE << z->z_slab_order;
}

// Chooses the smallest slab that wastes at most an eighth of itself (else
// the largest) and fills in the layout; false if no slab holds an element.
static bool
zone_layout(struct zone *z, size_t elem_size, size_t align)
{
    align = MAX(align, _Alignof(void *)); // the free list link lives in the element
    size_t first = ROUND_UP(sizeof(struct zone_slab), align);
    size_t size = ROUND_UP(MAX(elem_size, sizeof(void *)), align);

    for (unsigned order = 0; order <= SLAB_ORDER_MAX; order++) {
        size_t bytes = (size_t)PAGE_SIZE << order;
        size_t per = bytes > first ? (bytes - first) / size : 0;
        if (per == 0 || ((bytes - first - per * size) * 8 > bytes && order < SLAB_ORDER_MAX))
            continue;
        z->z_elem_size = size;
        z->z_first = first;
        z->z_per_slab = (unsigned)per;
        z->z_slab_order = order;
        return true;
    }
    return false;
}

static bool
zone_init(struct zone *z, const char *name, size_t elem_size, size_t align)
{
    if (align == 0)
        align = ZONE_DEFAULT_ALIGN;
    if (elem_size == 0 || elem_size > ZONE_ELEM_MAX || (align & (align - 1)) != 0 ||
        align > PAGE_SIZE)
        return false;
    *z = (struct zone){.z_name = name};
    if (!zone_layout(z, elem_size, align))
        return false;
    spinlock_init(&z->z_lock, name, LOCK_RANK_ZONE);
    spin_lock(&zone_list_lock);
    z->z_next = zone_list;
    zone_list = z;
    spin_unlock(&zone_list_lock);
    return true;
}

void
zone_bootstrap(void)
{
    if (!zone_init(&zone_zone, "zone", sizeof(struct zone), 0))
        panic("zone_bootstrap: cannot lay out the zone of zones");
}

struct zone *
zone_create(const char *name, size_t elem_size, size_t align)
{
    struct zone *z = zalloc(&zone_zone);

    if (z != NULL && !zone_init(z, name, elem_size, align)) {
        zfree(&zone_zone, z);
        z = NULL;
    }
    return z;
}

static void
partial_push_locked(struct zone *z, struct zone_slab *s)
{
    assert(spin_lock_held(&z->z_lock));
    s->zs_prev = NULL;
    s->zs_next = z->z_partial;
    if (s->zs_next != NULL)
        s->zs_next->zs_prev = s;
    z->z_partial = s;
}

static void
partial_remove_locked(struct zone *z, struct zone_slab *s)
{
    assert(spin_lock_held(&z->z_lock));
    if (s->zs_prev != NULL)
        s->zs_prev->zs_next = s->zs_next;
    else
        z->z_partial = s->zs_next;
    if (s->zs_next != NULL)
        s->zs_next->zs_prev = s->zs_prev;
    s->zs_next = s->zs_prev = NULL;
}

// A new slab with every element free, or NULL when pages are short.
static struct zone_slab *
slab_create_locked(struct zone *z)
{
    assert(spin_lock_held(&z->z_lock));
    struct zone_slab *s = vm_kpage_alloc(z->z_slab_order);
    if (s == NULL)
        return NULL;
    *s = (struct zone_slab){.zs_zone = z, .zs_magic = SLAB_MAGIC};
    char *base = (char *)s + z->z_first;
    for (unsigned i = z->z_per_slab; i-- > 0;) {
        void **elem = (void **)(base + i * z->z_elem_size);
        *elem = s->zs_free;
        s->zs_free = elem;
    }
    z->z_slabs++;
    return s;
}

// A slab with a free element, on z_partial; NULL if none can be had.
static struct zone_slab *
slab_with_room_locked(struct zone *z)
{
    struct zone_slab *s = z->z_partial;

    if (s != NULL)
        return s;
    s = z->z_empty;
    z->z_empty = NULL;
    if (s == NULL)
        s = slab_create_locked(z);
    if (s != NULL)
        partial_push_locked(z, s);
    return s;
}

void *
zalloc(struct zone *z)
{
    void **elem = NULL;

    spin_lock(&z->z_lock);
    struct zone_slab *s = slab_with_room_locked(z);
    if (s != NULL) {
        elem = s->zs_free;
        s->zs_free = *elem;
        if (++s->zs_inuse == z->z_per_slab)
            partial_remove_locked(z, s);
        z->z_in_use++;
        z->z_allocs++;
    }
    spin_unlock(&z->z_lock);
    return elem;
}

// The slab holding elem, after checking that elem is an element of z.
static struct zone_slab *
slab_of(struct zone *z, void *elem)
{
    uintptr_t a = (uintptr_t)elem;
    struct zone_slab *s = (struct zone_slab *)ROUND_DOWN(a, slab_bytes(z));
    uintptr_t off = a - (uintptr_t)s;

    if (elem == NULL || s->zs_magic != SLAB_MAGIC || s->zs_zone != z || off < z->z_first ||
        (off - z->z_first) % z->z_elem_size != 0 ||
        (off - z->z_first) / z->z_elem_size >= z->z_per_slab)
        panic("zfree: %p is not an element of zone %s", elem, z->z_name);
    return s;
}

#ifdef ZONE_DEBUG
static void
check_not_free_locked(struct zone *z, struct zone_slab *s, void *elem)
{
    assert(spin_lock_held(&z->z_lock));
    for (void **f = s->zs_free; f != NULL; f = *f) {
        if (f == elem)
            panic("zfree: %p freed twice in zone %s", elem, z->z_name);
    }
}
#endif

void
zfree(struct zone *z, void *elem)
{
    struct zone_slab *s = slab_of(z, elem), *release = NULL;

    spin_lock(&z->z_lock);
#ifdef ZONE_DEBUG
    check_not_free_locked(z, s, elem);
    memset(elem, 0xDE, z->z_elem_size); // poison: use after free shows
#endif
    if (s->zs_inuse == z->z_per_slab)
        partial_push_locked(z, s); // it was full
    *(void **)elem = s->zs_free;
    s->zs_free = elem;
    z->z_in_use--;
    if (--s->zs_inuse == 0) {
        partial_remove_locked(z, s);
        release = z->z_empty;
        z->z_empty = s;
        if (release != NULL)
            z->z_slabs--;
    }
    spin_unlock(&z->z_lock);
    if (release != NULL)
        vm_kpage_free(release, z->z_slab_order);
}

void
zone_drain(struct zone *z)
{
    spin_lock(&z->z_lock);
    struct zone_slab *s = z->z_empty;
    z->z_empty = NULL;
    if (s != NULL)
        z->z_slabs--;
    spin_unlock(&z->z_lock);
    if (s != NULL)
        vm_kpage_free(s, z->z_slab_order);
}

void
zone_destroy(struct zone *z)
{
    spin_lock(&z->z_lock);
    if (z->z_in_use != 0)
        panic("zone_destroy: zone %s still has %zu elements in use", z->z_name, z->z_in_use);
    spin_unlock(&z->z_lock);
    zone_drain(z);
    spin_lock(&zone_list_lock);
    struct zone **pp = &zone_list;
    while (*pp != z)
        pp = &(*pp)->z_next;
    *pp = z->z_next;
    spin_unlock(&zone_list_lock);
    zfree(&zone_zone, z);
}

void
zone_get_stats(struct zone *z, struct zone_stats *out)
{
    spin_lock(&z->z_lock);
    *out = (struct zone_stats){
        .zs_name = z->z_name,
        .zs_elem_size = z->z_elem_size,
        .zs_in_use = z->z_in_use,
        .zs_free = z->z_slabs * z->z_per_slab - z->z_in_use,
        .zs_pages = z->z_slabs << z->z_slab_order,
        .zs_allocs = z->z_allocs,
    };
    spin_unlock(&z->z_lock);
}

// The list lock keeps the zone from being destroyed while it is read.
bool
zone_find_stats(const char *name, struct zone_stats *out)
{
    bool found = false;

    spin_lock(&zone_list_lock);
    for (struct zone *z = zone_list; z != NULL && !found; z = z->z_next) {
        if (strcmp(z->z_name, name) == 0) {
            zone_get_stats(z, out);
            found = true;
        }
    }
    spin_unlock(&zone_list_lock);
    return found;
}

// Zones are never destroyed while this runs through the list: it holds the
// list lock, and zone_destroy needs it to unlink.
void
zone_print_all(void)
{
    struct zone_stats st;

    spin_lock(&zone_list_lock);
    for (struct zone *z = zone_list; z != NULL; z = z->z_next) {
        zone_get_stats(z, &st);
        kprintf("zone %-16s size %5zu in use %6zu free %6zu pages %5zu\n", st.zs_name,
                st.zs_elem_size, st.zs_in_use, st.zs_free, st.zs_pages);
    }
    spin_unlock(&zone_list_lock);
}

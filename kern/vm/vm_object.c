// SPDX-License-Identifier: MIT
//
// Internal (anonymous) memory objects: reference counting, the tree of
// resident pages, zero fill, shadow chains and their collapse.  See
// vm_object.h, and README.md ("Shadow chains") for the rules.
//
// Races on a page that is not yet resident: two faults on the same offset
// may both allocate and fill a page with the object lock dropped; the
// second to take the lock again finds the first one's page in the tree and
// frees its own.  A page leaves a live object by collapse (only when
// nobody but the object above holds a reference) and by pageout, which
// first marks it VM_PAGE_CLEANING under the object lock: whoever uses a
// page's frame checks, under the lock, that it is still there and not
// being cleaned (vm_fault_page_lock).  Objects with a pager
// (memory_object.c) keep a busy placeholder page while the pager is asked,
// so there is one request per page and every fault on it waits for the
// same answer (vm_object_page_find stops at it).  An internal object that
// has paged out to the default pager keeps an existence map: the pages
// the pager holds, the only ones it is asked for.

#include <vm/vm_object.h>
#include <vm/memory_object.h>
#include <vm/vm_page.h>
#include <vm/vm_pageout.h>
#include <vm/pmap.h>
#include <kern/assert.h>
#include <kern/sched_prim.h>
#include <kern/zalloc.h>
#include <lib/string.h>

// The existence maps' chunks (see below).
#define EXT_CHUNK_PAGES 64u
#define EXT_CHUNK_BYTES ((vm_offset_t)EXT_CHUNK_PAGES * PAGE_SIZE)

struct vm_external_chunk {
    struct avl_node ec_node; // key: the chunk's first offset
    uint64_t ec_bits;        // bit i: page ec_node.an_key + i * PAGE_SIZE
};

static struct zone *vm_object_zone;   // constant after vm_object_init
static struct zone *vm_external_zone; // ...and the existence map's chunks
static size_t vm_object_live;         // atomic
static size_t pages_resident;         // atomic: pages in any object
static size_t collapses;              // atomic: objects merged away

void
vm_object_init(void)
{
    vm_object_zone = zone_create("vm_object", sizeof(struct vm_object), 8);
    vm_external_zone = zone_create("vm_external", sizeof(struct vm_external_chunk), 8);
    if (vm_object_zone == NULL || vm_external_zone == NULL)
        panic("vm_object_init: cannot create the object zone");
}

size_t
vm_object_count(void)
{
    return __atomic_load_n(&vm_object_live, __ATOMIC_RELAXED);
}

size_t
vm_object_pages_resident(void)
{
    return __atomic_load_n(&pages_resident, __ATOMIC_RELAXED);
}

size_t
vm_object_collapse_count(void)
{
    return __atomic_load_n(&collapses, __ATOMIC_RELAXED);
}

// ---------------------------------------------------------------------------
// Existence maps: one bit per page the default pager holds, in chunks of
// EXT_CHUNK_PAGES pages (a tree by chunk offset), so a large sparse object
// costs only the chunks it uses.

static struct vm_external_chunk *
existence_chunk_locked(struct vm_object *obj, vm_offset_t offset)
{
    struct avl_node *n = avl_find(&obj->vo_existence, ROUND_DOWN(offset, EXT_CHUNK_BYTES));
    return n != NULL ? container_of(n, struct vm_external_chunk, ec_node) : NULL;
}

static uint64_t
existence_bit(vm_offset_t offset)
{
    return 1ull << ((offset % EXT_CHUNK_BYTES) / PAGE_SIZE);
}

bool
vm_object_existence_test_locked(struct vm_object *obj, vm_offset_t offset)
{
    assert_locked(&obj->vo_lock);
    struct vm_external_chunk *c = existence_chunk_locked(obj, offset);
    return c != NULL && (c->ec_bits & existence_bit(offset));
}

bool
vm_object_existence_reserve(struct vm_object *obj, vm_offset_t offset)
{
    struct vm_external_chunk *c = NULL;

    for (;;) {
        spin_lock(&obj->vo_lock);
        if (existence_chunk_locked(obj, offset) == NULL && c != NULL) {
            c->ec_node.an_key = ROUND_DOWN(offset, EXT_CHUNK_BYTES);
            c->ec_bits = 0;
            avl_insert(&obj->vo_existence, &c->ec_node);
            c = NULL;
        }
        bool there = existence_chunk_locked(obj, offset) != NULL;
        spin_unlock(&obj->vo_lock);
        if (c != NULL)
            zfree(vm_external_zone, c); // someone else made it
        if (there)
            return true;
        if ((c = zalloc(vm_external_zone)) == NULL)
            return false;
    }
}

// Clears the bits of [start, end): those pages are gone for good (the
// range was deallocated), so a later fault must not ask for them.
static void
existence_clear_locked(struct vm_object *obj, vm_offset_t start, vm_offset_t end)
{
    assert_locked(&obj->vo_lock);
    struct avl_node *n = avl_find_ge(&obj->vo_existence, ROUND_DOWN(start, EXT_CHUNK_BYTES));
    for (; n != NULL && n->an_key < end; n = avl_next(n)) {
        struct vm_external_chunk *c = container_of(n, struct vm_external_chunk, ec_node);
        vm_offset_t from = MAX(start, n->an_key), to = MIN(end, n->an_key + EXT_CHUNK_BYTES);
        for (vm_offset_t off = from; off < to; off += PAGE_SIZE)
            c->ec_bits &= ~existence_bit(off);
    }
}

static void
existence_free(struct vm_object *obj)
{
    struct avl_node *n;

    while ((n = avl_first(&obj->vo_existence)) != NULL) {
        avl_remove(&obj->vo_existence, n);
        zfree(vm_external_zone, container_of(n, struct vm_external_chunk, ec_node));
    }
}

// ---------------------------------------------------------------------------
// Resident pages.

// Puts page p into obj at offset; obj has none there.
static void
page_insert_locked(struct vm_object *obj, vm_offset_t offset, struct vm_page *p)
{
    assert_locked(&obj->vo_lock);
    p->vp_object = obj;
    p->vp_onode.an_key = offset;
    avl_insert(&obj->vo_pages, &p->vp_onode);
    __atomic_add_fetch(&pages_resident, 1, __ATOMIC_RELAXED);
}

// Frees a page that has just left its object: off the paging queues first.
static void
page_free(struct vm_page *p)
{
    assert(p->vp_pv == NULL); // no translation may outlive the page's data
    p->vp_object = NULL;
    p->vp_flags = 0;
    p->vp_page_lock = 0;
    p->vp_pv_attrs = 0;
    vm_page_dequeue(p);
    vm_page_free(p, 0);
}

// Inserts fresh at offset unless a racing fault put a page there first, in
// which case fresh is freed.  Returns the page obj has at offset.
static struct vm_page *
page_insert_or_free(struct vm_object *obj, vm_offset_t offset, struct vm_page *fresh)
{
    spin_lock(&obj->vo_lock);
    struct vm_page *p = vm_object_page_lookup_locked(obj, offset);
    if (p == NULL) {                     // still absent: ours goes in
        fresh->vp_flags = VM_PAGE_DIRTY; // the kernel filled it: no pager has it
        page_insert_locked(obj, offset, fresh);
        vm_page_activate(fresh); // PAGE_QUEUE ranks above VM_OBJECT
        p = fresh;
        fresh = NULL;
    }
    spin_unlock(&obj->vo_lock);
    if (fresh != NULL) // lost the race to another fault
        vm_page_free(fresh, 0);
    return p;
}

struct vm_object *
vm_object_allocate(vm_size_t size)
{
    struct vm_object *obj = zalloc(vm_object_zone);

    if (obj == NULL)
        return NULL;
    *obj = (struct vm_object){
        .vo_lock = SPINLOCK_INIT("vm_object", LOCK_RANK_VM_OBJECT),
        .vo_refs = 1,
        .vo_size = ROUND_UP(size, PAGE_SIZE),
        .vo_internal = true,
    };
    avl_init(&obj->vo_pages);
    avl_init(&obj->vo_existence);
    __atomic_add_fetch(&vm_object_live, 1, __ATOMIC_RELAXED);
    return obj;
}

void
vm_object_reference(struct vm_object *obj)
{
    uint32_t old = __atomic_fetch_add(&obj->vo_refs, 1, __ATOMIC_RELAXED);

    assert(old > 0);
}

bool
vm_object_reference_live(struct vm_object *obj)
{
    uint32_t old = __atomic_load_n(&obj->vo_refs, __ATOMIC_RELAXED);

    do {
        if (old == 0)
            return false;
    } while (!__atomic_compare_exchange_n(&obj->vo_refs, &old, old + 1, false, __ATOMIC_ACQUIRE,
                                          __ATOMIC_RELAXED));
    return true;
}

// Frees the object's pages and the object; nobody else can reach it (an
// external object first leaves the pager's list and its control port).
// Returns its shadow, whose reference the caller now holds.
static struct vm_object *
vm_object_terminate(struct vm_object *obj)
{
    struct vm_object *shadow = obj->vo_shadow;
    struct avl_node *n;

    if (obj->vo_pager != NULL)
        memory_object_object_terminate(obj); // no waiter is left: they hold references
    if (obj->vo_in_flight)
        vm_pageout_carrier_done(); // its pager is done with the data
    spin_lock(&obj->vo_lock);
    while ((n = avl_first(&obj->vo_pages)) != NULL) {
        struct vm_page *p = container_of(n, struct vm_page, vp_onode);
        avl_remove(&obj->vo_pages, n);
        __atomic_sub_fetch(&pages_resident, 1, __ATOMIC_RELAXED);
        spin_unlock(&obj->vo_lock); // the page allocator ranks above us, but
        page_free(p);               // keep hold times short all the same
        spin_lock(&obj->vo_lock);
    }
    existence_free(obj);
    spin_unlock(&obj->vo_lock);
    __atomic_sub_fetch(&vm_object_live, 1, __ATOMIC_RELAXED);
    zfree(vm_object_zone, obj);
    return shadow;
}

// The last reference to an object drops its reference to its shadow, and
// so on down the chain: a loop, not recursion, because chains can be long.
void
vm_object_deallocate(struct vm_object *obj)
{
    while (obj != NULL) {
        uint32_t old = __atomic_fetch_sub(&obj->vo_refs, 1, __ATOMIC_ACQ_REL);
        assert(old > 0);
        if (old > 1)
            return;
        obj = vm_object_terminate(obj);
    }
}

struct vm_page *
vm_object_page_lookup_locked(struct vm_object *obj, vm_offset_t offset)
{
    assert_locked(&obj->vo_lock);
    struct avl_node *n = avl_find(&obj->vo_pages, offset);
    return n != NULL ? container_of(n, struct vm_page, vp_onode) : NULL;
}

kern_return_t
vm_object_page_get(struct vm_object *obj, vm_offset_t offset, struct vm_page **page)
{
    assert(offset % PAGE_SIZE == 0 && offset < obj->vo_size);
    spin_lock(&obj->vo_lock);
    struct vm_page *p = vm_object_page_lookup_locked(obj, offset);
    spin_unlock(&obj->vo_lock);
    if (p != NULL) {
        *page = p;
        return KERN_SUCCESS;
    }

    struct vm_page *fresh = vm_page_grab();
    if (fresh == NULL)
        return KERN_RESOURCE_SHORTAGE;
    memset(phys_to_virt(vm_page_to_phys(fresh)), 0, PAGE_SIZE);

    *page = page_insert_or_free(obj, offset, fresh);
    return KERN_SUCCESS;
}

kern_return_t
vm_object_page_copy(struct vm_object *obj, vm_offset_t offset, struct vm_object *src_owner,
                    const struct vm_page *src, struct vm_page **page)
{
    assert(offset % PAGE_SIZE == 0 && offset < obj->vo_size);
    struct vm_page *fresh = vm_page_grab();
    if (fresh == NULL)
        return KERN_RESOURCE_SHORTAGE;
    // src may be on its way out (pageout): copy it under its owner's lock.
    spin_lock(&src_owner->vo_lock);
    bool there = src->vp_object == src_owner && !(src->vp_flags & VM_PAGE_WAIT_FLAGS);
    if (there)
        memcpy(phys_to_virt(vm_page_to_phys(fresh)), phys_to_virt(vm_page_to_phys(src)), PAGE_SIZE);
    spin_unlock(&src_owner->vo_lock);
    if (!there) {
        vm_page_free(fresh, 0);
        return KERN_MEMORY_RESTART_COPY;
    }
    *page = page_insert_or_free(obj, offset, fresh);
    return KERN_SUCCESS;
}

kern_return_t
vm_object_write(struct vm_object *obj, vm_offset_t offset, const void *kbuf, size_t len)
{
    const char *src = kbuf;

    assert(offset <= obj->vo_size && len <= obj->vo_size - offset);
    while (len > 0) {
        struct vm_page *p;
        vm_offset_t in_page = offset % PAGE_SIZE;
        size_t n = MIN(len, PAGE_SIZE - in_page);
        kern_return_t kr = vm_object_page_get(obj, offset - in_page, &p);
        if (kr != KERN_SUCCESS)
            return kr;
        memcpy((char *)phys_to_virt(vm_page_to_phys(p)) + in_page, src, n);
        vm_object_page_set_dirty(obj, p);
        src += n;
        offset += n;
        len -= n;
    }
    return KERN_SUCCESS;
}

size_t
vm_object_resident_count(struct vm_object *obj)
{
    spin_lock(&obj->vo_lock);
    size_t n = obj->vo_pages.at_count;
    spin_unlock(&obj->vo_lock);
    return n;
}

void
vm_object_page_remove(struct vm_object *obj, vm_offset_t start, vm_offset_t end)
{
    spin_lock(&obj->vo_lock);
    existence_clear_locked(obj, start, end);
    for (vm_offset_t off = start; off < end && obj->vo_pages.at_count > 0; off += PAGE_SIZE) {
        struct vm_page *p = vm_object_page_lookup_locked(obj, off);
        // A busy page's pager answers later; a page being cleaned is
        // settled by its cleaner (and is unreachable here anyway).
        if (p == NULL || (p->vp_flags & (VM_PAGE_BUSY | VM_PAGE_CLEANING)))
            continue;
        avl_remove(&obj->vo_pages, &p->vp_onode);
        __atomic_sub_fetch(&pages_resident, 1, __ATOMIC_RELAXED);
        page_free(p);
    }
    spin_unlock(&obj->vo_lock);
}

bool
vm_object_coalesce(struct vm_object *obj, vm_offset_t end, vm_size_t grow)
{
    bool ok = false;

    spin_lock(&obj->vo_lock);
    if (obj->vo_internal && obj->vo_shadow == NULL && obj->vo_pager == NULL &&
        __atomic_load_n(&obj->vo_refs, __ATOMIC_ACQUIRE) == 1 && obj->vo_size == end &&
        end + grow > end) {
        // No page lies at or above vo_size, so the new part reads as zeros.
        obj->vo_size += grow;
        ok = true;
    }
    spin_unlock(&obj->vo_lock);
    return ok;
}

// ---------------------------------------------------------------------------
// Pages of external objects: the pager's answers (memory_object.c).

bool
vm_object_page_insert_busy(struct vm_object *obj, vm_offset_t offset, struct vm_page *fresh)
{
    bool inserted = false;

    spin_lock(&obj->vo_lock);
    if (vm_object_page_lookup_locked(obj, offset) == NULL) {
        fresh->vp_flags = VM_PAGE_BUSY; // off the paging queues until it has data
        page_insert_locked(obj, offset, fresh);
        inserted = true;
    }
    spin_unlock(&obj->vo_lock);
    return inserted;
}

// Makes a busy placeholder an ordinary page: its data is in place.
static void
page_unbusy_locked(struct vm_object *obj, struct vm_page *p, uint8_t flags)
{
    assert_locked(&obj->vo_lock);
    p->vp_flags = flags;
    vm_page_activate(p);
    thread_wakeup((event_t)p); // the faults waiting in memory_object_page_in
}

// The 4 KiB copy into a busy page happens under the object lock: the page
// may go (object termination, a discard) as soon as the lock is dropped,
// and a copy is short next to the message that brought the data.
kern_return_t
vm_object_page_supply(struct vm_object *obj, vm_offset_t offset, const void *src,
                      vm_prot_t lock_value, bool precious)
{
    struct vm_page *fresh = NULL;

    for (;;) {
        spin_lock(&obj->vo_lock);
        struct vm_page *p = vm_object_page_lookup_locked(obj, offset);
        // Anonymous memory takes from its default pager only what it asked
        // for: a pager may not put data into a task's memory on its own.
        if (p == NULL && obj->vo_internal) {
            spin_unlock(&obj->vo_lock);
            if (fresh != NULL)
                vm_page_free(fresh, 0);
            return KERN_SUCCESS;
        }
        if (p == NULL && fresh != NULL) { // not asked for: a new resident page
            p = fresh;
            fresh = NULL;
            p->vp_flags = VM_PAGE_BUSY;
            page_insert_locked(obj, offset, p);
        }
        if (p != NULL) {
            if (p->vp_flags & VM_PAGE_BUSY) {
                void *dst = phys_to_virt(vm_page_to_phys(p));
                memcpy(dst, src, PAGE_SIZE);
                p->vp_page_lock = (uint8_t)(lock_value & VM_PROT_ALL);
                page_unbusy_locked(obj, p, precious ? VM_PAGE_PRECIOUS : 0);
            } // else: resident already (or in error): the first answer stands
            spin_unlock(&obj->vo_lock);
            if (fresh != NULL)
                vm_page_free(fresh, 0);
            return KERN_SUCCESS;
        }
        spin_unlock(&obj->vo_lock);
        if ((fresh = vm_page_grab()) == NULL)
            return KERN_RESOURCE_SHORTAGE;
    }
}

void
vm_object_page_answer(struct vm_object *obj, vm_offset_t start, vm_offset_t end, bool error)
{
    spin_lock(&obj->vo_lock);
    struct avl_node *n = avl_find_ge(&obj->vo_pages, start);
    for (; n != NULL && n->an_key < end; n = avl_next(n)) {
        struct vm_page *p = container_of(n, struct vm_page, vp_onode);
        if (error && (p->vp_flags & VM_PAGE_UNLOCK)) { // its pager will not unlock it
            p->vp_flags &= (uint8_t)~VM_PAGE_UNLOCK;
            thread_wakeup((event_t)p);
        }
        if (!(p->vp_flags & VM_PAGE_BUSY))
            continue;
        if (error) {
            p->vp_flags = VM_PAGE_ERROR;
            thread_wakeup((event_t)p);
        } else {
            memset(phys_to_virt(vm_page_to_phys(p)), 0, PAGE_SIZE);
            page_unbusy_locked(obj, p, VM_PAGE_DIRTY); // no pager has these zeros
        }
    }
    spin_unlock(&obj->vo_lock);
}

void
vm_object_page_discard_locked(struct vm_object *obj, vm_offset_t offset)
{
    assert_locked(&obj->vo_lock);
    struct vm_page *p = vm_object_page_lookup_locked(obj, offset);
    if (p == NULL || !(p->vp_flags & (VM_PAGE_BUSY | VM_PAGE_ERROR)))
        return;
    avl_remove(&obj->vo_pages, &p->vp_onode);
    __atomic_sub_fetch(&pages_resident, 1, __ATOMIC_RELAXED);
    thread_wakeup((event_t)p); // waiters look again and find no page
    p->vp_flags = 0;
    page_free(p);
}

// ---------------------------------------------------------------------------
// Paging: settling a page that was being cleaned (vm_pageout.c).

void
vm_object_page_cleaned(struct vm_object *obj, struct vm_page *p, bool paged_out)
{
    spin_lock(&obj->vo_lock);
    assert(p->vp_object == obj && (p->vp_flags & VM_PAGE_CLEANING));
    vm_offset_t offset = vm_page_offset(p);
    if (paged_out) {
        struct vm_external_chunk *c = existence_chunk_locked(obj, offset);
        assert(c != NULL); // vm_object_existence_reserve made it
        c->ec_bits |= existence_bit(offset);
    }
    avl_remove(&obj->vo_pages, &p->vp_onode);
    __atomic_sub_fetch(&pages_resident, 1, __ATOMIC_RELAXED);
    thread_wakeup((event_t)p); // waiters look again: the pager has it now
    page_free(p);
    spin_unlock(&obj->vo_lock);
}

void
vm_object_page_clean_failed(struct vm_object *obj, struct vm_page *p)
{
    spin_lock(&obj->vo_lock);
    assert(p->vp_object == obj && (p->vp_flags & VM_PAGE_CLEANING));
    p->vp_flags &= (uint8_t)~VM_PAGE_CLEANING;
    vm_page_activate(p);
    thread_wakeup((event_t)p);
    spin_unlock(&obj->vo_lock);
}

void
vm_object_page_set_dirty(struct vm_object *obj, struct vm_page *p)
{
    spin_lock(&obj->vo_lock);
    p->vp_flags |= VM_PAGE_DIRTY;
    spin_unlock(&obj->vo_lock);
}

struct vm_object *
vm_object_of_page(struct vm_page *p)
{
    struct vm_object *obj = vm_object_allocate(PAGE_SIZE);

    if (obj == NULL)
        return NULL;
    spin_lock(&obj->vo_lock);
    p->vp_flags = 0;
    page_insert_locked(obj, 0, p); // on no paging queue: never paged out itself
    spin_unlock(&obj->vo_lock);
    obj->vo_in_flight = true;
    vm_pageout_carrier_start();
    return obj;
}

// ---------------------------------------------------------------------------
// Shadow chains.

struct vm_object *
vm_object_shadow(struct vm_object *obj, vm_offset_t off, vm_size_t size)
{
    struct vm_object *shadow = vm_object_allocate(size);

    if (shadow == NULL)
        return NULL;
    shadow->vo_shadow = obj; // the caller's reference moves here
    shadow->vo_shadow_offset = off;
    return shadow;
}

void
vm_object_page_find(struct vm_object *top, vm_offset_t offset, struct vm_object **owner,
                    struct vm_page **page, vm_offset_t *where)
{
    struct vm_object *obj = top;

    vm_object_reference(top);
    for (;;) {
        spin_lock(&obj->vo_lock);
        struct vm_page *p = vm_object_page_lookup_locked(obj, offset);
        struct vm_object *next = obj->vo_shadow;
        // Ask the pager (or wait): a page in flight, or one the pager has.
        bool ask = p != NULL
                       ? (p->vp_flags & VM_PAGE_WAIT_FLAGS) != 0
                       : obj->vo_pager != NULL &&
                             (!obj->vo_internal || vm_object_existence_test_locked(obj, offset));
        if (p == NULL && next != NULL && !ask) {
            // Our reference keeps `next` from collapsing into obj or dying
            // while we look at it.
            vm_object_reference(next);
            offset += obj->vo_shadow_offset;
        }
        spin_unlock(&obj->vo_lock);
        if (ask) { // a pager's page: memory_object_page_in waits or asks
            *owner = obj;
            *page = NULL;
            *where = offset;
            return;
        }
        if (p != NULL || next == NULL) {
            *owner = p != NULL ? obj : NULL;
            *page = p;
            *where = offset;
            if (p == NULL)
                vm_object_deallocate(obj);
            return;
        }
        vm_object_deallocate(obj);
        obj = next;
    }
}

// Merges backing, the shadow of obj, into obj, both locked.  Nobody else
// references backing (its count is 1: obj's); obj's lock keeps anyone from
// taking a new reference through obj->vo_shadow, and backing's lock keeps
// the pageout daemon from taking one through a page.  Unlocks backing and
// frees it.  A page obj has at the same place hides backing's,
// which is freed; the others move up.
static void
collapse_one_locked(struct vm_object *obj, struct vm_object *backing)
{
    vm_offset_t delta = obj->vo_shadow_offset;
    struct avl_node *n;

    assert_locked(&obj->vo_lock);
    while ((n = avl_first(&backing->vo_pages)) != NULL) {
        struct vm_page *p = container_of(n, struct vm_page, vp_onode);
        vm_offset_t off = vm_page_offset(p);
        avl_remove(&backing->vo_pages, n);
        __atomic_sub_fetch(&pages_resident, 1, __ATOMIC_RELAXED);
        // A page obj has, resident or with its default pager, hides it.
        if (off >= delta && off - delta < obj->vo_size &&
            vm_object_page_lookup_locked(obj, off - delta) == NULL &&
            !vm_object_existence_test_locked(obj, off - delta)) {
            page_insert_locked(obj, off - delta, p);
        } else {
            page_free(p); // PAGE_QUEUE and PAGE rank above VM_OBJECT
        }
    }
    obj->vo_shadow = backing->vo_shadow; // backing's reference moves up
    obj->vo_shadow_offset = delta + backing->vo_shadow_offset;
    spin_unlock(&backing->vo_lock);
    __atomic_sub_fetch(&vm_object_live, 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&collapses, 1, __ATOMIC_RELAXED);
    zfree(vm_object_zone, backing);
}

void
vm_object_collapse(struct vm_object *obj)
{
    struct vm_object *backing;

    spin_lock(&obj->vo_lock);
    // An object with a pager stays: its pager, not its pages, is what it
    // is.  The pageout daemon can take a reference to backing through one
    // of its pages, under backing's lock: so the count is read with that
    // lock held too (a try: object locks are not nested in order).
    while ((backing = obj->vo_shadow) != NULL && backing->vo_pager == NULL &&
           spin_trylock(&backing->vo_lock)) {
        bool alone = __atomic_load_n(&backing->vo_refs, __ATOMIC_ACQUIRE) == 1;
        if (alone)
            collapse_one_locked(obj, backing); // frees backing and its lock
        else
            spin_unlock(&backing->vo_lock);
        if (!alone)
            break;
    }
    spin_unlock(&obj->vo_lock);
}

unsigned
vm_object_chain_depth(struct vm_object *obj)
{
    unsigned depth = 0;

    while (obj != NULL) {
        depth++;
        spin_lock(&obj->vo_lock);
        struct vm_object *next = obj->vo_shadow;
        spin_unlock(&obj->vo_lock);
        obj = next;
    }
    return depth;
}

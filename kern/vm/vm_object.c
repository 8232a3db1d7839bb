// SPDX-License-Identifier: MIT
//
// Internal (anonymous) memory objects: reference counting, the tree of
// resident pages, zero fill.  See vm_object.h.
//
// Races on a page that is not yet resident: two faults on the same offset
// may both allocate and zero a page with the object lock dropped; the
// second to take the lock again finds the first one's page in the tree and
// frees its own.  A page never leaves its object before the object dies
// (there is no pageout yet), so a caller holding a reference may use the
// page it got without the lock.  The VM issue replaces this with Mach's
// busy pages when pagers and pageout arrive.

#include <vm/vm_object.h>
#include <vm/vm_page.h>
#include <vm/pmap.h>
#include <kern/assert.h>
#include <kern/zalloc.h>
#include <lib/string.h>

static struct zone *vm_object_zone; // constant after vm_object_init
static size_t vm_object_live;       // atomic

void
vm_object_init(void)
{
    vm_object_zone = zone_create("vm_object", sizeof(struct vm_object), 8);
    if (vm_object_zone == NULL)
        panic("vm_object_init: cannot create the object zone");
}

size_t
vm_object_count(void)
{
    return __atomic_load_n(&vm_object_live, __ATOMIC_RELAXED);
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
    __atomic_add_fetch(&vm_object_live, 1, __ATOMIC_RELAXED);
    return obj;
}

void
vm_object_reference(struct vm_object *obj)
{
    uint32_t old = __atomic_fetch_add(&obj->vo_refs, 1, __ATOMIC_RELAXED);

    assert(old > 0);
}

// Frees the object's pages and the object; nobody else can reach it.
static void
vm_object_terminate(struct vm_object *obj)
{
    struct avl_node *n;

    spin_lock(&obj->vo_lock);
    while ((n = avl_first(&obj->vo_pages)) != NULL) {
        struct vm_page *p = container_of(n, struct vm_page, vp_onode);
        avl_remove(&obj->vo_pages, n);
        p->vp_object = NULL;
        spin_unlock(&obj->vo_lock); // the page allocator ranks above us, but
        vm_page_free(p, 0);         // keep hold times short all the same
        spin_lock(&obj->vo_lock);
    }
    spin_unlock(&obj->vo_lock);
    __atomic_sub_fetch(&vm_object_live, 1, __ATOMIC_RELAXED);
    zfree(vm_object_zone, obj);
}

void
vm_object_deallocate(struct vm_object *obj)
{
    uint32_t old = __atomic_fetch_sub(&obj->vo_refs, 1, __ATOMIC_ACQ_REL);

    assert(old > 0);
    if (old == 1)
        vm_object_terminate(obj);
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

    struct vm_page *fresh = vm_page_alloc(0);
    if (fresh == NULL)
        return KERN_RESOURCE_SHORTAGE;
    memset(phys_to_virt(vm_page_to_phys(fresh)), 0, PAGE_SIZE);

    spin_lock(&obj->vo_lock);
    p = vm_object_page_lookup_locked(obj, offset);
    if (p == NULL) { // still absent: ours goes in
        p = fresh;
        p->vp_object = obj;
        p->vp_onode.an_key = offset;
        avl_insert(&obj->vo_pages, &p->vp_onode);
        fresh = NULL;
    }
    spin_unlock(&obj->vo_lock);
    if (fresh != NULL) // lost the race to another fault
        vm_page_free(fresh, 0);
    *page = p;
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

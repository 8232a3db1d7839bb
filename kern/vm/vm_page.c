// SPDX-License-Identifier: MIT
//
// The physical page allocator: the boot memory map turned into segments of
// struct vm_page, and the buddy allocator (vm_buddy.c) behind one lock.
//
// Bootstrapping runs in two phases because the boot page tables map only
// the first 4 GiB.  Phase 1 (vm_page_bootstrap) places every struct vm_page
// in RAM below 4 GiB and frees only the pages below 4 GiB, so everything
// pmap_bootstrap() allocates for the final page tables is reachable through
// the boot direct map.  Phase 2 (vm_page_bootstrap_high) frees the rest once
// the final direct map covers it.
//
// Reserved for good: the first MiB (BIOS data, real-mode structures), the
// kernel image, the boot modules (GRUB may place them below the kernel), the
// loader's information structure and the page metadata itself.
//
// The paging queues live here too: pages holding object data are on the
// active or inactive queue (vm_page.h), behind their own lock, which is
// never held together with the allocator's.

#include <vm/vm_page.h>
#include <vm/vm_buddy.h>
#include <vm/vm_physmap.h>
#include <vm/pmap.h>
#include <kern/assert.h>
#include <kern/bootinfo.h>
#include <kern/console.h>
#include <kern/spinlock.h>

#define LOW_LIMIT   0x100000000ull /* the boot direct map ends here */
#define SET_CAP     (2 * BOOT_MEM_MAX + BOOT_MOD_MAX + 8)
#define META_PREFER 0x1000000ull /* keep metadata above 16 MiB when possible */

extern char kernel_start[], kernel_end[];

static struct spinlock vm_page_lock = SPINLOCK_INIT("vm_page", LOCK_RANK_PAGE);
static struct vm_buddy vm_page_buddy; // protected by vm_page_lock

// Free RAM above 4 GiB, waiting for phase 2.  Boot CPU only, before SMP.
static struct phys_range high_ranges[SET_CAP];
static struct phys_set high_free = {high_ranges, 0, SET_CAP};

// Usable RAM: available regions minus anything the map also calls
// reserved (firmware maps can overlap), in whole pages, inside the direct map.
static void
usable_ram(struct phys_set *ram)
{
    for (unsigned i = 0; i < boot_info.nmem; i++) {
        const struct boot_region *m = &boot_info.mem[i];
        if (m->type == BOOT_MEM_AVAILABLE && !phys_set_add(ram, m->base, m->base + m->size))
            kprintf("vm: too many memory regions, ignoring %#lx..%#lx\n", m->base,
                    m->base + m->size);
    }
    phys_set_normalize(ram);
    for (unsigned i = 0; i < boot_info.nmem; i++) {
        const struct boot_region *m = &boot_info.mem[i];
        if (m->type != BOOT_MEM_AVAILABLE)
            phys_set_subtract(ram, m->base, m->base + m->size);
    }
    phys_set_align_inward(ram, PAGE_SIZE);
    phys_set_subtract(ram, DIRECT_MAP_SIZE, ~0ull);
}

static void
reserve_boot_ranges(struct phys_set *free)
{
    paddr_t kstart = (paddr_t)(uintptr_t)kernel_start - KERNEL_VMA;
    paddr_t kend = (paddr_t)(uintptr_t)kernel_end - KERNEL_VMA;

    phys_set_subtract(free, 0, 0x100000);
    phys_set_subtract(free, ROUND_DOWN(kstart, PAGE_SIZE), ROUND_UP(kend, PAGE_SIZE));
    for (unsigned i = 0; i < boot_info.nmods; i++)
        phys_set_subtract(free, ROUND_DOWN(boot_info.mods[i].start, PAGE_SIZE),
                          ROUND_UP(boot_info.mods[i].end, PAGE_SIZE));
    phys_set_subtract(free, ROUND_DOWN(boot_info.info_start, PAGE_SIZE),
                      ROUND_UP(boot_info.info_end, PAGE_SIZE));
}

// Takes `bytes` (page rounded) of free RAM below 4 GiB for the page
// metadata, preferring memory above 16 MiB (old DMA devices want the low
// part); panics when there is none: the kernel cannot run without it.
static paddr_t
steal_low(struct phys_set *free, size_t bytes)
{
    bytes = ROUND_UP(bytes, PAGE_SIZE);
    for (int pass = 0; pass < 2; pass++) {
        for (unsigned i = 0; i < free->n; i++) {
            paddr_t a = MAX(free->r[i].start, pass == 0 ? META_PREFER : 0);
            if (a + bytes <= MIN(free->r[i].end, LOW_LIMIT)) {
                phys_set_subtract(free, a, a + bytes);
                return a;
            }
        }
    }
    panic("vm: no %zu bytes of RAM below 4 GiB for the page array", bytes);
}

static void
add_segments(const struct phys_set *ram, paddr_t meta)
{
    struct vm_page *pages = phys_to_virt(meta);

    for (unsigned i = 0; i < ram->n; i++) {
        if (!vm_buddy_add_segment(&vm_page_buddy, ram->r[i].start, ram->r[i].end, pages))
            panic("vm: cannot add RAM segment %#lx..%#lx", ram->r[i].start, ram->r[i].end);
        pages += (ram->r[i].end - ram->r[i].start) / PAGE_SIZE;
    }
}

void
vm_page_bootstrap(void)
{
    static struct phys_range ram_r[SET_CAP], free_r[SET_CAP];
    struct phys_set ram = {ram_r, 0, SET_CAP}, free = {free_r, 0, SET_CAP};
    size_t npages = 0;

    usable_ram(&ram);
    if (ram.n > VM_BUDDY_SEGS_MAX)
        ram.n = VM_BUDDY_SEGS_MAX; // the highest segments are lost; say so below
    for (unsigned i = 0; i < ram.n; i++) {
        npages += (ram.r[i].end - ram.r[i].start) / PAGE_SIZE;
        phys_set_add(&free, ram.r[i].start, ram.r[i].end);
    }
    reserve_boot_ranges(&free);
    paddr_t meta = steal_low(&free, npages * sizeof(struct vm_page));

    spin_lock(&vm_page_lock);
    vm_buddy_init(&vm_page_buddy);
    add_segments(&ram, meta);
    for (unsigned i = 0; i < free.n; i++) {
        paddr_t a = free.r[i].start, b = free.r[i].end;
        if (a < LOW_LIMIT)
            vm_buddy_release(&vm_page_buddy, a, MIN(b, LOW_LIMIT));
        if (b > LOW_LIMIT)
            phys_set_add(&high_free, MAX(a, LOW_LIMIT), b);
    }
    spin_unlock(&vm_page_lock);
    kprintf("vm: %zu MiB of RAM in %u segments, page array %zu KiB at %#lx\n",
            npages >> (20 - PAGE_SHIFT), ram.n, npages * sizeof(struct vm_page) >> 10, meta);
}

void
vm_page_bootstrap_high(void)
{
    spin_lock(&vm_page_lock);
    for (unsigned i = 0; i < high_free.n; i++)
        vm_buddy_release(&vm_page_buddy, high_free.r[i].start, high_free.r[i].end);
    high_free.n = 0;
    spin_unlock(&vm_page_lock);
    kprintf("vm: %zu of %zu pages free\n", vm_page_free_count(), vm_page_total_count());
}

struct vm_page *
vm_page_alloc(unsigned order)
{
    spin_lock(&vm_page_lock);
    struct vm_page *p = vm_buddy_alloc(&vm_page_buddy, order);
    spin_unlock(&vm_page_lock);
    return p;
}

void
vm_page_free(struct vm_page *p, unsigned order)
{
    // The owner dequeues first (vm_page_dequeue): a queued page is object
    // data, and the queue lock may not be taken here, under pmap locks.
    assert(p->vp_queue == VM_PAGE_Q_NONE);
    spin_lock(&vm_page_lock);
    vm_buddy_free(&vm_page_buddy, p, order);
    spin_unlock(&vm_page_lock);
}

// Segments never change after phase 1, so lookups need no lock.
struct vm_page *
vm_page_lookup(paddr_t pa)
{
    return vm_buddy_lookup(&vm_page_buddy, pa);
}

bool
vm_page_segment(unsigned i, paddr_t *start, paddr_t *end)
{
    if (i >= vm_page_buddy.vb_nsegs)
        return false;
    *start = vm_page_buddy.vb_segs[i].start;
    *end = vm_page_buddy.vb_segs[i].end;
    return true;
}

size_t
vm_page_free_count(void)
{
    return __atomic_load_n(&vm_page_buddy.vb_free_pages, __ATOMIC_RELAXED);
}

size_t
vm_page_total_count(void)
{
    return vm_page_buddy.vb_total_pages;
}

// ---------------------------------------------------------------------------
// Paging queues: lists through vp_next/vp_prev, newest (warmest) at the head.

struct page_queue {
    struct vm_page *pq_head, *pq_tail;
    size_t pq_count;
};

static struct spinlock page_queue_lock = SPINLOCK_INIT("vm_page_queue", LOCK_RANK_VM_PAGE_QUEUE);
// Protected by page_queue_lock; index by enum vm_page_queue (NONE unused).
static struct page_queue page_queues[3];
static size_t reactivations; // protected by page_queue_lock

static void
queue_remove_locked(struct vm_page *p)
{
    struct page_queue *q = &page_queues[p->vp_queue];

    assert_locked(&page_queue_lock);
    if (p->vp_queue == VM_PAGE_Q_NONE)
        return;
    if (p->vp_prev != NULL)
        p->vp_prev->vp_next = p->vp_next;
    else
        q->pq_head = p->vp_next;
    if (p->vp_next != NULL)
        p->vp_next->vp_prev = p->vp_prev;
    else
        q->pq_tail = p->vp_prev;
    q->pq_count--;
    p->vp_next = p->vp_prev = NULL;
    p->vp_queue = VM_PAGE_Q_NONE;
}

static void
queue_insert_head_locked(struct vm_page *p, enum vm_page_queue which)
{
    struct page_queue *q = &page_queues[which];

    assert_locked(&page_queue_lock);
    assert(p->vp_queue == VM_PAGE_Q_NONE && p->vp_state == VM_PAGE_INUSE);
    p->vp_prev = NULL;
    p->vp_next = q->pq_head;
    if (q->pq_head != NULL)
        q->pq_head->vp_prev = p;
    else
        q->pq_tail = p;
    q->pq_head = p;
    q->pq_count++;
    p->vp_queue = (uint8_t)which;
}

void
vm_page_requeue_locked(struct vm_page *p, enum vm_page_queue which)
{
    if (which == VM_PAGE_Q_ACTIVE && p->vp_queue == VM_PAGE_Q_INACTIVE)
        reactivations++;
    queue_remove_locked(p);
    if (which != VM_PAGE_Q_NONE)
        queue_insert_head_locked(p, which);
}

static void
page_requeue(struct vm_page *p, enum vm_page_queue which)
{
    spin_lock(&page_queue_lock);
    vm_page_requeue_locked(p, which);
    spin_unlock(&page_queue_lock);
}

void
vm_page_queue_lock(void)
{
    spin_lock(&page_queue_lock);
}

void
vm_page_queue_unlock(void)
{
    spin_unlock(&page_queue_lock);
}

struct vm_page *
vm_page_queue_cold_locked(enum vm_page_queue which)
{
    assert_locked(&page_queue_lock);
    return page_queues[which].pq_tail;
}

size_t
vm_page_queue_count_locked(enum vm_page_queue which)
{
    assert_locked(&page_queue_lock);
    return page_queues[which].pq_count;
}

size_t
vm_page_queue_count(enum vm_page_queue which)
{
    return __atomic_load_n(&page_queues[which].pq_count, __ATOMIC_RELAXED);
}

void
vm_page_activate(struct vm_page *p)
{
    page_requeue(p, VM_PAGE_Q_ACTIVE);
}

void
vm_page_deactivate(struct vm_page *p)
{
    page_requeue(p, VM_PAGE_Q_INACTIVE);
}

void
vm_page_dequeue(struct vm_page *p)
{
    page_requeue(p, VM_PAGE_Q_NONE);
}

size_t
vm_page_reactivations(void)
{
    spin_lock(&page_queue_lock);
    size_t n = reactivations;
    spin_unlock(&page_queue_lock);
    return n;
}

// wired is derived, so the four always add up to the total; while pages
// move, the split between them may be off by the pages in flight.
void
vm_page_counts(struct vm_page_counts *c)
{
    spin_lock(&page_queue_lock);
    size_t active = page_queues[VM_PAGE_Q_ACTIVE].pq_count;
    size_t inactive = page_queues[VM_PAGE_Q_INACTIVE].pq_count;
    spin_unlock(&page_queue_lock);
    size_t total = vm_page_total_count(), free = vm_page_free_count();
    size_t used = total - MIN(free, total);
    *c = (struct vm_page_counts){
        .vpc_free = free,
        .vpc_active = active,
        .vpc_inactive = inactive,
        .vpc_wired = used - MIN(active + inactive, used),
        .vpc_total = total,
    };
}

void *
vm_kpage_alloc(unsigned order)
{
    struct vm_page *p = vm_page_alloc(order);

    return p != NULL ? phys_to_virt(vm_page_to_phys(p)) : NULL;
}

void
vm_kpage_free(void *va, unsigned order)
{
    struct vm_page *p = vm_page_lookup((paddr_t)((uintptr_t)va - DIRECT_MAP_BASE));

    if (p == NULL)
        panic("vm_kpage_free: %p is not a direct-mapped RAM page", va);
    vm_page_free(p, order);
}

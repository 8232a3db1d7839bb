// SPDX-License-Identifier: MIT
//
// x86-64 page tables (see vm/pmap.h): the kernel's, and per-task pmaps
// with the physical-to-virtual (pv) lists of the pages they map.
//
// pmap_bootstrap() builds a fresh four-level hierarchy from pages of the
// phase-1 page allocator (all below 4 GiB, so reachable through the boot
// tables' direct map while we write them) and loads it:
//
//   PML4 256..   direct map: every 2 MiB block that is all RAM is one
//                write-back 2 MiB page; a block below 4 GiB with no RAM is
//                one uncached 2 MiB page (LAPIC, IOAPIC, PCI holes); a mixed
//                block gets a page table with RAM write-back and the rest
//                uncached (below 4 GiB) or unmapped (above).  Never executable.
//   PML4 384     the kernel arena: its PDPT is created here, lower levels on
//                demand by pmap_kenter().
//   PML4 511     the image at KERNEL_VMA in 4 KiB pages with W^X: text
//                read+execute, rodata read-only, data and bss read-write,
//                the last two no-execute.
//
// The lower half stays empty: no identity map once we switch.  Page tables
// of the kernel half are never freed, so lock-free walks (pmap_kextract)
// never see a table disappear.
//
// Per-task pmaps (the second half of this file) own a PML4 whose entries
// 256..511 are copies of the kernel's, so they share every kernel table,
// and whose user half (entries 0..255) is built on demand by pmap_enter
// with 4 KiB pages only.  Every user translation of a page of RAM is also
// recorded on that page (a pv entry on its vm_page), so the VM system can
// find, test, clear, write-protect and remove all translations of one
// physical page; the referenced and modified bits of translations that go
// away are gathered into the page.  The lock protocol is at the head of
// that half.

#include <vm/pmap.h>
#include <vm/kmem.h>
#include <vm/vm_buddy.h>
#include <vm/vm_page.h>
#include <vm/vm_physmap.h>
#include <kern/assert.h>
#include <kern/console.h>
#include <kern/cpu.h>
#include <kern/spinlock.h>
#include <kern/zalloc.h>
#include <lib/string.h>
#include <machine/cpufunc.h>
#include <machine/pte.h>

#define LOW_4G        0x100000000ull
#define FLUSH_ALL_MIN 64 /* pages: flush the whole TLB from here on */

extern char kernel_start[], kernel_end[], rodata_start[], data_start[];

static struct spinlock kpmap_lock = SPINLOCK_INIT("kernel_pmap", LOCK_RANK_KPMAP);
static uint64_t *kernel_pml4; // protected by kpmap_lock (its arena subtree)
static uint64_t pte_nx;       // constant after pmap_bootstrap

struct pmap {
    struct spinlock pm_lock;
    /* Protected by pm_lock. */
    uint64_t *pm_pml4;  // through the direct map; constant after creation
    size_t pm_resident; // present user leaf entries
    size_t pm_tables;   // page-table pages of the user half, PML4 included
    /* Atomic: bit i set while the pmap is loaded on CPU i (pmap_activate). */
    uint64_t pm_cpus;
};

// The kernel pmap: kernel_pml4 with no user half.  Never destroyed.
static struct pmap kernel_pmap_store = {
    .pm_lock = SPINLOCK_INIT("pmap", LOCK_RANK_PMAP),
};
struct pmap *kernel_pmap = &kernel_pmap_store;

uint64_t
pmap_nx_bit(void)
{
    return pte_nx;
}

// A zeroed page for a page table, through the direct map; NULL if none.
static uint64_t *
table_alloc(void)
{
    uint64_t *t = vm_kpage_alloc(0);

    if (t != NULL)
        memset(t, 0, PAGE_SIZE);
    return t;
}

static uint64_t *
entry_table(uint64_t e)
{
    return phys_to_virt(e & PTE_ADDR);
}

// The table that t[i] points to, created if absent; NULL if that fails.
static uint64_t *
next_table(uint64_t *t, unsigned i)
{
    if (!(t[i] & PTE_P)) {
        uint64_t *n = table_alloc();
        if (n == NULL)
            return NULL;
        t[i] = ((uintptr_t)n - DIRECT_MAP_BASE) | PTE_P | PTE_W;
    }
    assert(!(t[i] & PTE_PS));
    return entry_table(t[i]);
}

// The entry for va at `level` (1: 4 KiB page table entry, 2: 2 MiB page
// directory entry), creating the tables above it; NULL if that fails.
static uint64_t *
walk_alloc(uint64_t *pml4, vaddr_t va, int level)
{
    uint64_t *pdpt = next_table(pml4, PML4_INDEX(va));
    uint64_t *pd = pdpt != NULL ? next_table(pdpt, PDPT_INDEX(va)) : NULL;

    if (pd == NULL || level == 2)
        return pd != NULL ? &pd[PD_INDEX(va)] : NULL;
    uint64_t *pt = next_table(pd, PD_INDEX(va));
    return pt != NULL ? &pt[PT_INDEX(va)] : NULL;
}

// The leaf entry for va in the hierarchy at pml4 and its page size, or NULL.
static uint64_t *
walk_lookup(uint64_t *pml4, vaddr_t va, uint64_t *pgsize)
{
    uint64_t *e = &pml4[PML4_INDEX(va)];
    static const uint64_t size[] = {0, 1ull << 39, 1ull << 30, 1ull << 21, 1ull << 12};
    static const int shift[] = {0, 39, 30, 21, 12};

    for (int level = 1;; level++) {
        if (!(*e & PTE_P))
            return NULL;
        if (level == 4 || ((level == 2 || level == 3) && (*e & PTE_PS))) {
            *pgsize = size[level];
            return e;
        }
        e = &entry_table(*e)[(va >> shift[level + 1]) & 511];
    }
}

static uint64_t *
boot_walk(uint64_t *pml4, vaddr_t va, int level)
{
    uint64_t *e = walk_alloc(pml4, va, level);

    if (e == NULL)
        panic("pmap_bootstrap: out of memory for page tables");
    return e;
}

// One 2 MiB block of the direct map.  ram holds the page-allocator segments.
static void
map_direct_block(uint64_t *pml4, const struct phys_set *ram, paddr_t b)
{
    const uint64_t wb = PTE_P | PTE_W | pte_nx, uc = wb | PTE_PCD | PTE_PWT;
    uint64_t cov = phys_set_overlap(ram, b, b + LARGE_PAGE_SIZE);

    if (cov == LARGE_PAGE_SIZE || (cov == 0 && b < LOW_4G)) {
        *boot_walk(pml4, DIRECT_MAP_BASE + b, 2) = b | PTE_PS | (cov != 0 ? wb : uc);
        return;
    }
    if (cov == 0)
        return;
    for (paddr_t p = b; p < b + LARGE_PAGE_SIZE; p += PAGE_SIZE) {
        bool is_ram = phys_set_overlap(ram, p, p + PAGE_SIZE) != 0;
        if (is_ram || p < LOW_4G)
            *boot_walk(pml4, DIRECT_MAP_BASE + p, 1) = p | (is_ram ? wb : uc);
    }
}

static void
map_direct(uint64_t *pml4)
{
    static struct phys_range r[VM_BUDDY_SEGS_MAX];
    struct phys_set ram = {r, 0, VM_BUDDY_SEGS_MAX};
    paddr_t s, e, top = LOW_4G;

    for (unsigned i = 0; vm_page_segment(i, &s, &e) && phys_set_add(&ram, s, e); i++)
        top = MAX(top, ROUND_UP(e, LARGE_PAGE_SIZE));
    for (paddr_t b = 0; b < top; b += LARGE_PAGE_SIZE)
        map_direct_block(pml4, &ram, b);
}

static void
map_image(uint64_t *pml4)
{
    vaddr_t start = ROUND_DOWN((vaddr_t)kernel_start, PAGE_SIZE);
    vaddr_t end = ROUND_UP((vaddr_t)kernel_end, PAGE_SIZE);

    for (vaddr_t va = start; va < end; va += PAGE_SIZE) {
        uint64_t prot;
        if (va < (vaddr_t)rodata_start)
            prot = PTE_P; // text: read and execute
        else if (va < (vaddr_t)data_start)
            prot = PTE_P | pte_nx; // rodata
        else
            prot = PTE_P | PTE_W | pte_nx; // data, bss
        *boot_walk(pml4, va, 1) = (va - KERNEL_VMA) | prot;
    }
}

void
pmap_bootstrap(void)
{
    uint32_t r[4];

    cpuid(0x80000000, 0, r);
    if (r[0] >= 0x80000001) {
        cpuid(0x80000001, 0, r);
        pte_nx = (r[3] & (1u << 20)) ? PTE_NX : 0; // boot.S set EFER.NXE to match
    }
    uint64_t *pml4 = table_alloc();
    if (pml4 == NULL || next_table(pml4, PML4_INDEX(KVA_BASE)) == NULL)
        panic("pmap_bootstrap: out of memory for page tables");
    map_direct(pml4);
    map_image(pml4);
    kernel_pml4 = pml4;
    kernel_pmap_store.pm_pml4 = pml4;
    write_cr3((uintptr_t)pml4 - DIRECT_MAP_BASE);
    kprintf("pmap: kernel page tables at %#lx, NX %s\n", (uintptr_t)pml4 - DIRECT_MAP_BASE,
            pte_nx ? "on" : "off (CPU lacks it)");
}

static bool
in_arena(vaddr_t va, size_t size)
{
    return va >= KVA_BASE && size <= KVA_SIZE && va - KVA_BASE <= KVA_SIZE - size;
}

bool
pmap_kenter(vaddr_t va, paddr_t pa, unsigned prot)
{
    uint64_t bits = PTE_P;

    assert(in_arena(va, PAGE_SIZE) && va % PAGE_SIZE == 0 && pa % PAGE_SIZE == 0);
    bits |= (prot & PMAP_KWRITE) ? PTE_W : 0;
    bits |= (prot & PMAP_KEXEC) ? 0 : pte_nx;
    bits |= (prot & PMAP_KNOCACHE) ? PTE_PCD | PTE_PWT : 0;
    spin_lock(&kpmap_lock);
    uint64_t *pte = walk_alloc(kernel_pml4, va, 1);
    if (pte != NULL) {
        if (*pte & PTE_P)
            panic("pmap_kenter: %#lx is already mapped", va);
        __atomic_store_n(pte, pa | bits, __ATOMIC_RELEASE);
    }
    spin_unlock(&kpmap_lock);
    return pte != NULL;
}

void
pmap_kremove(vaddr_t va, size_t size)
{
    uint64_t pgsize;

    assert(in_arena(va, size) && va % PAGE_SIZE == 0 && size % PAGE_SIZE == 0);
    spin_lock(&kpmap_lock);
    for (vaddr_t p = va; p < va + size; p += PAGE_SIZE) {
        uint64_t *pte = walk_lookup(kernel_pml4, p, &pgsize);
        if (pte != NULL) {
            assert(pgsize == PAGE_SIZE);
            __atomic_store_n(pte, 0, __ATOMIC_RELEASE);
        }
    }
    spin_unlock(&kpmap_lock);
    pmap_tlb_flush(va, size);
}

bool
pmap_kernel_leaf(vaddr_t va, uint64_t *pte, uint64_t *pgsize)
{
    uint64_t size;
    uint64_t *e = walk_lookup(phys_to_virt(read_cr3() & PTE_ADDR), va, &size);

    if (e == NULL)
        return false;
    *pte = __atomic_load_n(e, __ATOMIC_ACQUIRE);
    *pgsize = size;
    return true;
}

bool
pmap_kextract(vaddr_t va, paddr_t *pa)
{
    uint64_t pte, size;

    if (!pmap_kernel_leaf(va, &pte, &size))
        return false;
    *pa = (pte & PTE_ADDR & ~(size - 1)) | (va & (size - 1));
    return true;
}

paddr_t
kvtophys(vaddr_t va)
{
    paddr_t pa;

    if (va >= DIRECT_MAP_BASE && va - DIRECT_MAP_BASE < DIRECT_MAP_SIZE)
        return va - DIRECT_MAP_BASE;
    if (!pmap_kextract(va, &pa))
        panic("kvtophys: %#lx is not mapped", va);
    return pa;
}

void
pmap_tlb_flush(vaddr_t va, size_t size)
{
    size_t pages = (ROUND_UP(va + size, PAGE_SIZE) - ROUND_DOWN(va, PAGE_SIZE)) / PAGE_SIZE;

    if (pages >= FLUSH_ALL_MIN) {
        write_cr3(read_cr3()); // no global pages yet, so this flushes everything
        return;
    }
    for (size_t i = 0; i < pages; i++)
        invlpg(ROUND_DOWN(va, PAGE_SIZE) + i * PAGE_SIZE);
}

void *
pmap_map_device(paddr_t pa, size_t size)
{
    paddr_t start = ROUND_DOWN(pa, PAGE_SIZE), end = ROUND_UP(pa + size, PAGE_SIZE);

    if (end <= LOW_4G && end >= start)
        return phys_to_virt(pa);
    vaddr_t va = kmem_va_alloc(end - start);
    if (va == 0)
        return NULL;
    for (paddr_t p = start; p < end; p += PAGE_SIZE) {
        if (!pmap_kenter(va + (p - start), p, PMAP_KWRITE | PMAP_KNOCACHE)) {
            pmap_kremove(va, p - start);
            kmem_va_free(va, end - start);
            return NULL;
        }
    }
    return (void *)(va + (pa - start));
}

// ---------------------------------------------------------------------------
// Per-task pmaps.
//
// Two kinds of lock.  Each pmap's pm_lock (rank PMAP) guards its page
// tables and pm_resident.  The one pv_lock (rank PV, below PMAP) guards
// every page's pv list and vp_pv_attrs, and is taken first.  The invariant
// that ties them, changed only with both held:
//
//   page p has a pv entry (pmap, va)  <=>  pmap's entry for va is present
//                                          and maps p
//
// so every path that adds or removes a translation of RAM (enter, remove,
// destroy, pmap_page_protect) holds pv_lock, while changing bits in place
// (write-protecting, clearing A or D) needs just pm_lock; the calls by page
// hold pv_lock as well, to walk the list that finds the translations.
// pv entries come from their zone under pv_lock but never under a pm_lock
// (ZONE ranks between the two): removal chains them on a local "dead" list
// and frees it once pm_lock is dropped.  Device memory (pa not RAM) has no
// struct vm_page and is not tracked.
//
// The MMU sets A and D in present entries behind our back, so entries are
// changed with atomic exchange, AND or compare-and-swap: a plain
// read-modify-write could lose a D bit set in between.  The bits a removed
// or replaced translation carried are gathered into its page's
// vp_pv_attrs, so a page's referenced/modified state outlives its mappings.

// The user translations of one page: one per (pmap, va), on vp_pv.
struct pv_entry {
    struct pv_entry *pv_next; // next translation of the same page
    struct pmap *pv_pmap;
    vaddr_t pv_va;
};

// vp_pv_attrs: bits gathered from translations that are gone.
#define PV_REFERENCED 0x01 // PTE_A
#define PV_MODIFIED   0x02 // PTE_D

static struct spinlock pv_lock = SPINLOCK_INIT("pv", LOCK_RANK_PV);
static size_t user_table_pages;            // atomic: pm_tables summed over live pmaps
static size_t pv_live;                     // atomic: pv entries allocated
static struct zone *pmap_zone;             // constant after pmap_init
static struct zone *pv_zone;               // constant after pmap_init
static struct pmap *pmap_active[MAX_CPUS]; // per CPU, NULL meaning kernel_pmap

size_t
pmap_table_pages(void)
{
    return __atomic_load_n(&user_table_pages, __ATOMIC_RELAXED);
}

size_t
pmap_pv_count(void)
{
    return __atomic_load_n(&pv_live, __ATOMIC_RELAXED);
}

size_t
pmap_resident_count(struct pmap *pmap)
{
    spin_lock(&pmap->pm_lock);
    size_t n = pmap->pm_resident;
    spin_unlock(&pmap->pm_lock);
    return n;
}

static uint64_t *
user_table_alloc(struct pmap *pmap)
{
    uint64_t *t = table_alloc();

    if (t != NULL) {
        pmap->pm_tables++;
        __atomic_add_fetch(&user_table_pages, 1, __ATOMIC_RELAXED);
    }
    return t;
}

static void
user_table_free(struct pmap *pmap, uint64_t *t)
{
    pmap->pm_tables--;
    __atomic_sub_fetch(&user_table_pages, 1, __ATOMIC_RELAXED);
    vm_kpage_free(t, 0);
}

static bool
is_user_range(vaddr_t start, vaddr_t end)
{
    return start >= USER_MIN && start <= end && end <= USER_MAX && start % PAGE_SIZE == 0 &&
           end % PAGE_SIZE == 0;
}

void
pmap_init(void)
{
    pmap_zone = zone_create("pmap", sizeof(struct pmap), 64);
    pv_zone = zone_create("pv_entry", sizeof(struct pv_entry), 8);
    if (pmap_zone == NULL || pv_zone == NULL)
        panic("pmap_init: cannot create the pmap zones");
    // Give the pv zone its reserve slab now, which it keeps while empty:
    // the first fault wants an entry, and a slab appearing then would look
    // like a leak to checks that count free pages around it.
    void *pv = zalloc(pv_zone);
    if (pv == NULL)
        panic("pmap_init: no memory for pv entries");
    zfree(pv_zone, pv);
}

// ---------------------------------------------------------------------------
// pv entries.  Every function here runs with pv_lock held.

// A new pv entry, or NULL when the zone is out of memory.
static struct pv_entry *
pv_alloc_locked(void)
{
    assert_locked(&pv_lock);
    struct pv_entry *pv = zalloc(pv_zone);
    if (pv != NULL) {
        pv->pv_next = NULL; // a chain of one until it is linked
        __atomic_add_fetch(&pv_live, 1, __ATOMIC_RELAXED);
    }
    return pv;
}

// Frees a chain of pv entries linked by pv_next.  No pm_lock may be held.
static void
pv_free_chain_locked(struct pv_entry *dead)
{
    assert_locked(&pv_lock);
    while (dead != NULL) {
        struct pv_entry *next = dead->pv_next;
        zfree(pv_zone, dead);
        __atomic_sub_fetch(&pv_live, 1, __ATOMIC_RELAXED);
        dead = next;
    }
}

// The link in p's list that points at the entry (pmap, va), or at the
// list's NULL end when there is none.
static struct pv_entry **
pv_slot_locked(struct vm_page *p, const struct pmap *pmap, vaddr_t va)
{
    struct pv_entry **pp = &p->vp_pv;

    assert_locked(&pv_lock);
    while (*pp != NULL && ((*pp)->pv_pmap != pmap || (*pp)->pv_va != va))
        pp = &(*pp)->pv_next;
    return pp;
}

// Adds the referenced/modified bits of page-table entry pte to p.
static void
pv_gather_locked(struct vm_page *p, uint64_t pte)
{
    assert_locked(&pv_lock);
    p->vp_pv_attrs |= ((pte & PTE_A) ? PV_REFERENCED : 0) | ((pte & PTE_D) ? PV_MODIFIED : 0);
}

// The translation of va in pmap has just been cleared from its entry,
// whose last value was `old`: when it mapped RAM, its pv entry leaves the
// page for *dead and its bits are gathered into the page.  pmap's lock
// held too.
static void
pv_remove_locked(struct pmap *pmap, vaddr_t va, uint64_t old, struct pv_entry **dead)
{
    struct vm_page *p = vm_page_lookup(old & PTE_ADDR);

    assert_locked(&pmap->pm_lock);
    if (p == NULL)
        return; // device memory: never tracked
    struct pv_entry **pp = pv_slot_locked(p, pmap, va);
    if (*pp == NULL)
        panic("pmap: %#lx in pmap %p maps %#lx, which has no pv entry for it", va, (void *)pmap,
              (paddr_t)(old & PTE_ADDR));
    struct pv_entry *pv = *pp;
    *pp = pv->pv_next;
    pv->pv_next = *dead;
    *dead = pv;
    pv_gather_locked(p, old);
}

// ---------------------------------------------------------------------------
// Creating, changing and destroying translations.

struct pmap *
pmap_create(void)
{
    struct pmap *pmap = zalloc(pmap_zone);
    if (pmap == NULL)
        return NULL;
    *pmap = (struct pmap){.pm_lock = SPINLOCK_INIT("pmap", LOCK_RANK_PMAP)};
    pmap->pm_pml4 = user_table_alloc(pmap);
    if (pmap->pm_pml4 == NULL) {
        zfree(pmap_zone, pmap);
        return NULL;
    }
    // The kernel half: the same top-level entries as the kernel's, which
    // never change after pmap_bootstrap (kern/vm/README.md).
    memcpy(&pmap->pm_pml4[PT_ENTRIES / 2], &kernel_pml4[PT_ENTRIES / 2],
           PT_ENTRIES / 2 * sizeof(uint64_t));
    return pmap;
}

// Frees the table at `t` (level 4 = PML4 .. 1 = page table) and, for upper
// levels, every table below it in the user half.
static void
free_tables(struct pmap *pmap, uint64_t *t, int level)
{
    unsigned n = level == 4 ? PT_ENTRIES / 2 : PT_ENTRIES;

    for (unsigned i = 0; level > 1 && i < n; i++) {
        if (t[i] & PTE_P)
            free_tables(pmap, entry_table(t[i]), level - 1);
    }
    user_table_free(pmap, t);
}

// Translations still present go first, through pmap_remove: that takes
// their pv entries off their pages (gathering their bits), after which no
// pv walk can reach this pmap, so its tables go without a lock.
void
pmap_destroy(struct pmap *pmap)
{
    assert(pmap != kernel_pmap);
    assert(__atomic_load_n(&pmap->pm_cpus, __ATOMIC_ACQUIRE) == 0);
    if (pmap_resident_count(pmap) > 0)
        pmap_remove(pmap, USER_MIN, USER_MAX);
    assert(pmap->pm_resident == 0);
    free_tables(pmap, pmap->pm_pml4, 4);
    assert(pmap->pm_tables == 0);
    zfree(pmap_zone, pmap);
}

// Invalidates [va, va + size) of pmap on the CPUs that may cache it.
// Called with pm_lock held (interrupts off, so the CPU cannot change).
static void
user_flush_locked(struct pmap *pmap, vaddr_t va, size_t size)
{
    assert_locked(&pmap->pm_lock);
    if (pmap_active[cpu_number()] == pmap)
        pmap_tlb_flush(va, size);
    // SMP issue: send the shootdown to the other CPUs in pmap->pm_cpus and
    // wait for them here, before the caller frees anything these
    // translations pointed at.
}

// The user page-table entry for va in pmap, creating tables; NULL if a
// table page cannot be had.
static uint64_t *
user_walk_alloc_locked(struct pmap *pmap, vaddr_t va)
{
    static const int shift[] = {39, 30, 21};
    uint64_t *t = pmap->pm_pml4;

    assert_locked(&pmap->pm_lock);
    for (int i = 0; i < 3; i++) {
        uint64_t *e = &t[(va >> shift[i]) & 511];
        if (!(*e & PTE_P)) {
            uint64_t *n = user_table_alloc(pmap);
            if (n == NULL)
                return NULL;
            *e = ((uintptr_t)n - DIRECT_MAP_BASE) | PTE_P | PTE_W | PTE_U;
        }
        t = entry_table(*e);
    }
    return &t[PT_INDEX(va)];
}

// The user page-table entry for va if its page table exists; otherwise
// NULL, with *next set to the first address past the missing table.
static uint64_t *
user_walk(const struct pmap *pmap, vaddr_t va, vaddr_t *next)
{
    static const int shift[] = {39, 30, 21};
    uint64_t *t = pmap->pm_pml4;

    for (int i = 0; i < 3; i++) {
        uint64_t e = t[(va >> shift[i]) & 511];
        if (!(e & PTE_P)) {
            *next = ROUND_DOWN(va, 1ull << shift[i]) + (1ull << shift[i]);
            return NULL;
        }
        t = entry_table(e);
    }
    return &t[PT_INDEX(va)];
}

static uint64_t
prot_bits(vm_prot_t prot)
{
    uint64_t bits = PTE_P | PTE_U;

    bits |= (prot & VM_PROT_WRITE) ? PTE_W : 0;
    bits |= (prot & VM_PROT_EXECUTE) ? 0 : pte_nx;
    return bits;
}

// Stores pte (a translation of page p, NULL for device memory) in entry e
// of va.  pv is p's new pv entry, NULL when p already has one for (pmap,
// va) or is not RAM.  A different page that va mapped loses its pv entry
// to *dead; re-entering the same page keeps the A and D bits it has, so
// a translation cached with them set never hides from pmap_clear_*.
static void
enter_locked(struct pmap *pmap, vaddr_t va, uint64_t *e, uint64_t pte, struct vm_page *p,
             struct pv_entry *pv, struct pv_entry **dead)
{
    uint64_t old = __atomic_load_n(e, __ATOMIC_ACQUIRE), new;
    bool same;

    assert_locked(&pv_lock);
    assert_locked(&pmap->pm_lock);
    do {
        same = (old & PTE_P) && (old & PTE_ADDR) == (pte & PTE_ADDR);
        new = pte | (same ? old & (PTE_A | PTE_D) : 0);
    } while (!__atomic_compare_exchange_n(e, &old, new, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
    assert(pv == NULL || !same);
    if (!(old & PTE_P))
        pmap->pm_resident++;
    else if (old != new)
        user_flush_locked(pmap, va, PAGE_SIZE);
    if ((old & PTE_P) && !same)
        pv_remove_locked(pmap, va, old, dead);
    if (pv != NULL) {
        *pv = (struct pv_entry){.pv_next = p->vp_pv, .pv_pmap = pmap, .pv_va = va};
        p->vp_pv = pv;
    }
}

// Decode first: the pv entry and the page tables are had before the entry
// changes, so a shortage changes nothing that can be seen.
kern_return_t
pmap_enter(struct pmap *pmap, vaddr_t va, paddr_t pa, vm_prot_t prot, bool wired)
{
    struct vm_page *p = vm_page_lookup(pa);
    struct pv_entry *pv = NULL, *dead = NULL;

    assert(pmap != kernel_pmap && is_user_range(va, va + PAGE_SIZE) && pa % PAGE_SIZE == 0);
    if (!(prot & (VM_PROT_READ | VM_PROT_WRITE | VM_PROT_EXECUTE))) {
        pmap_remove(pmap, va, va + PAGE_SIZE);
        return KERN_SUCCESS;
    }
    uint64_t pte = pa | prot_bits(prot) | (wired ? PTE_WIRED : 0);
    spin_lock(&pv_lock);
    if (p != NULL && *pv_slot_locked(p, pmap, va) == NULL && (pv = pv_alloc_locked()) == NULL)
        goto fail_pv;
    spin_lock(&pmap->pm_lock);
    uint64_t *e = user_walk_alloc_locked(pmap, va);
    if (e == NULL)
        goto fail_table;
    enter_locked(pmap, va, e, pte, p, pv, &dead);
    spin_unlock(&pmap->pm_lock);
    pv_free_chain_locked(dead);
    spin_unlock(&pv_lock);
    return KERN_SUCCESS;

fail_table:
    spin_unlock(&pmap->pm_lock);
    pv_free_chain_locked(pv); // NULL or one entry, never linked
fail_pv:
    spin_unlock(&pv_lock);
    return KERN_RESOURCE_SHORTAGE;
}

// Clears present entry e of va, its pv entry going to *dead.  Returns true
// (it changed).
static bool
remove_pte_locked(struct pmap *pmap, vaddr_t va, uint64_t *e, struct pv_entry **dead)
{
    pv_remove_locked(pmap, va, __atomic_exchange_n(e, 0, __ATOMIC_ACQ_REL), dead);
    pmap->pm_resident--;
    return true;
}

// Rewrites the protection of present entry e to `prot`, keeping its page,
// wired bit and the A and D bits the MMU may set meanwhile.  Returns
// whether it changed.
static bool
protect_pte_locked(uint64_t *e, vm_prot_t prot)
{
    const uint64_t keep = PTE_ADDR | PTE_A | PTE_D | PTE_WIRED;
    uint64_t old = __atomic_load_n(e, __ATOMIC_ACQUIRE), pte;

    do {
        pte = (old & keep) | prot_bits(prot);
    } while (pte != old &&
             !__atomic_compare_exchange_n(e, &old, pte, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
    return pte != old;
}

// Applies `prot` to every present entry in [start, end): removes them
// (and their pv entries) when `remove`, else rewrites their protection
// bits.  Only removal changes pv lists, so only it takes pv_lock.
static void
user_range_update(struct pmap *pmap, vaddr_t start, vaddr_t end, bool remove, vm_prot_t prot)
{
    struct pv_entry *dead = NULL;
    bool changed = false;

    assert(pmap != kernel_pmap && is_user_range(start, end));
    if (remove)
        spin_lock(&pv_lock);
    spin_lock(&pmap->pm_lock);
    for (vaddr_t va = start, next = end; va < end;) {
        uint64_t *e = user_walk(pmap, va, &next);
        if (e == NULL) {
            va = next;
            continue;
        }
        if ((*e & PTE_P) && remove)
            changed |= remove_pte_locked(pmap, va, e, &dead);
        else if (*e & PTE_P)
            changed |= protect_pte_locked(e, prot);
        va += PAGE_SIZE;
    }
    if (changed)
        user_flush_locked(pmap, start, end - start);
    spin_unlock(&pmap->pm_lock);
    if (remove) {
        pv_free_chain_locked(dead);
        spin_unlock(&pv_lock);
    }
}

void
pmap_remove(struct pmap *pmap, vaddr_t start, vaddr_t end)
{
    user_range_update(pmap, start, end, true, VM_PROT_NONE);
}

void
pmap_protect(struct pmap *pmap, vaddr_t start, vaddr_t end, vm_prot_t prot)
{
    user_range_update(pmap, start, end, !(prot & VM_PROT_READ), prot);
}

// ---------------------------------------------------------------------------
// All translations of one page, through its pv list.

// The entry of translation pv, with its pmap's lock taken for the caller
// to drop.  pv_lock held, so the translation is there (the invariant).
static uint64_t *
pv_pte_lock(const struct pv_entry *pv)
{
    vaddr_t next;

    assert_locked(&pv_lock);
    spin_lock(&pv->pv_pmap->pm_lock);
    uint64_t *e = user_walk(pv->pv_pmap, pv->pv_va, &next);
    if (e == NULL || !(*e & PTE_P))
        panic("pmap: pv entry for %#lx in pmap %p has no translation", pv->pv_va,
              (void *)pv->pv_pmap);
    return e;
}

// Whether p gathered `attr` or one of its translations has `bit`.
static bool
page_test(struct vm_page *p, uint8_t attr, uint64_t bit)
{
    spin_lock(&pv_lock);
    bool set = (p->vp_pv_attrs & attr) != 0;
    for (const struct pv_entry *pv = p->vp_pv; pv != NULL && !set; pv = pv->pv_next) {
        set = (__atomic_load_n(pv_pte_lock(pv), __ATOMIC_ACQUIRE) & bit) != 0;
        spin_unlock(&pv->pv_pmap->pm_lock);
    }
    spin_unlock(&pv_lock);
    return set;
}

// Clears `attr` in p and `bit` in each translation of p, flushing those
// that had it: a cached translation would not set the bit again.
static void
page_clear(struct vm_page *p, uint8_t attr, uint64_t bit)
{
    spin_lock(&pv_lock);
    p->vp_pv_attrs &= ~attr;
    for (const struct pv_entry *pv = p->vp_pv; pv != NULL; pv = pv->pv_next) {
        uint64_t *e = pv_pte_lock(pv);
        if (__atomic_fetch_and(e, ~bit, __ATOMIC_ACQ_REL) & bit)
            user_flush_locked(pv->pv_pmap, pv->pv_va, PAGE_SIZE);
        spin_unlock(&pv->pv_pmap->pm_lock);
    }
    spin_unlock(&pv_lock);
}

bool
pmap_is_referenced(struct vm_page *p)
{
    return page_test(p, PV_REFERENCED, PTE_A);
}

bool
pmap_is_modified(struct vm_page *p)
{
    return page_test(p, PV_MODIFIED, PTE_D);
}

void
pmap_clear_reference(struct vm_page *p)
{
    page_clear(p, PV_REFERENCED, PTE_A);
}

void
pmap_clear_modify(struct vm_page *p)
{
    page_clear(p, PV_MODIFIED, PTE_D);
}

// Removes every translation of p, gathering their bits; p's pv list ends
// empty.
static void
page_remove_all_locked(struct vm_page *p)
{
    struct pv_entry *dead = p->vp_pv;

    assert_locked(&pv_lock);
    for (const struct pv_entry *pv = dead; pv != NULL; pv = pv->pv_next) {
        uint64_t *e = pv_pte_lock(pv);
        pv_gather_locked(p, __atomic_exchange_n(e, 0, __ATOMIC_ACQ_REL));
        pv->pv_pmap->pm_resident--;
        user_flush_locked(pv->pv_pmap, pv->pv_va, PAGE_SIZE);
        spin_unlock(&pv->pv_pmap->pm_lock);
    }
    p->vp_pv = NULL;
    pv_free_chain_locked(dead);
}

// Anything without read removes (write-only and execute-only included, as
// in Mach), read without write write-protects, read with write is a no-op.
void
pmap_page_protect(struct vm_page *p, vm_prot_t prot)
{
    if ((prot & VM_PROT_READ) && (prot & VM_PROT_WRITE))
        return;
    spin_lock(&pv_lock);
    if (!(prot & VM_PROT_READ)) {
        page_remove_all_locked(p);
    } else {
        for (const struct pv_entry *pv = p->vp_pv; pv != NULL; pv = pv->pv_next) {
            uint64_t *e = pv_pte_lock(pv);
            if (__atomic_fetch_and(e, ~PTE_W, __ATOMIC_ACQ_REL) & PTE_W)
                user_flush_locked(pv->pv_pmap, pv->pv_va, PAGE_SIZE);
            spin_unlock(&pv->pv_pmap->pm_lock);
        }
    }
    spin_unlock(&pv_lock);
}

bool
pmap_page_mapped_in(struct vm_page *p, struct pmap *pmap)
{
    bool found = false;

    spin_lock(&pv_lock);
    for (const struct pv_entry *pv = p->vp_pv; pv != NULL && !found; pv = pv->pv_next)
        found = pv->pv_pmap == pmap;
    spin_unlock(&pv_lock);
    return found;
}

size_t
pmap_page_mapping_count(struct vm_page *p)
{
    size_t n = 0;

    spin_lock(&pv_lock);
    for (const struct pv_entry *pv = p->vp_pv; pv != NULL; pv = pv->pv_next)
        n++;
    spin_unlock(&pv_lock);
    return n;
}

// ---------------------------------------------------------------------------
// Lookups and switching.

bool
pmap_extract(struct pmap *pmap, vaddr_t va, paddr_t *pa)
{
    uint64_t size;
    bool found = false;

    spin_lock(&pmap->pm_lock);
    uint64_t *e = walk_lookup(pmap->pm_pml4, va, &size);
    if (e != NULL) {
        *pa = (*e & PTE_ADDR & ~(size - 1)) | (va & (size - 1));
        found = true;
    }
    spin_unlock(&pmap->pm_lock);
    return found;
}

bool
pmap_user_leaf(struct pmap *pmap, vaddr_t va, uint64_t *pte)
{
    vaddr_t next;

    spin_lock(&pmap->pm_lock);
    uint64_t *e = user_walk(pmap, va, &next);
    if (e != NULL)
        *pte = *e;
    spin_unlock(&pmap->pm_lock);
    return e != NULL;
}

void
pmap_activate(struct pmap *pmap)
{
    intr_push_off();
    unsigned cpu = cpu_number();
    struct pmap *old = pmap_active[cpu] != NULL ? pmap_active[cpu] : kernel_pmap;
    if (old != pmap) {
        __atomic_or_fetch(&pmap->pm_cpus, 1ull << cpu, __ATOMIC_ACQ_REL);
        write_cr3((uintptr_t)pmap->pm_pml4 - DIRECT_MAP_BASE);
        __atomic_and_fetch(&old->pm_cpus, ~(1ull << cpu), __ATOMIC_ACQ_REL);
        pmap_active[cpu] = pmap;
    }
    intr_pop_off();
}

struct pmap *
pmap_current(void)
{
    intr_push_off();
    struct pmap *p = pmap_active[cpu_number()];
    intr_pop_off();
    return p != NULL ? p : kernel_pmap;
}

// SPDX-License-Identifier: MIT
//
// Tests of the pmap's physical-to-virtual tracking: every user translation
// of a page of RAM is on that page's pv list, whichever call made or ended
// it (enter, re-enter, remove, destroy, pmap_page_protect), and the
// referenced and modified bits the MMU sets on real accesses through a
// user mapping are reported per page, survive the translation's removal
// and are cleared on request.  Each test checks that the pv entries (and
// page tables) return to their baseline.

#include <debug/ktest.h>
#include <kern/spinlock.h>
#include <vm/pmap.h>
#include <vm/vm_page.h>
#include <machine/pte.h>

#define UVA  0x0000000040000000ul // 1 GiB: a fresh PDPT entry
#define UVA2 0x0000000080000000ul // 2 GiB: another one

// A page with nothing gathered from an earlier owner's translations.
static struct vm_page *
clean_page(void)
{
    struct vm_page *pg = vm_page_alloc(0);

    if (pg != NULL) {
        pmap_clear_reference(pg);
        pmap_clear_modify(pg);
    }
    return pg;
}

// Loads p on this CPU as a task switch would, with interrupts off so that
// no switch reloads another pmap until user_leave.  What runs in between
// accesses user memory the way the task would (no SMAP in Quay's kernel).
static void
user_enter(struct pmap *p)
{
    intr_push_off();
    pmap_activate(p);
}

static void
user_leave(void)
{
    pmap_activate(kernel_pmap);
    intr_pop_off();
}

static void
user_write(struct pmap *p, vaddr_t va, uint64_t v)
{
    user_enter(p);
    *(volatile uint64_t *)va = v;
    user_leave();
}

static uint64_t
user_read(struct pmap *p, vaddr_t va)
{
    user_enter(p);
    uint64_t v = *(volatile uint64_t *)va;
    user_leave();
    return v;
}

static uint64_t
leaf(struct pmap *p, vaddr_t va)
{
    uint64_t pte = 0;

    return pmap_user_leaf(p, va, &pte) ? pte : ~0ull;
}

KTEST(vm_pmap_pv, page_in_two_pmaps_has_two_pv_entries)
{
    size_t pvs = pmap_pv_count(), tables = pmap_table_pages();
    struct vm_page *pg = clean_page();
    struct pmap *a = pmap_create(), *b = pmap_create(), *c = pmap_create();
    paddr_t pa = pg != NULL ? vm_page_to_phys(pg) : 0;

    KT_ASSERT(pg != NULL && a != NULL && b != NULL && c != NULL);
    KT_EQ(pmap_page_mapping_count(pg), 0);
    KT_EQ(pmap_enter(a, UVA, pa, VM_PROT_DEFAULT, false), KERN_SUCCESS);
    KT_EQ(pmap_enter(b, UVA2 + 0x3000, pa, VM_PROT_READ, false), KERN_SUCCESS);
    KT_EQ(pmap_page_mapping_count(pg), 2);
    KT_EQ(pmap_pv_count(), pvs + 2);
    KT_ASSERT(pmap_page_mapped_in(pg, a) && pmap_page_mapped_in(pg, b));
    KT_ASSERT(!pmap_page_mapped_in(pg, c));
    // Re-entering the same page (another protection, wired) keeps its entry.
    KT_EQ(pmap_enter(a, UVA, pa, VM_PROT_READ, true), KERN_SUCCESS);
    KT_EQ(pmap_page_mapping_count(pg), 2);
    KT_EQ(pmap_pv_count(), pvs + 2);
    KT_EQ(pmap_resident_count(a), 1);
    // A second va in the same pmap is a second entry.
    KT_EQ(pmap_enter(a, UVA + PAGE_SIZE, pa, VM_PROT_READ, false), KERN_SUCCESS);
    KT_EQ(pmap_page_mapping_count(pg), 3);
    KT_EQ(pmap_pv_count(), pvs + 3);
    pmap_remove(a, UVA, UVA + 2 * PAGE_SIZE);
    KT_EQ(pmap_page_mapping_count(pg), 1);
    KT_ASSERT(!pmap_page_mapped_in(pg, a) && pmap_page_mapped_in(pg, b));
    KT_EQ(pmap_pv_count(), pvs + 1);
    KT_EQ(pmap_resident_count(a), 0);
    pmap_destroy(a);
    pmap_destroy(b); // still maps pg: destroy drops that entry
    pmap_destroy(c);
    KT_EQ(pmap_page_mapping_count(pg), 0);
    KT_EQ(pmap_pv_count(), pvs);
    KT_EQ(pmap_table_pages(), tables);
    vm_page_free(pg, 0);
}

KTEST(vm_pmap_pv, page_protect_read_write_protects_every_mapping)
{
    size_t pvs = pmap_pv_count();
    struct vm_page *pg = clean_page();
    struct pmap *a = pmap_create(), *b = pmap_create();
    paddr_t pa = pg != NULL ? vm_page_to_phys(pg) : 0;

    KT_ASSERT(pg != NULL && a != NULL && b != NULL);
    KT_EQ(pmap_enter(a, UVA, pa, VM_PROT_DEFAULT, false), KERN_SUCCESS);
    KT_EQ(pmap_enter(b, UVA2, pa, VM_PROT_ALL, false), KERN_SUCCESS);
    KT_ASSERT((leaf(a, UVA) & PTE_W) && (leaf(b, UVA2) & PTE_W));
    pmap_page_protect(pg, VM_PROT_READ | VM_PROT_WRITE); // changes nothing
    KT_ASSERT((leaf(a, UVA) & PTE_W) && (leaf(b, UVA2) & PTE_W));
    pmap_page_protect(pg, VM_PROT_READ);
    KT_EQ(leaf(a, UVA) & (PTE_P | PTE_U | PTE_W | PTE_ADDR), PTE_P | PTE_U | pa);
    KT_EQ(leaf(b, UVA2) & (PTE_P | PTE_U | PTE_W | PTE_ADDR), PTE_P | PTE_U | pa);
    KT_EQ(leaf(b, UVA2) & PTE_NX, 0); // the rest of the protection stays
    KT_EQ(pmap_page_mapping_count(pg), 2);
    KT_EQ(pmap_pv_count(), pvs + 2);
    KT_EQ(user_read(a, UVA), user_read(b, UVA2)); // still readable, one page
    pmap_destroy(a);
    pmap_destroy(b);
    KT_EQ(pmap_pv_count(), pvs);
    vm_page_free(pg, 0);
}

KTEST(vm_pmap_pv, page_protect_none_removes_every_mapping)
{
    size_t pvs = pmap_pv_count();
    struct vm_page *pg = clean_page(), *other = clean_page();
    struct pmap *a = pmap_create(), *b = pmap_create();
    paddr_t pa = pg != NULL ? vm_page_to_phys(pg) : 0;

    KT_ASSERT(pg != NULL && other != NULL && a != NULL && b != NULL);
    KT_EQ(pmap_enter(a, UVA, pa, VM_PROT_DEFAULT, true), KERN_SUCCESS);
    KT_EQ(pmap_enter(a, UVA + PAGE_SIZE, vm_page_to_phys(other), VM_PROT_DEFAULT, false),
          KERN_SUCCESS);
    KT_EQ(pmap_enter(b, UVA2, pa, VM_PROT_READ, false), KERN_SUCCESS);
    KT_EQ(pmap_pv_count(), pvs + 3);
    pmap_page_protect(pg, VM_PROT_NONE);
    KT_EQ(leaf(a, UVA), 0);
    KT_EQ(leaf(b, UVA2), 0);
    KT_EQ(pmap_page_mapping_count(pg), 0);
    KT_EQ(pmap_page_mapping_count(other), 1); // another page's mapping stays
    KT_EQ(pmap_resident_count(a), 1);
    KT_EQ(pmap_resident_count(b), 0);
    KT_EQ(pmap_pv_count(), pvs + 1);
    // Execute without read removes too (as Mach's pmap_page_protect).
    pmap_page_protect(other, VM_PROT_EXECUTE);
    KT_EQ(pmap_page_mapping_count(other), 0);
    KT_EQ(pmap_resident_count(a), 0);
    KT_EQ(pmap_pv_count(), pvs);
    pmap_destroy(a);
    pmap_destroy(b);
    KT_EQ(pmap_pv_count(), pvs);
    vm_page_free(pg, 0);
    vm_page_free(other, 0);
}

KTEST(vm_pmap_pv, reentering_a_va_with_another_page_moves_the_pv_entry)
{
    size_t pvs = pmap_pv_count();
    struct vm_page *one = clean_page(), *two = clean_page();
    struct pmap *p = pmap_create();

    KT_ASSERT(one != NULL && two != NULL && p != NULL);
    KT_EQ(pmap_enter(p, UVA, vm_page_to_phys(one), VM_PROT_DEFAULT, false), KERN_SUCCESS);
    user_write(p, UVA, 0x1111); // dirties `one` through the translation
    KT_EQ(pmap_enter(p, UVA, vm_page_to_phys(two), VM_PROT_DEFAULT, false), KERN_SUCCESS);
    KT_EQ(pmap_page_mapping_count(one), 0);
    KT_EQ(pmap_page_mapping_count(two), 1);
    KT_ASSERT(pmap_page_mapped_in(two, p));
    KT_EQ(pmap_pv_count(), pvs + 1);
    KT_EQ(pmap_resident_count(p), 1);
    // The replaced translation's bits went to its page, not to the new one.
    KT_ASSERT(pmap_is_modified(one) && pmap_is_referenced(one));
    KT_ASSERT(!pmap_is_modified(two) && !pmap_is_referenced(two));
    KT_EQ(leaf(p, UVA) & PTE_ADDR, vm_page_to_phys(two));
    KT_EQ(*(volatile uint64_t *)phys_to_virt(vm_page_to_phys(one)), 0x1111);
    pmap_destroy(p);
    KT_EQ(pmap_pv_count(), pvs);
    pmap_clear_modify(one);
    pmap_clear_reference(one);
    vm_page_free(one, 0);
    vm_page_free(two, 0);
}

KTEST(vm_pmap_pv, remove_and_destroy_return_pv_entries_and_pages)
{
    struct vm_page *pg = clean_page();
    struct pmap *p = pmap_create();
    static const vaddr_t va[] = {USER_MIN, 0x200000, UVA, 0x8000000000, USER_MAX - PAGE_SIZE};

    KT_ASSERT(pg != NULL && p != NULL);
    // Warm the zones (their slabs stay cached) before taking the baseline.
    KT_EQ(pmap_enter(p, UVA, vm_page_to_phys(pg), VM_PROT_READ, false), KERN_SUCCESS);
    pmap_destroy(p);
    size_t pvs = pmap_pv_count(), tables = pmap_table_pages(), free_pages = vm_page_free_count();
    p = pmap_create();
    KT_ASSERT(p != NULL);
    for (unsigned i = 0; i < ARRAY_SIZE(va); i++)
        KT_EQ(pmap_enter(p, va[i], vm_page_to_phys(pg), VM_PROT_READ, false), KERN_SUCCESS);
    KT_EQ(pmap_page_mapping_count(pg), ARRAY_SIZE(va));
    KT_EQ(pmap_pv_count(), pvs + ARRAY_SIZE(va));
    pmap_remove(p, USER_MIN, 0x400000); // the first two
    KT_EQ(pmap_page_mapping_count(pg), ARRAY_SIZE(va) - 2);
    KT_EQ(pmap_pv_count(), pvs + ARRAY_SIZE(va) - 2);
    pmap_protect(p, UVA, UVA + PAGE_SIZE, VM_PROT_NONE); // protect's remove path
    KT_EQ(pmap_page_mapping_count(pg), ARRAY_SIZE(va) - 3);
    KT_EQ(pmap_resident_count(p), ARRAY_SIZE(va) - 3);
    pmap_destroy(p); // with two translations left
    KT_EQ(pmap_page_mapping_count(pg), 0);
    KT_EQ(pmap_pv_count(), pvs);
    KT_EQ(pmap_table_pages(), tables);
    KT_EQ(vm_page_free_count(), free_pages);
    vm_page_free(pg, 0);
}

KTEST(vm_pmap_pv, device_memory_is_not_tracked)
{
    const paddr_t dev = 0xFEC00000; // the IOAPIC: below 4 GiB, not RAM
    size_t pvs = pmap_pv_count();
    struct vm_page *pg = clean_page();
    struct pmap *p = pmap_create();

    KT_ASSERT(pg != NULL && p != NULL && vm_page_lookup(dev) == NULL);
    KT_EQ(pmap_enter(p, UVA, dev, VM_PROT_READ, false), KERN_SUCCESS);
    KT_EQ(pmap_pv_count(), pvs);
    KT_EQ(pmap_resident_count(p), 1);
    // RAM replaces device memory, and device memory RAM.
    KT_EQ(pmap_enter(p, UVA, vm_page_to_phys(pg), VM_PROT_READ, false), KERN_SUCCESS);
    KT_EQ(pmap_page_mapping_count(pg), 1);
    KT_EQ(pmap_pv_count(), pvs + 1);
    KT_EQ(pmap_enter(p, UVA, dev, VM_PROT_READ, false), KERN_SUCCESS);
    KT_EQ(pmap_page_mapping_count(pg), 0);
    KT_EQ(pmap_pv_count(), pvs);
    KT_EQ(pmap_resident_count(p), 1);
    pmap_destroy(p);
    KT_EQ(pmap_pv_count(), pvs);
    vm_page_free(pg, 0);
}

KTEST(vm_pmap_pv, user_write_sets_modified_which_survives_remove_until_cleared)
{
    size_t pvs = pmap_pv_count();
    struct vm_page *pg = clean_page();
    struct pmap *p = pmap_create();
    paddr_t pa = pg != NULL ? vm_page_to_phys(pg) : 0;

    KT_ASSERT(pg != NULL && p != NULL);
    KT_EQ(pmap_enter(p, UVA, pa, VM_PROT_DEFAULT, false), KERN_SUCCESS);
    KT_ASSERT(!pmap_is_modified(pg));
    KT_EQ(user_read(p, UVA + 8), *(volatile uint64_t *)((char *)phys_to_virt(pa) + 8));
    KT_ASSERT(!pmap_is_modified(pg)); // a read does not dirty
    user_write(p, UVA, 0xd1d1);
    KT_ASSERT(leaf(p, UVA) & PTE_D);
    KT_ASSERT(pmap_is_modified(pg));
    KT_EQ(*(volatile uint64_t *)phys_to_virt(pa), 0xd1d1);
    pmap_clear_modify(pg);
    KT_ASSERT(!pmap_is_modified(pg) && !(leaf(p, UVA) & PTE_D));

    // Cleared while the pmap is loaded: the flush makes the next write set
    // D again instead of going through a translation cached as dirty.
    user_enter(p);
    *(volatile uint64_t *)UVA = 1;
    pmap_clear_modify(pg);
    bool cleared = !pmap_is_modified(pg);
    *(volatile uint64_t *)UVA = 2;
    user_leave();
    KT_ASSERT(cleared);
    KT_ASSERT(pmap_is_modified(pg));

    // Write-protecting keeps the bit; removing gathers it into the page.
    pmap_protect(p, UVA, UVA + PAGE_SIZE, VM_PROT_READ);
    KT_ASSERT(!(leaf(p, UVA) & PTE_W) && pmap_is_modified(pg));
    pmap_page_protect(pg, VM_PROT_READ);
    KT_ASSERT(pmap_is_modified(pg));
    pmap_remove(p, UVA, UVA + PAGE_SIZE);
    KT_EQ(pmap_page_mapping_count(pg), 0);
    KT_ASSERT(pmap_is_modified(pg));
    pmap_clear_modify(pg);
    KT_ASSERT(!pmap_is_modified(pg));
    pmap_destroy(p);
    KT_EQ(pmap_pv_count(), pvs);
    pmap_clear_reference(pg);
    vm_page_free(pg, 0);
}

KTEST(vm_pmap_pv, user_read_sets_referenced_which_survives_remove_until_cleared)
{
    size_t pvs = pmap_pv_count();
    struct vm_page *pg = clean_page();
    struct pmap *a = pmap_create(), *b = pmap_create();
    paddr_t pa = pg != NULL ? vm_page_to_phys(pg) : 0;

    KT_ASSERT(pg != NULL && a != NULL && b != NULL);
    KT_EQ(pmap_enter(a, UVA, pa, VM_PROT_READ, false), KERN_SUCCESS);
    KT_EQ(pmap_enter(b, UVA2, pa, VM_PROT_READ, false), KERN_SUCCESS);
    KT_ASSERT(!pmap_is_referenced(pg));
    (void)user_read(b, UVA2); // through one of the two translations
    KT_ASSERT(pmap_is_referenced(pg) && !pmap_is_modified(pg));
    KT_ASSERT((leaf(b, UVA2) & PTE_A) && !(leaf(a, UVA) & PTE_A));
    pmap_clear_reference(pg);
    KT_ASSERT(!pmap_is_referenced(pg) && !(leaf(b, UVA2) & PTE_A));

    // Cleared while loaded: the next read sets A again.
    user_enter(a);
    (void)*(volatile uint64_t *)UVA;
    pmap_clear_reference(pg);
    bool cleared = !pmap_is_referenced(pg);
    (void)*(volatile uint64_t *)UVA;
    user_leave();
    KT_ASSERT(cleared);
    KT_ASSERT(pmap_is_referenced(pg));

    // pmap_destroy gathers the bit of the translation it drops.
    pmap_destroy(a);
    KT_EQ(pmap_page_mapping_count(pg), 1);
    KT_ASSERT(pmap_is_referenced(pg));
    pmap_clear_reference(pg);
    KT_ASSERT(!pmap_is_referenced(pg));
    (void)user_read(b, UVA2);
    pmap_page_protect(pg, VM_PROT_NONE); // and so does pmap_page_protect
    KT_ASSERT(pmap_is_referenced(pg));
    pmap_clear_reference(pg);
    KT_ASSERT(!pmap_is_referenced(pg));
    pmap_destroy(b);
    KT_EQ(pmap_pv_count(), pvs);
    vm_page_free(pg, 0);
}

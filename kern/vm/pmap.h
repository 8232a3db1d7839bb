/* SPDX-License-Identifier: MIT
 *
 * Physical maps: the machine-independent interface to page tables
 * (implemented in arch/x86_64/pmap.c).  The first part is the kernel's own
 * address space; the second, per-task pmaps for user address spaces.
 *
 * The kernel half of every address space is the same: the direct map of
 * physical memory, the kernel virtual arena [KVA_BASE, KVA_BASE + KVA_SIZE)
 * and the kernel image.  Their top-level entries are all created by
 * pmap_bootstrap() and never change afterwards, so a task's top-level table
 * can copy them once and share everything below.
 */
#ifndef _VM_PMAP_H_
#define _VM_PMAP_H_

#include <kern/types.h>
#include <mach/kern_return.h>
#include <mach/vm_prot.h>
#include <machine/vmparam.h>

/* Every physical page of RAM (and the first 4 GiB, device memory included)
 * is mapped at DIRECT_MAP_BASE + its physical address.  Before
 * pmap_bootstrap() only the first 4 GiB are. */
static inline void *
phys_to_virt(paddr_t pa)
{
    return (void *)(uintptr_t)(DIRECT_MAP_BASE + pa);
}

/* Protection of a kernel mapping made by pmap_kenter: readable always. */
#define PMAP_KWRITE   0x1 /* writable */
#define PMAP_KEXEC    0x2 /* executable (otherwise no-execute) */
#define PMAP_KNOCACHE 0x4 /* uncached, for device memory */

/* Builds the kernel's final page tables (direct map of all RAM and of the
 * first 4 GiB, the image with W^X, the arena's top-level table) and
 * switches to them; the identity map of the boot tables is gone afterwards.
 * Needs the phase-1 page allocator.  Boot CPU, once. */
void pmap_bootstrap(void);

/* Maps the page at kernel virtual address va (in the arena, page aligned)
 * to physical page pa with `prot` (PMAP_K*), replacing nothing: va must be
 * unmapped.  Allocates page tables as needed; returns false, mapping
 * nothing, when that fails.  Takes the kernel pmap lock (rank KPMAP). */
bool pmap_kenter(vaddr_t va, paddr_t pa, unsigned prot);

/* Unmaps [va, va + size) in the arena (pages that are not mapped are
 * skipped) and flushes the TLB for it.  The physical pages are not freed.
 * Takes the kernel pmap lock. */
void pmap_kremove(vaddr_t va, size_t size);

/* Looks up the physical address kernel address va maps to; writes *pa and
 * returns true if va is mapped, returns false otherwise.  No lock: kernel
 * translations used by a caller do not change under it. */
bool pmap_kextract(vaddr_t va, paddr_t *pa);

/* The physical address of a mapped kernel address; panics if unmapped. */
paddr_t kvtophys(vaddr_t va);

/* Invalidates cached translations of [va, va + size) in the kernel half.
 * Today it flushes this CPU only; when application processors come up it
 * becomes the TLB shootdown (an IPI to every CPU that may cache the range,
 * returning when all have flushed), and every caller is already in place. */
void pmap_tlb_flush(vaddr_t va, size_t size);

/* Returns a kernel virtual address through which device memory
 * [pa, pa + size) is mapped uncached.  The first 4 GiB are served by the
 * direct map (non-RAM there is mapped uncached); higher ranges are mapped
 * in the arena.  NULL if that fails (no memory or address space). */
void *pmap_map_device(paddr_t pa, size_t size);

/*
 * Per-task pmaps.  A pmap translates the user half [USER_MIN, USER_MAX) of
 * one address space and shares the kernel half with every other pmap.  It is
 * only a cache of the vm_map above it: the VM system may remove any
 * mapping at any time and the next access faults it back in.  Each pmap has
 * its own lock (rank PMAP), taken inside every call below, after the pv
 * lock when the call adds or removes translations; callers may hold a
 * vm_map, vm_object or page-queue lock, but no zone or pmap lock.
 * Page-table pages come from the page allocator under it.
 *
 * TLB consistency: every call that removes or reduces a translation
 * invalidates it before it returns, on this CPU today; the pmap records
 * the CPUs it is active on (pm_cpus), which is where the shootdown IPIs of
 * the SMP issue go.
 *
 * Physical-to-virtual tracking (pv lists): every user translation of a
 * page of RAM is recorded on that page (struct vm_page's vp_pv), so the VM
 * system can ask about and change all mappings of one physical page: the
 * pageout daemon's reference bits, the modified (dirty) bit, and removing
 * or write-protecting a page everywhere before it is cleaned or freed.
 * The referenced and modified bits of translations that go away (removed,
 * replaced) are not lost: they are gathered into the page (vp_pv_attrs)
 * and reported by the calls below until cleared.  The pv lists of all
 * pages are guarded by one lock (rank PV, taken before any pmap lock; pv
 * entries come from their zone under it).
 */
struct pmap;

/* The kernel's pmap: the kernel half only, with an empty user half.
 * pmap_activate(kernel_pmap) is what a kernel thread runs on. */
extern struct pmap *kernel_pmap;

/* Creates the pmap zone; in vm_bootstrap after the zones.  Boot CPU, once. */
void pmap_init(void);

/* A new pmap with an empty user half, or NULL when memory is short. */
struct pmap *pmap_create(void);

/* Removes the translations still present (their pv entries go, their
 * referenced/modified bits are gathered into their pages), then frees every
 * page-table page of the user half and the pmap itself.  The pmap must not
 * be active on any CPU.  The pages it mapped are not freed: they belong to
 * vm_objects. */
void pmap_destroy(struct pmap *pmap);

/* Maps the page at user address va (page aligned) to physical page pa with
 * `prot` (VM_PROT_NONE removes the mapping instead), replacing whatever va
 * mapped.  User mappings are always user-accessible; they are no-execute
 * unless prot has VM_PROT_EXECUTE; write implies read.  `wired` marks the
 * translation as one the VM system must not remove for pageout.
 * When pa is a page of RAM (vm_page_lookup), the translation goes on its
 * pv list.  Returns KERN_SUCCESS, or KERN_RESOURCE_SHORTAGE (va unchanged)
 * when a page-table page or a pv entry cannot be had. */
kern_return_t pmap_enter(struct pmap *pmap, vaddr_t va, paddr_t pa, vm_prot_t prot, bool wired);

/* Removes every translation in [start, end) (page aligned, user half) and
 * invalidates them; their pv entries go and their referenced/modified bits
 * are gathered into their pages.  Unmapped parts are skipped cheaply.
 * Page-table pages stay until pmap_destroy (TODO, VM issue: free empty
 * ones). */
void pmap_remove(struct pmap *pmap, vaddr_t start, vaddr_t end);

/* Sets the protection of every translation in [start, end) to `prot`,
 * keeping their referenced/modified bits; without VM_PROT_READ the
 * translations are removed as by pmap_remove. */
void pmap_protect(struct pmap *pmap, vaddr_t start, vaddr_t end, vm_prot_t prot);

/* The physical address va translates to in pmap (any address: the kernel
 * half is shared).  Writes *pa and returns true, or returns false. */
bool pmap_extract(struct pmap *pmap, vaddr_t va, paddr_t *pa);

/* Makes pmap this CPU's address space (loads CR3 unless it already is).
 * Interrupts may be on; the caller is the scheduler or a test. */
void pmap_activate(struct pmap *pmap);

/* The pmap active on this CPU. */
struct pmap *pmap_current(void);

struct vm_page;

/* Referenced (accessed) and modified (dirty) bits of page p, the OR over
 * every user translation of it now and those removed since the bit was
 * last cleared.  Take the pv lock and each pmap's lock in turn. */
bool pmap_is_referenced(struct vm_page *p);
bool pmap_is_modified(struct vm_page *p);

/* Clear those bits in every translation of p (flushing them, so the next
 * access sets them again) and in what p gathered. */
void pmap_clear_reference(struct vm_page *p);
void pmap_clear_modify(struct vm_page *p);

/* Lowers every user translation of p to `prot`: VM_PROT_NONE (or any prot
 * without read, write-only and execute-only included, as in Mach) removes
 * them all; read without write takes write access away (the modified bit
 * stays); read with write changes nothing.  The bits of removed
 * translations are gathered into p.  Before a page is cleaned, freed or
 * locked by a pager. */
void pmap_page_protect(struct vm_page *p, vm_prot_t prot);

/* Whether `pmap` has a translation of p (the pageout daemon skips pages the
 * default pager itself maps), and how many user translations p has. */
bool pmap_page_mapped_in(struct vm_page *p, struct pmap *pmap);
size_t pmap_page_mapping_count(struct vm_page *p);

/* pv entries alive in the whole kernel: for leak checks. */
size_t pmap_pv_count(void);

/* Page-table pages of all user pmaps (their PML4s included), and the
 * number of pages the user translations of one pmap map.  For tests and
 * leak checks. */
size_t pmap_table_pages(void);
size_t pmap_resident_count(struct pmap *pmap);

#endif

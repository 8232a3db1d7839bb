/* SPDX-License-Identifier: MIT
 *
 * Physical maps: the machine-independent interface to page tables
 * (implemented in arch/x86_64/pmap.c).  This first version covers the
 * kernel's own address space; per-task pmaps come with the VM issue.
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

#endif

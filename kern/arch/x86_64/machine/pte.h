/* SPDX-License-Identifier: MIT
 *
 * x86-64 page-table entry bits and the kernel page-table walker that tests
 * use to check protections (arch/x86_64/pmap.c).
 */
#ifndef _MACHINE_PTE_H_
#define _MACHINE_PTE_H_

#include <kern/types.h>

#define PTE_P     0x001ull /* present */
#define PTE_W     0x002ull /* writable */
#define PTE_U     0x004ull /* user */
#define PTE_PWT   0x008ull /* write-through */
#define PTE_PCD   0x010ull /* cache disable */
#define PTE_A     0x020ull
#define PTE_D     0x040ull
#define PTE_PS    0x080ull /* large page (in a PD or PDPT entry) */
#define PTE_G     0x100ull
#define PTE_WIRED 0x200ull /* software bit 9: a wired user mapping (pmap_enter) */
#define PTE_NX    (1ull << 63)
#define PTE_ADDR  0x000FFFFFFFFFF000ull

#define PT_ENTRIES     512
#define PML4_INDEX(va) (((va) >> 39) & 511)
#define PDPT_INDEX(va) (((va) >> 30) & 511)
#define PD_INDEX(va)   (((va) >> 21) & 511)
#define PT_INDEX(va)   (((va) >> 12) & 511)

#define LARGE_PAGE_SIZE 0x200000ull /* 2 MiB */

/* The leaf entry translating kernel address va in the current page tables:
 * writes *pte and *pgsize (4 KiB, 2 MiB or 1 GiB) and returns true if va is
 * mapped; returns false otherwise. */
bool pmap_kernel_leaf(vaddr_t va, uint64_t *pte, uint64_t *pgsize);

/* The leaf entry for user address va in `pmap` (a struct pmap *, vm/pmap.h):
 * writes *pte and returns true if a page table for va exists, whether or
 * not the entry is present; false otherwise.  For tests. */
struct pmap;
bool pmap_user_leaf(struct pmap *pmap, vaddr_t va, uint64_t *pte);

/* The NX bit if this CPU supports it (and EFER.NXE is on), else 0. */
uint64_t pmap_nx_bit(void);

#endif

/* SPDX-License-Identifier: MIT
 *
 * Physical maps: the machine-independent interface to page tables
 * (implemented in arch/x86_64/pmap.c).  This first version covers the
 * kernel's own address space; per-task pmaps come with the VM issue.
 */
#ifndef _VM_PMAP_H_
#define _VM_PMAP_H_

#include <kern/types.h>
#include <machine/vmparam.h>

/* Every physical page of RAM (and the first 4 GiB, device memory included)
 * is mapped at DIRECT_MAP_BASE + its physical address. */
static inline void *
phys_to_virt(paddr_t pa)
{
    return (void *)(uintptr_t)(DIRECT_MAP_BASE + pa);
}

/* Maps device memory [pa, pa + size) uncached into kernel space and returns
 * its virtual address. */
void *pmap_map_device(paddr_t pa, size_t size);

#endif

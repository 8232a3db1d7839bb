// SPDX-License-Identifier: MIT
// PLACEHOLDER (being replaced): x86-64 kernel page tables.
#include <vm/pmap.h>

void *
pmap_map_device(paddr_t pa, size_t size)
{
    (void)size;
    return phys_to_virt(pa); // the boot tables map the first 4 GiB
}

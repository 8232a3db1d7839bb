// SPDX-License-Identifier: MIT
//
// Kernel memory bring-up (see vm_init.h): each step uses only what the
// steps before it set up.

#include <vm/vm_init.h>
#include <vm/kmem.h>
#include <vm/pmap.h>
#include <vm/vm_map.h>
#include <vm/vm_object.h>
#include <vm/vm_page.h>
#include <kern/kalloc.h>
#include <kern/zalloc.h>

void
vm_bootstrap(void)
{
    vm_page_bootstrap();      // page array, free RAM below 4 GiB (boot direct map)
    pmap_bootstrap();         // final page tables: direct map of all RAM, W^X image
    vm_page_bootstrap_high(); // RAM above 4 GiB, now mapped
    zone_bootstrap();         // the zone of zones
    kmem_bootstrap();         // kernel arena (its extent records are zone elements)
    kalloc_bootstrap();       // power-of-two zones, large sizes from kmem
    pmap_init();              // zone of user pmaps
    vm_object_init();         // zone of memory objects
    vm_map_init();            // zones of address maps and their entries
}

/* SPDX-License-Identifier: MIT
 * Bringing up kernel memory (vm_init.c).
 */
#ifndef _VM_VM_INIT_H_
#define _VM_VM_INIT_H_

/* Physical page allocator from the boot memory map, the kernel's own page
 * tables (direct map, image, arena), the kernel virtual arena, zones and
 * kalloc, then the zones of the task VM (pmaps, objects, maps), in that
 * order. */
void vm_bootstrap(void);

#endif

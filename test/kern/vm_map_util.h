/* SPDX-License-Identifier: MIT
 *
 * Helpers shared by the vm_map, vm_fault and elf ktests: a snapshot of the
 * counters that must return to where they were when a map is destroyed.
 */
#ifndef _TEST_KERN_VM_MAP_UTIL_H_
#define _TEST_KERN_VM_MAP_UTIL_H_

#include <vm/pmap.h>
#include <vm/vm_object.h>
#include <vm/vm_page.h>

struct vm_counts {
    size_t free_pages, table_pages, objects;
};

static inline struct vm_counts
vm_counts_now(void)
{
    return (struct vm_counts){vm_page_free_count(), pmap_table_pages(), vm_object_count()};
}

static inline bool
vm_counts_equal(struct vm_counts a, struct vm_counts b)
{
    return a.free_pages == b.free_pages && a.table_pages == b.table_pages && a.objects == b.objects;
}

#endif

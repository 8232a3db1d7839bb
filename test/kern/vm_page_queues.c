// SPDX-License-Identifier: MIT
//
// Tests of the paging queues (vm_page.c) and of what vm_statistics builds
// on them: a fault puts its page on the active queue, deactivation and
// activation move it, freeing the object takes it off, and the counts add
// up to the total.  Other CPUs and the reaper may allocate meanwhile, so
// the checks follow this test's own pages, not global deltas.

#include <debug/ktest.h>
#include <vm/vm_fault.h>
#include <vm/vm_map.h>
#include <vm/vm_user.h>
#include "vm_map_util.h"

// The page mapped at va in map (after a fault), or NULL.
static struct vm_page *
page_at(struct vm_map *map, vaddr_t va)
{
    paddr_t pa;

    return pmap_extract(map->pmap, va, &pa) ? vm_page_lookup(pa) : NULL;
}

KTEST(vm_page, fault_puts_page_on_active_and_object_death_takes_it_off)
{
    struct vm_map *map = vm_map_create();
    vaddr_t at = 0;

    KT_ASSERT(map != NULL);
    KT_EQ(vm_allocate_internal(map, &at, 2 * PAGE_SIZE, true), KERN_SUCCESS);
    KT_EQ(vm_fault(map, at, VM_PROT_WRITE), KERN_SUCCESS);
    struct vm_page *p = page_at(map, at);
    KT_ASSERT(p != NULL);
    KT_EQ(p->vp_queue, VM_PAGE_Q_ACTIVE);
    KT_ASSERT(p->vp_object != NULL);

    vm_page_deactivate(p);
    KT_EQ(p->vp_queue, VM_PAGE_Q_INACTIVE);
    size_t react = vm_page_reactivations();
    vm_page_activate(p);
    KT_EQ(p->vp_queue, VM_PAGE_Q_ACTIVE);
    KT_ASSERT(vm_page_reactivations() >= react + 1);

    vm_page_deactivate(p); // an inactive page is freed just the same
    KT_EQ(vm_deallocate_internal(map, at, 2 * PAGE_SIZE), KERN_SUCCESS);
    KT_EQ(p->vp_queue, VM_PAGE_Q_NONE);
    KT_ASSERT(p->vp_object == NULL);
    vm_map_deallocate(map);
}

KTEST(vm_page, counts_add_up_and_follow_faults)
{
    struct vm_map *map = vm_map_create();
    struct vm_page_counts before, touched, after;
    vaddr_t at = 0;

    KT_ASSERT(map != NULL);
    vm_page_counts(&before);
    KT_EQ(before.vpc_free + before.vpc_active + before.vpc_inactive + before.vpc_wired,
          before.vpc_total);
    KT_ASSERT(before.vpc_wired > 0); // the kernel image and the page array at least
    KT_EQ(vm_allocate_internal(map, &at, 8 * PAGE_SIZE, true), KERN_SUCCESS);
    for (unsigned i = 0; i < 8; i++)
        KT_EQ(vm_fault(map, at + i * PAGE_SIZE, VM_PROT_WRITE), KERN_SUCCESS);
    vm_page_counts(&touched);
    KT_EQ(touched.vpc_free + touched.vpc_active + touched.vpc_inactive + touched.vpc_wired,
          touched.vpc_total);
    KT_ASSERT(touched.vpc_active >= before.vpc_active + 8);
    vm_map_deallocate(map);
    vm_page_counts(&after);
    KT_ASSERT(after.vpc_active + 8 <= touched.vpc_active);
    KT_EQ(after.vpc_total, before.vpc_total);
}

KTEST(vm_page, fault_counters_count_zero_fill_and_copy_on_write)
{
    struct vm_map *parent = vm_map_create();
    struct vm_fault_counts c0, c1, c2;
    vaddr_t at = 0;

    KT_ASSERT(parent != NULL);
    KT_EQ(vm_allocate_internal(parent, &at, PAGE_SIZE, true), KERN_SUCCESS);
    vm_fault_counts(&c0);
    KT_EQ(vm_fault(parent, at, VM_PROT_WRITE), KERN_SUCCESS);
    vm_fault_counts(&c1);
    KT_ASSERT(c1.vfc_faults >= c0.vfc_faults + 1);
    KT_ASSERT(c1.vfc_zero_fills >= c0.vfc_zero_fills + 1);
    struct vm_map *child = vm_map_fork(parent);
    KT_ASSERT(child != NULL);
    KT_EQ(vm_fault(child, at, VM_PROT_WRITE), KERN_SUCCESS); // copies the parent's page
    vm_fault_counts(&c2);
    KT_ASSERT(c2.vfc_cow_faults >= c1.vfc_cow_faults + 1);
    vm_map_deallocate(child);
    vm_map_deallocate(parent);
}

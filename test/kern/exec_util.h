/* SPDX-License-Identifier: MIT
 *
 * Helpers for the execution ktests: bounded waits on flags, and small user
 * tasks whose memory is a few physical pages entered directly into the
 * task's pmap (no vm_map entries), so the tests depend only on pmaps.
 */
#ifndef _TEST_KERN_EXEC_UTIL_H_
#define _TEST_KERN_EXEC_UTIL_H_

#include <kern/clock.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <lib/string.h>
#include <mach/vm_prot.h>
#include <vm/pmap.h>
#include <vm/vm_page.h>

#define MS (1000000ull)

#define UT_MAX_PAGES 4

struct utask {
    struct task *task;
    vaddr_t va[UT_MAX_PAGES];
    struct vm_page *page[UT_MAX_PAGES];
    unsigned npages;
};

/* Creates a task named `name`; false on failure. */
static inline bool
ut_create(struct utask *u, const char *name)
{
    memset(u, 0, sizeof(*u));
    return task_create_internal(NULL, name, &u->task) == KERN_SUCCESS;
}

/* Maps a fresh zeroed page at user address va with prot and returns its
 * kernel (direct-map) address, or NULL. */
static inline void *
ut_map(struct utask *u, vaddr_t va, vm_prot_t prot)
{
    if (u->npages == UT_MAX_PAGES)
        return NULL;
    struct vm_page *p = vm_page_alloc(0);
    if (p == NULL)
        return NULL;
    void *k = phys_to_virt(vm_page_to_phys(p));
    memset(k, 0, PAGE_SIZE);
    if (pmap_enter(task_pmap(u->task), va, vm_page_to_phys(p), prot, true) != KERN_SUCCESS) {
        vm_page_free(p, 0);
        return NULL;
    }
    u->va[u->npages] = va;
    u->page[u->npages++] = p;
    return k;
}

/* Terminates the task if still alive, waits for it, unmaps and frees its
 * pages and drops the reference.  Returns the exit status. */
static inline int
ut_destroy(struct utask *u)
{
    int status = -1;

    (void)task_terminate_internal(u->task, -1);
    (void)task_wait(u->task, &status);
    for (unsigned i = 0; i < u->npages; i++)
        pmap_remove(task_pmap(u->task), u->va[i], u->va[i] + PAGE_SIZE);
    task_deallocate(u->task);
    for (unsigned i = 0; i < u->npages; i++)
        vm_page_free(u->page[i], 0);
    return status;
}

/* Sleeps in steps of 1 ms until *flag is true or `ms` pass; returns *flag. */
static inline bool
ut_wait_flag(volatile bool *flag, unsigned ms)
{
    for (unsigned i = 0; i < ms && !*flag; i++)
        thread_sleep_ns(MS);
    return *flag;
}

#endif

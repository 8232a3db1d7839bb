/* SPDX-License-Identifier: MIT
 *
 * Paging (vm_pageout.c): the pageout daemon, the reserve of free pages,
 * and the kernel's side of the default pager.
 *
 * Free pages are kept above a watermark.  Pages for task memory come from
 * vm_page_grab, which refuses to go below the reserve unless the caller
 * is the paging task (the default pager) or a kernel thread; a refused
 * fault waits in vm_page_wait while the daemon frees pages, then tries
 * again.  The daemon takes pages from the cold end of the inactive queue
 * (refilled from the active queue, reference bits cleared); a page
 * referenced since is reactivated, a clean one is freed, a dirty one is
 * written to its pager first (memory_object_data_return; an anonymous
 * page goes to the default pager, which gets the object with
 * memory_object_create the first time).  README.md, "Paging".
 */
#ifndef _VM_VM_PAGEOUT_H_
#define _VM_VM_PAGEOUT_H_

#include <kern/types.h>
#include <mach/kern_return.h>

struct ipc_port;
struct task;
struct vm_page;

/* Sets the watermarks from the amount of RAM and starts the daemon thread.
 * kmain, once, after the scheduler and the IPC system. */
void vm_pageout_init(void);

/* A page for task memory (object data), or NULL: none free, or free pages
 * are down to the reserve and the caller may not dip into it (see above).
 * Wakes the daemon when free pages run low.  Any context that may call
 * vm_page_alloc. */
struct vm_page *vm_page_grab(void);

/* After vm_page_grab returned NULL: wakes the daemon and waits until pages
 * are free again.  Returns KERN_SUCCESS (try again); KERN_ABORTED (the
 * wait was interrupted: thread_abort, termination); KERN_RESOURCE_SHORTAGE
 * (the daemon could free nothing: memory is exhausted).  No spinlock held;
 * blocks. */
kern_return_t vm_page_wait(void);

/* vm_set_default_memory_manager (mach_host.defs): replaces the default
 * pager's port (a send right, consumed; IP_NULL to only look) and returns
 * the previous one (a send right for the caller, or IP_NULL).  `task`
 * becomes the paging task when a port is set. */
struct ipc_port *vm_pageout_set_default_pager(struct ipc_port *port, struct task *task);

/* Whether `task` is the paging task (vm_page_grab's reserve). */
bool vm_pageout_is_paging_task(const struct task *task);

/* Pages in flight to pagers (the one-page carrier objects of
 * memory_object_return_page): made, and gone (the pager deallocated the
 * data, or the message was destroyed).  The daemon keeps at most a few in
 * flight: each still holds a page until its pager is done with it. */
void vm_pageout_carrier_start(void);
void vm_pageout_carrier_done(void);

/* Counters since boot, for vm_statistics and tests. */
struct vm_pageout_counts {
    size_t vpo_pageouts;  /* pages written to pagers (data_return, data_initialize) */
    size_t vpo_pageins;   /* pages pagers supplied (data_supply answers) */
    size_t vpo_reclaimed; /* clean pages freed without I/O */
    size_t vpo_shortages; /* waits in vm_page_wait that ended without memory */
};
void vm_pageout_counts(struct vm_pageout_counts *c);

#endif

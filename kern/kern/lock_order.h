/* SPDX-License-Identifier: MIT
 *
 * The kernel's lock order, written once.  A CPU may take a lock only if its
 * rank is greater than that of every lock it already holds.  Ranks of locks
 * that are never nested with each other may be equal.  Add new locks here,
 * in the place the code needs them, with a word on why.
 */
#ifndef _KERN_LOCK_ORDER_H_
#define _KERN_LOCK_ORDER_H_

enum lock_rank {
    /* ktests of the checker itself (test/kern/lock_*.c, crash=lockorder). */
    LOCK_RANK_TEST_OUTER = 10,
    LOCK_RANK_TEST_INNER = 11,

    /* Kernel memory (kern/vm/README.md).  Each allocator may call the ones
     * below it with its own lock held: the arena takes its extent records
     * from a zone under KMEM, a zone grows from the page allocator under
     * ZONE, and the kernel pmap takes pages for page tables under KPMAP.
     * ZONE_LIST is held while reading each zone's counters. */
    LOCK_RANK_KMEM = 200,      /* kernel virtual arena */
    LOCK_RANK_ZONE_LIST = 250, /* the list of all zones */
    LOCK_RANK_ZONE = 300,      /* one zone's slabs and counters */
    LOCK_RANK_KPMAP = 350,     /* the kernel pmap's arena page tables */
    LOCK_RANK_PAGE = 400,      /* physical page allocator */

    /* Per-CPU timer callout queue.  Inner: callout_schedule/cancel are
     * called with object locks held (e.g. a thread's timeout), and nothing
     * but the console is taken under it; callout functions run with it
     * dropped, so they may take any lock. */
    LOCK_RANK_CALLOUT = 900,
    /* The interrupt handler table (arch trap.c): taken only to register or
     * unregister a handler, possibly under a driver's own lock; nothing is
     * taken under it. */
    LOCK_RANK_INTR = 950,
    LOCK_RANK_CONSOLE = 1000, /* innermost: printing is allowed anywhere */
};

#endif

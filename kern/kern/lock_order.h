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
    LOCK_RANK_TEST_OUTER = 10, /* ktests of the checker itself */
    LOCK_RANK_TEST_INNER = 11,

    LOCK_RANK_CALLOUT = 100,   /* per-CPU timer callout queue */
    LOCK_RANK_KMEM = 200,      /* kernel virtual arena */
    LOCK_RANK_ZONE = 300,      /* one zone's free lists */
    LOCK_RANK_PAGE = 400,      /* physical page allocator */
    LOCK_RANK_CONSOLE = 1000,  /* innermost: printing is allowed anywhere */
};

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Per-thread newlib state.  newlib is built with __DYNAMIC_REENT__, so every
 * use of errno, strtok's position, rand's seed ... goes through
 * __getreent().  Each thread's TCB points at its own struct _reent; the
 * first thread uses newlib's static one (_impure_ptr).  stdin, stdout and
 * stderr are global (--enable-newlib-global-stdio-streams), protected by
 * the FILE locks of locks.c, so threads share one buffered stdout.
 */
#include <reent.h>
#include <stdlib.h>

#include "libc_port.h"

struct _reent *
__getreent(void)
{
    struct _reent *r = quay_tcb()->tcb_reent;
    return r != NULL ? r : _impure_ptr;
}

/* Called by quay_thread_create() in the creating thread, before the new
 * thread runs.  Returns 0, or -1 if there is no memory. */
int
__libc_port_thread_setup(struct quay_tcb *tcb)
{
    struct _reent *r = malloc(sizeof(*r));

    if (r == NULL)
        return -1;
    _REENT_INIT_PTR(r);
    tcb->tcb_reent = r;
    return 0;
}

/* Called by quay_thread_join() once the thread has stopped for good. */
void
__libc_port_thread_teardown(struct quay_tcb *tcb)
{
    struct _reent *r = tcb->tcb_reent;

    if (r == NULL)
        return;
    tcb->tcb_reent = NULL;
    _reclaim_reent(r);
    free(r);
}

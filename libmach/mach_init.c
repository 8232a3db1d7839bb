/* SPDX-License-Identifier: MIT */
/*
 * Start-up of libmach in a new task and the calls that name the caller's own
 * kernel objects: mach_task_self(), mach_thread_self(), mach_host_self().
 *
 * mach_init() runs first thing (libc-port's crt0 calls it through
 * __libc_port_init) because everything else may need the thread control
 * block: the MIG reply port lives there, and so does newlib's errno.
 */
#include <mach/mach.h>
#include <quay/tcb.h>

/*
 * The task's send right to its own task port, fetched once by mach_init()
 * (XNU calls it mach_task_self_; GNU, __mach_task_self_).  Never deallocate
 * it: every caller of mach_task_self() shares this one reference.
 */
mach_port_t mach_task_self_ = MACH_PORT_NULL;

/* The first thread's TLS area and TCB.  Later threads get theirs from
 * quay_thread_create(); this one must exist before malloc() can run. */
#define MAIN_TLS_BYTES 16384
static char main_tls[MAIN_TLS_BYTES] __attribute__((aligned(64)));

/*
 * mach_init: set up the calling (first) thread's TCB, install it as the %fs
 * base, and cache the task port.  Returns KERN_SUCCESS, KERN_RESOURCE_SHORTAGE
 * when the program's TLS image does not fit the static block, or the error of
 * quay_thread_set_tls().  On failure nothing that needs the TCB may be used.
 */
kern_return_t
mach_init(void)
{
    struct quay_tcb *tcb;
    kern_return_t kr;

    if (quay_tls_block_size() > sizeof(main_tls))
        return KERN_RESOURCE_SHORTAGE;
    tcb = quay_tls_init(main_tls);
    kr = quay_thread_set_tls(tcb);
    if (kr != KERN_SUCCESS)
        return kr;
    mach_task_self_ = task_self_trap();
    return KERN_SUCCESS;
}

/* The task's own task port (a shared reference; do not deallocate it). */
mach_port_t
mach_task_self(void)
{
    return mach_task_self_;
}

/* A send right to the calling thread's port; one more user reference per
 * call, which the caller releases with mach_port_deallocate(). */
mach_port_t
mach_thread_self(void)
{
    return thread_self_trap();
}

/* A send right to the host port; one more user reference per call. */
mach_port_t
mach_host_self(void)
{
    return host_self_trap();
}

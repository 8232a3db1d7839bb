/* SPDX-License-Identifier: MIT */
/*
 * What mig-generated code needs from its environment, in one place.
 *
 * User space (libmach provides these):
 *   mig_get_reply_port()      the calling thread's reply port (created on
 *                             first use and kept for the next call)
 *   mig_dealloc_reply_port()  destroy it after a failed receive, so a late
 *                             reply cannot be taken for the next call's
 *   mig_put_reply_port()      hand it back after a call (no-op by default)
 *   mach_task_self(), vm_allocate(), vm_deallocate(),
 *   mach_port_deallocate(), mach_port_mod_refs()   the classic calls,
 *                             declared here with their usual signatures
 *
 * The kernel (MACH_KERNEL) provides mach_msg_send_from_kernel() and
 * mach_msg_rpc_from_kernel() for KernelUser stubs, and its own versions of
 * the calls above for KernelServer stubs.
 *
 * Generated code also uses memcpy/memmove/memchr from <string.h> and the
 * MIG_ROUND() helper below.
 */
#ifndef _MACH_MIG_SUPPORT_H_
#define _MACH_MIG_SUPPORT_H_

#include <stddef.h>
#include <string.h>
#include <mach/message.h>
#include <mach/mig_errors.h>
#include <mach/notify.h>

/* Round X up to a multiple of A (a power of two). */
#define MIG_ROUND(x, a) (((x) + ((a)-1)) & ~((size_t)(a)-1))

/* The largest unbounded array (array[] / array[*]) a stub sends inline. */
#define MIG_INLINE_MAX 2048

/* The length of S, looking at no more than MAX bytes (and none past a NUL). */
static inline size_t
mig_strnlen(const char *s, size_t max)
{
    const char *end = (const char *)memchr(s, '\0', max);
    return end != NULL ? (size_t)(end - s) : max;
}

extern mach_port_t mig_get_reply_port(void);
extern void mig_dealloc_reply_port(mach_port_t reply_port);
extern void mig_put_reply_port(mach_port_t reply_port);

extern mach_port_t mach_task_self(void);
extern kern_return_t vm_allocate(mach_port_t target_task, vm_address_t *address, vm_size_t size,
                                 boolean_t anywhere);
extern kern_return_t vm_deallocate(mach_port_t target_task, vm_address_t address, vm_size_t size);
extern kern_return_t mach_port_deallocate(mach_port_t task, mach_port_name_t name);
extern kern_return_t mach_port_mod_refs(mach_port_t task, mach_port_name_t name,
                                        mach_port_right_t right, mach_port_delta_t delta);

#ifdef MACH_KERNEL
extern mach_msg_return_t mach_msg_send_from_kernel(mach_msg_header_t *msg, mach_msg_size_t size);
extern mach_msg_return_t mach_msg_rpc_from_kernel(mach_msg_header_t *msg, mach_msg_size_t send_size,
                                                  mach_msg_size_t rcv_size);
/* Release a right a KernelServer stub received but only passed on translated. */
extern void mig_kernel_release_right(mach_port_t port, mach_msg_type_name_t disposition);
#endif

#endif /* _MACH_MIG_SUPPORT_H_ */

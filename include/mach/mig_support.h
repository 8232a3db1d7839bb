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
 * The kernel (MACH_KERNEL) provides instead:
 *   mach_msg_send_from_kernel(), mach_msg_rpc_from_kernel()   KernelUser stubs
 *   mig_kernel_release_right()  drop a right a stub saw only translated
 *   mig_kernel_deallocate()     free out-of-line memory a KernelServer stub
 *                               borrowed (or a KernelUser stub gave away
 *                               inline); kern/ipc/ipc_ool.c
 * and none of the user-space calls above: inside the kernel vm_deallocate,
 * mach_port_deallocate... are kernel RPCs on a task (with other C types),
 * never a way to free the kernel's own memory.
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

#ifndef MACH_KERNEL
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
#else /* MACH_KERNEL */
extern mach_msg_return_t mach_msg_send_from_kernel(mach_msg_header_t *msg, mach_msg_size_t size);
extern mach_msg_return_t mach_msg_rpc_from_kernel(mach_msg_header_t *msg, mach_msg_size_t send_size,
                                                  mach_msg_size_t rcv_size);
/* Release a right a KernelServer stub received but only passed on translated. */
extern void mig_kernel_release_right(mach_port_t port, mach_msg_type_name_t disposition);
/* Free SIZE bytes of out-of-line memory the kernel received in a message
 * (an ipc_ool copy; NULL or 0 is ignored). */
extern void mig_kernel_deallocate(void *addr, vm_size_t size);
#endif

#endif /* _MACH_MIG_SUPPORT_H_ */

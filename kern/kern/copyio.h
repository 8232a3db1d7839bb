/* SPDX-License-Identifier: MIT
 *
 * Moving data between the kernel and the current task's user memory.  Every
 * user pointer the kernel touches goes through these; a bad or unmapped user
 * address makes them return KERN_INVALID_ADDRESS, never a kernel fault.  Each
 * checks that the whole range lies in user space before touching it.
 */
#ifndef _KERN_COPYIO_H_
#define _KERN_COPYIO_H_

#include <kern/types.h>
#include <mach/kern_return.h>

kern_return_t copyin(uintptr_t uaddr, void *kaddr, size_t len);
kern_return_t copyout(const void *kaddr, uintptr_t uaddr, size_t len);

/* Copies a NUL-terminated string of at most `max` bytes including the NUL;
 * KERN_INVALID_ARGUMENT when it is longer. *len excludes the NUL. */
kern_return_t copyinstr(uintptr_t uaddr, char *kaddr, size_t max, size_t *len);

#endif

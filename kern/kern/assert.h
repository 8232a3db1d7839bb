/* SPDX-License-Identifier: MIT
 *
 * panic() is for corrupted kernel state only, never for anything a user task
 * can cause.  assert() checks invariants and is compiled in every build: the
 * kernel is small enough that the checks are cheap, and a wrong kernel
 * should stop loudly.
 */
#ifndef _KERN_ASSERT_H_
#define _KERN_ASSERT_H_

#include <kern/types.h>

void panic(const char *fmt, ...) __printflike(1, 2) __noreturn;

#define assert(e)                                                                                  \
    do {                                                                                           \
        if (unlikely(!(e)))                                                                        \
            panic("assertion failed: %s at %s:%d", #e, __FILE__, __LINE__);                        \
    } while (0)

#endif

/* SPDX-License-Identifier: MIT
 *
 * Stack backtraces with symbol names.  The kernel is built with frame
 * pointers, so each frame starts with the caller's %rbp and the return
 * address; ksyms (a table generated from the kernel's own symbols at link
 * time, see kern/CMakeLists.txt) turns addresses into function+offset.
 */
#ifndef _DEBUG_BACKTRACE_H_
#define _DEBUG_BACKTRACE_H_

#include <kern/types.h>

/* Prints "  [n] address function+offset" for each frame, starting at the
 * frame whose base pointer is `rbp`, without taking the console lock. */
void backtrace_print(uintptr_t rbp);

/* Like backtrace_print(), but for a context that is not the caller's own,
 * such as the one a trap interrupted: first the `npcs` addresses `pcs`
 * (where it stopped, and any caller the frame chain would miss), then the
 * chain from `rbp` (its frame pointer at that moment).  Repeated frames
 * (deep recursion) are collapsed into one line with a count. */
void backtrace_print_from(const uintptr_t *pcs, int npcs, uintptr_t rbp);

/* The name of the function containing `addr` and the offset into it, or
 * NULL when `addr` is not in the kernel's text. */
const char *ksym_lookup(uintptr_t addr, uintptr_t *offset);

#endif

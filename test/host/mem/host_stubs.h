/* SPDX-License-Identifier: MIT
 *
 * Host stand-ins for what the kernel-memory code calls outside itself
 * (host_stubs.c): panic that a test can catch, kprintf, and kernel pages
 * (vm_kpage_alloc) from aligned_alloc with a page counter.
 */
#ifndef _HOST_MEM_STUBS_H_
#define _HOST_MEM_STUBS_H_

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

/* While non-NULL, panic() longjmps here instead of aborting. */
extern jmp_buf *host_panic_jmp;

/* Pages currently handed out by the vm_kpage_alloc stand-in. */
extern size_t host_kpages_out;

/* Runs stmt and reports whether it panicked. */
#define HOST_PANICS(stmt)                                                                          \
    ({                                                                                             \
        jmp_buf jb_;                                                                               \
        bool panicked_ = false;                                                                    \
        host_panic_jmp = &jb_;                                                                     \
        if (setjmp(jb_) == 0) {                                                                    \
            stmt;                                                                                  \
        } else {                                                                                   \
            panicked_ = true;                                                                      \
        }                                                                                          \
        host_panic_jmp = NULL;                                                                     \
        panicked_;                                                                                 \
    })

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

#endif

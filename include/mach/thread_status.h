/* SPDX-License-Identifier: MIT
 *
 * Thread state flavors for thread_get_state / thread_set_state (public ABI,
 * shared by the kernel, libmach and the Unix server).  The x86-64 flavors
 * keep XNU's numbers and field names, so code written for them reads the
 * same; Quay adds the %fs base (the TLS pointer) to the general state.
 *
 * Sizes are counted in natural_t (32-bit) units, as Mach does: a caller
 * passes the room it has in *count and gets back how much was used.
 */
#ifndef _MACH_THREAD_STATUS_H_
#define _MACH_THREAD_STATUS_H_

#include <stdint.h>
#include <mach/vm_types.h>

typedef natural_t *thread_state_t;
typedef int thread_state_flavor_t;

#define x86_THREAD_STATE64 4 /* x86_thread_state64_t */
#define x86_FLOAT_STATE64  5 /* x86_float_state64_t */

/* General registers.  On thread_set_state: cs must be the user 64-bit code
 * selector (0x2b), rip and rsp user addresses, fs_base a user address;
 * rflags is accepted with its system bits (IF on, IOPL 0, no NT, VM, RF)
 * forced; fs and gs are ignored (reported as 0). */
typedef struct x86_thread_state64 {
    uint64_t rax, rbx, rcx, rdx, rdi, rsi, rbp, rsp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rip, rflags, cs, fs, gs;
    uint64_t fs_base;
} x86_thread_state64_t;

/* The FPU/SSE state in the 512-byte fxsave layout (Intel SDM vol. 1
 * 10.5.1).  On thread_set_state the MXCSR reserved bits must be clear. */
typedef struct x86_float_state64 {
    uint8_t fpu_fxsave[512];
} x86_float_state64_t;

#define x86_THREAD_STATE64_COUNT ((natural_t)(sizeof(x86_thread_state64_t) / sizeof(natural_t)))
#define x86_FLOAT_STATE64_COUNT  ((natural_t)(sizeof(x86_float_state64_t) / sizeof(natural_t)))

/* The largest state, in natural_t units: what a MIG buffer must hold. */
#define THREAD_STATE_MAX x86_FLOAT_STATE64_COUNT

_Static_assert(sizeof(x86_thread_state64_t) == 22 * 8, "x86_thread_state64_t is ABI");
_Static_assert(sizeof(x86_float_state64_t) == 512, "x86_float_state64_t is ABI");

#endif

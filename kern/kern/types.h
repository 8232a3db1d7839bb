/* SPDX-License-Identifier: MIT
 * Basic types every kernel file uses.
 */
#ifndef _KERN_TYPES_H_
#define _KERN_TYPES_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t;  /* physical address */
typedef uintptr_t vaddr_t; /* kernel or user virtual address */

#define ARRAY_SIZE(a)                 (sizeof(a) / sizeof((a)[0]))
#define ROUND_UP(x, a)                (((x) + (a)-1) & ~((__typeof__(x))(a)-1))
#define ROUND_DOWN(x, a)              ((x) & ~((__typeof__(x))(a)-1))
#define MIN(a, b)                     ((a) < (b) ? (a) : (b))
#define MAX(a, b)                     ((a) > (b) ? (a) : (b))
#define container_of(p, type, member) ((type *)((char *)(p)-offsetof(type, member)))

#define __unused           __attribute__((unused))
#define __noreturn         __attribute__((noreturn))
#define __packed           __attribute__((packed))
#define __aligned(n)       __attribute__((aligned(n)))
#define __printflike(f, a) __attribute__((format(printf, f, a)))
#define likely(x)          __builtin_expect(!!(x), 1)
#define unlikely(x)        __builtin_expect(!!(x), 0)

#endif

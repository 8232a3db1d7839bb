/* SPDX-License-Identifier: MIT */
/*
 * boolean_t, Mach's truth type: an int holding TRUE (1) or FALSE (0), so it
 * has the same size in kernel and user space and travels in messages as a
 * 32-bit integer.
 */
#ifndef _MACH_BOOLEAN_H_
#define _MACH_BOOLEAN_H_

typedef int boolean_t;

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

#endif /* _MACH_BOOLEAN_H_ */

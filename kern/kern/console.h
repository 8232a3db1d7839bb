/* SPDX-License-Identifier: MIT
 *
 * The kernel console: kprintf() to the serial port, whole lines at a time
 * under one lock so output from several CPUs does not interleave within a
 * call.  klog() prints only when the message level is at or below the
 * `loglevel=` boot option (default LOG_INFO).
 */
#ifndef _KERN_CONSOLE_H_
#define _KERN_CONSOLE_H_

#include <kern/types.h>
#include <stdarg.h>

enum { LOG_ERR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

extern int console_loglevel;

void console_init(void);
int kprintf(const char *fmt, ...) __printflike(1, 2);
int vkprintf(const char *fmt, va_list ap);
void klog(int level, const char *fmt, ...) __printflike(2, 3);

/* Used by panic: prints without taking the console lock. */
int kprintf_unlocked(const char *fmt, ...) __printflike(1, 2);

#endif

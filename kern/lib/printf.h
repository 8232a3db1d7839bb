/* SPDX-License-Identifier: MIT
 * Formatted output (lib/printf.c).  The format language is C's, without
 * floating point: flags "-0+ #", width and precision (also "*"), length
 * modifiers hh h l ll z t j, conversions d i u x X o p s c %.
 */
#ifndef _LIB_PRINTF_H_
#define _LIB_PRINTF_H_

#include <stdarg.h>
#include <stddef.h>

/* Output sink: called once per character with the caller's cookie. */
typedef void (*printf_putc_t)(char c, void *arg);

int vformat(printf_putc_t out, void *arg, const char *fmt, va_list ap);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif

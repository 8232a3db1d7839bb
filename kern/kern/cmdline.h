/* SPDX-License-Identifier: MIT
 *
 * Kernel command line options, "key=value" or bare "key", separated by
 * spaces.  Options the kernel knows:
 *   ktest=all|PATTERN[,PATTERN]  run in-kernel tests ("*" globs), then exit
 *   loglevel=0..3                console verbosity (console.h)
 *   crash=KIND                   fault on purpose after boot, to test that
 *                                faults are reported (see kern/main.c)
 */
#ifndef _KERN_CMDLINE_H_
#define _KERN_CMDLINE_H_

#include <kern/types.h>

/* Copies the value of `key` into buf; false when the option is absent.  A
 * bare "key" has the empty value. */
bool cmdline_get(const char *cmdline, const char *key, char *buf, size_t size);

/* The value of `key` as a decimal number, or `dflt` when absent or bad. */
long cmdline_get_long(const char *cmdline, const char *key, long dflt);

#endif

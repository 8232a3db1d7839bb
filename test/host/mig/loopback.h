/* SPDX-License-Identifier: MIT */
/*
 * loopback.h: the checking helpers shared by loopback.c and
 * loopback_bad.c.
 */
#ifndef LOOPBACK_H
#define LOOPBACK_H

#include <stdio.h>

#include <mach/mig_support.h>

extern int lb_failures;
extern const char *lb_current;
extern mach_port_t lb_server;
void *lb_region(size_t size, int fill);

#define LB_CHECK(cond)                                                                             \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: %s: check failed: %s\n", __FILE__, __LINE__, lb_current,       \
                    #cond);                                                                        \
            lb_failures++;                                                                         \
        }                                                                                          \
    } while (0)

#define LB_CHECK_KR(expr, want)                                                                    \
    do {                                                                                           \
        kern_return_t kr_ = (expr);                                                                \
        if (kr_ != (want)) {                                                                       \
            fprintf(stderr, "%s:%d: %s: %s returned %#x, expected %#x\n", __FILE__, __LINE__,      \
                    lb_current, #expr, kr_, (want));                                               \
            lb_failures++;                                                                         \
        }                                                                                          \
    } while (0)

void unknown_id_is_answered_bad_id_and_destroyed(void);
void malformed_descriptors_are_bad_arguments_and_destroyed(void);
void ool_size_not_matching_count_is_bad_arguments(void);
void truncated_and_oversized_requests_are_bad_arguments(void);
void counts_and_strings_are_checked(void);
void forged_replies_are_refused_and_destroyed(void);

#endif /* LOOPBACK_H */

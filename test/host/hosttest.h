/* SPDX-License-Identifier: MIT
 *
 * A minimal host unit-test harness.  A test file defines test functions with
 * HOST_TEST(name) and ends with HOST_TEST_MAIN(t1, t2, ...).  CHECK* marks the
 * running test failed, prints the location and returns from the test.  The
 * program prints one line per test and "N passed, N failed", and exits
 * non-zero when anything failed.
 */
#ifndef HOSTTEST_H
#define HOSTTEST_H

#include <stdio.h>
#include <string.h>

static int hosttest_failed_;

#define HOST_TEST(name) static void name(void)

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            printf("  %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);                      \
            hosttest_failed_ = 1;                                                                  \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#define CHECK_EQ(a, b)                                                                             \
    do {                                                                                           \
        long long a_ = (long long)(a), b_ = (long long)(b);                                        \
        if (a_ != b_) {                                                                            \
            printf("  %s:%d: %s == %s failed (%lld != %lld)\n", __FILE__, __LINE__, #a, #b, a_,    \
                   b_);                                                                            \
            hosttest_failed_ = 1;                                                                  \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#define CHECK_STR(a, b)                                                                            \
    do {                                                                                           \
        const char *a_ = (a), *b_ = (b);                                                           \
        if (strcmp(a_, b_) != 0) {                                                                 \
            printf("  %s:%d: %s == \"%s\" failed (got \"%s\")\n", __FILE__, __LINE__, #a, b_, a_); \
            hosttest_failed_ = 1;                                                                  \
            return;                                                                                \
        }                                                                                          \
    } while (0)

typedef void (*hosttest_fn_)(void);

static inline int
hosttest_run_(const char *names, hosttest_fn_ *fns, int n)
{
    int passed = 0, failed = 0;
    char buf[4096];
    char *save = NULL;

    snprintf(buf, sizeof(buf), "%s", names);
    char *name = strtok_r(buf, ", ", &save);
    for (int i = 0; i < n; i++, name = strtok_r(NULL, ", ", &save)) {
        hosttest_failed_ = 0;
        fns[i]();
        printf("%s %s\n", hosttest_failed_ ? "FAIL" : "PASS", name ? name : "?");
        if (hosttest_failed_)
            failed++;
        else
            passed++;
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}

#define HOST_TEST_MAIN(...)                                                                        \
    int main(void)                                                                                 \
    {                                                                                              \
        hosttest_fn_ fns[] = {__VA_ARGS__};                                                        \
        return hosttest_run_(#__VA_ARGS__, fns, (int)(sizeof(fns) / sizeof(fns[0])));              \
    }

#endif

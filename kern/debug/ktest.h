/* SPDX-License-Identifier: MIT
 *
 * In-kernel tests.  A test is a function declared with
 *
 *     KTEST(vm, page_alloc_returns_all_free_memory) { ... }
 *
 * which places a descriptor in the .ktest linker section; ktest_run() finds
 * them all between ktest_start and ktest_end.  Boot with `ktest=all` or
 * `ktest=PATTERN[,PATTERN...]` ("*" matches any run of characters) to run
 * the tests whose "subsystem.behaviour" name matches ("all" leaves out
 * tests declared with KTEST_MANUAL).  Each prints one
 * result line; the run ends with "N passed, N failed" and exits QEMU with
 * status 0 when nothing failed.
 *
 * Inside a test, KT_ASSERT / KT_EQ / KT_NE fail the test and return from the
 * test function; use them only in the test function itself.
 */
#ifndef _DEBUG_KTEST_H_
#define _DEBUG_KTEST_H_

#include <kern/types.h>

struct ktest {
    const char *subsystem;
    const char *name;
    void (*fn)(void);
    bool manual; /* skipped by "all": runs only when a pattern names it */
};

#define KTEST_DEFINE(sub, nm, man)                                                                 \
    static void ktest_fn_##sub##_##nm(void);                                                       \
    static const struct ktest ktest_desc_##sub##_##nm                                              \
        __attribute__((section(".ktest." #sub), used, aligned(8))) = {#sub, #nm,                   \
                                                                      ktest_fn_##sub##_##nm, man}; \
    static void ktest_fn_##sub##_##nm(void)

#define KTEST(sub, nm) KTEST_DEFINE(sub, nm, false)

/* A test that is not part of "all", e.g. one that fails on purpose so the
 * harness can show that it notices. */
#define KTEST_MANUAL(sub, nm) KTEST_DEFINE(sub, nm, true)

/* Records a failure of the running test with its location and message. */
void ktest_fail(const char *file, int line, const char *fmt, ...) __printflike(3, 4);

#define KT_ASSERT(cond)                                                                            \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            ktest_fail(__FILE__, __LINE__, "%s", #cond);                                           \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#define KT_EQ(a, b)                                                                                \
    do {                                                                                           \
        uint64_t ka_ = (uint64_t)(a), kb_ = (uint64_t)(b);                                         \
        if (ka_ != kb_) {                                                                          \
            ktest_fail(__FILE__, __LINE__, "%s == %s (%#lx != %#lx)", #a, #b, ka_, kb_);           \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#define KT_NE(a, b)                                                                                \
    do {                                                                                           \
        uint64_t ka_ = (uint64_t)(a), kb_ = (uint64_t)(b);                                         \
        if (ka_ == kb_) {                                                                          \
            ktest_fail(__FILE__, __LINE__, "%s != %s (both %#lx)", #a, #b, ka_);                   \
            return;                                                                                \
        }                                                                                          \
    } while (0)

/* Runs the tests matching `patterns` and exits the machine; never returns. */
void ktest_run(const char *patterns) __noreturn;

/* True when `name` matches the glob `pat` ("*" only).  Exposed for tests. */
bool ktest_glob_match(const char *pat, const char *name);

#endif

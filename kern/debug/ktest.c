// SPDX-License-Identifier: MIT
//
// The in-kernel test runner (see ktest.h).

#include <debug/ktest.h>
#include <kern/console.h>
#include <kern/machine.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <stdarg.h>

extern const struct ktest ktest_start[], ktest_end[];

static bool current_failed;

void
ktest_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    char msg[256];

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    kprintf("ktest:   %s:%d: check failed: %s\n", file, line, msg);
    current_failed = true;
}

bool
ktest_glob_match(const char *pat, const char *name)
{
    if (*pat == '\0')
        return *name == '\0';
    if (*pat == '*')
        return ktest_glob_match(pat + 1, name) ||
               (*name != '\0' && ktest_glob_match(pat, name + 1));
    return *pat == *name && ktest_glob_match(pat + 1, name + 1);
}

// True when "sub.name" matches one of the comma-separated patterns.
static bool
selected(const struct ktest *t, const char *patterns)
{
    char full[128], pat[128];

    snprintf(full, sizeof(full), "%s.%s", t->subsystem, t->name);
    for (const char *p = patterns; *p != '\0';) {
        size_t n = 0;
        while (p[n] != '\0' && p[n] != ',')
            n++;
        if (n < sizeof(pat)) {
            memcpy(pat, p, n);
            pat[n] = '\0';
            if (strcmp(pat, "all") == 0 ? !t->manual : ktest_glob_match(pat, full))
                return true;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return false;
}

void
ktest_run(const char *patterns)
{
    unsigned passed = 0, failed = 0;

    kprintf("ktest: running tests matching '%s'\n", patterns);
    for (const struct ktest *t = ktest_start; t < ktest_end; t++) {
        if (!selected(t, patterns))
            continue;
        current_failed = false;
        t->fn();
        kprintf("ktest: %s %s.%s\n", current_failed ? "FAIL" : "PASS", t->subsystem, t->name);
        if (current_failed)
            failed++;
        else
            passed++;
    }
    if (passed + failed == 0)
        kprintf("ktest: no test matches '%s'\n", patterns);
    kprintf("%u passed, %u failed\n", passed, failed);
    machine_exit(failed == 0 && passed > 0 ? 0 : 1);
}

// SPDX-License-Identifier: MIT
//
// Tests of the ktest framework and of what the boot loader handed over.

#include <debug/ktest.h>
#include <kern/bootinfo.h>
#include <kern/cmdline.h>
#include <lib/string.h>
#include <lib/printf.h>

// Fails on purpose: qemu.harness.failing_ktest_fails_run checks that a
// failing check fails the whole run.
KTEST_MANUAL(ktest, deliberate_failure)
{
    KT_EQ(1 + 1, 3);
}

KTEST(ktest, glob_matches_star_and_literals)
{
    KT_ASSERT(ktest_glob_match("vm.*", "vm.page_alloc"));
    KT_ASSERT(ktest_glob_match("*alloc*", "vm.page_alloc_all"));
    KT_ASSERT(ktest_glob_match("vm.page", "vm.page"));
    KT_ASSERT(!ktest_glob_match("vm.page", "vm.pages"));
    KT_ASSERT(!ktest_glob_match("ipc.*", "vm.page"));
}

KTEST(boot, memory_map_has_available_ram)
{
    uint64_t avail = 0;

    for (unsigned i = 0; i < boot_info.nmem; i++) {
        if (boot_info.mem[i].type == BOOT_MEM_AVAILABLE)
            avail += boot_info.mem[i].size;
    }
    KT_ASSERT(boot_info.nmem > 0);
    KT_ASSERT(avail >= 16ull << 20);
}

KTEST(boot, command_line_reaches_kernel)
{
    char v[64];

    KT_ASSERT(cmdline_get(boot_info.cmdline, "ktest", v, sizeof(v)));
    KT_ASSERT(strlen(v) > 0);
}

KTEST(lib, cmdline_parses_values_and_bare_words)
{
    char v[16];
    const char *cl = "a=1 ktest=vm.* quiet loglevel=3 loglevelx=9";

    KT_ASSERT(cmdline_get(cl, "ktest", v, sizeof(v)) && strcmp(v, "vm.*") == 0);
    KT_ASSERT(cmdline_get(cl, "quiet", v, sizeof(v)) && v[0] == '\0');
    KT_EQ(cmdline_get_long(cl, "loglevel", 0), 3);
    KT_EQ(cmdline_get_long(cl, "missing", 7), 7);
    KT_ASSERT(!cmdline_get(cl, "quie", v, sizeof(v)));
}

KTEST(lib, snprintf_formats_like_c)
{
    char b[64];

    snprintf(b, sizeof(b), "%d|%5u|%-3s|%#x|%08lx|%c|%%", -42, 7u, "ab", 255, 0xbeefUL, 'z');
    KT_ASSERT(strcmp(b, "-42|    7|ab |0xff|0000beef|z|%") == 0);
    KT_EQ(snprintf(b, 4, "%s", "truncate"), 8);
    KT_ASSERT(strcmp(b, "tru") == 0);
}

// SPDX-License-Identifier: MIT
//
// Host tests of the kernel's pure library code: the printf engine and the
// command-line parser.  The kernel's snprintf/vsnprintf are renamed by the
// build (kern_snprintf...) so they do not replace the C library's.

#include "hosttest.h"
#include <kern/cmdline.h>
#include <stdint.h>

#define vsnprintf kern_vsnprintf
#define snprintf  kern_snprintf
#include <lib/printf.h>
#undef vsnprintf
#undef snprintf

static char out[256];

#define FMT(...) (kern_snprintf(out, sizeof(out), __VA_ARGS__), out)

HOST_TEST(printf_integers_of_every_width)
{
    CHECK_STR(FMT("%d %i %u", -7, 42, 3000000000u), "-7 42 3000000000");
    CHECK_STR(FMT("%ld %lu", (long)INT64_MIN, (unsigned long)UINT64_MAX),
              "-9223372036854775808 18446744073709551615");
    CHECK_STR(FMT("%hhd %hd %zu", 300, 70000, (size_t)5), "44 4464 5");
    CHECK_STR(FMT("%x %X %o %#o %#x", 0xabcu, 0xabcu, 8u, 8u, 0u), "abc ABC 10 010 0");
}

HOST_TEST(printf_width_precision_and_flags_match_c)
{
    const char *fmts[] = {"%5d",   "%-5d|", "%05d", "%+d", "% d",   "%.3d",
                          "%8.3x", "%-8s|", "%.2s", "%*d", "%-*d|", "%#08x"};
    for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
        char want[64];
        if (fmts[i][1] == '*' || fmts[i][2] == '*') {
            snprintf(want, sizeof(want), fmts[i], 6, -42);
            kern_snprintf(out, sizeof(out), fmts[i], 6, -42);
        } else if (strchr(fmts[i], 's')) {
            snprintf(want, sizeof(want), fmts[i], "quay");
            kern_snprintf(out, sizeof(out), fmts[i], "quay");
        } else {
            snprintf(want, sizeof(want), fmts[i], 42);
            kern_snprintf(out, sizeof(out), fmts[i], 42);
        }
        CHECK_STR(out, want);
    }
}

HOST_TEST(printf_pointer_string_char_and_percent)
{
    CHECK_STR(FMT("%p", (void *)0x1234), "0x1234");
    const char *volatile null = NULL; // hidden from gcc's format checker
    CHECK_STR(FMT("%s|%c|%%", null, 'q'), "(null)|q|%");
}

HOST_TEST(snprintf_truncates_and_returns_full_length)
{
    char small[5];
    CHECK_EQ(kern_snprintf(small, sizeof(small), "%s", "abcdefgh"), 8);
    CHECK_STR(small, "abcd");
    CHECK_EQ(kern_snprintf(small, 0, "%d", 12345), 5);
}

HOST_TEST(cmdline_finds_keys_values_and_bare_words)
{
    char v[16];
    const char *cl = "  /boot/quay-kernel ktest=vm.* quiet loglevel=3 long=0123456789abcdefXYZ";

    CHECK(cmdline_get(cl, "ktest", v, sizeof(v)));
    CHECK_STR(v, "vm.*");
    CHECK(cmdline_get(cl, "quiet", v, sizeof(v)));
    CHECK_STR(v, "");
    CHECK(!cmdline_get(cl, "kte", v, sizeof(v)));
    CHECK(cmdline_get(cl, "long", v, sizeof(v)));
    CHECK_STR(v, "0123456789abcde"); // truncated to the buffer
    CHECK_EQ(cmdline_get_long(cl, "loglevel", -1), 3);
    CHECK_EQ(cmdline_get_long(cl, "quiet", -1), -1);
    CHECK_EQ(cmdline_get_long(cl, "ktest", -1), -1);
    CHECK(!cmdline_get("", "x", v, sizeof(v)));
}

HOST_TEST_MAIN(printf_integers_of_every_width, printf_width_precision_and_flags_match_c,
               printf_pointer_string_char_and_percent, snprintf_truncates_and_returns_full_length,
               cmdline_finds_keys_values_and_bare_words)

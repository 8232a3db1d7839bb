// SPDX-License-Identifier: MIT
//
// Command line option lookup (see cmdline.h).  Pure string code: the host
// tests build it too.

#include <kern/cmdline.h>
#include <lib/string.h>

// Returns the start of the word after the one at `p`.
static const char *
next_word(const char *p)
{
    while (*p != '\0' && *p != ' ')
        p++;
    while (*p == ' ')
        p++;
    return p;
}

bool
cmdline_get(const char *cmdline, const char *key, char *buf, size_t size)
{
    size_t klen = strlen(key);
    const char *p = cmdline;

    while (*p == ' ')
        p++;
    for (; *p != '\0'; p = next_word(p)) {
        if (strncmp(p, key, klen) != 0)
            continue;
        const char *v = p + klen;
        if (*v != '\0' && *v != ' ' && *v != '=')
            continue;
        if (*v == '=')
            v++;
        size_t n = 0;
        while (v[n] != '\0' && v[n] != ' ')
            n++;
        if (size > 0) {
            size_t c = n < size - 1 ? n : size - 1;
            memcpy(buf, v, c);
            buf[c] = '\0';
        }
        return true;
    }
    return false;
}

long
cmdline_get_long(const char *cmdline, const char *key, long dflt)
{
    char buf[24];
    long v = 0;

    if (!cmdline_get(cmdline, key, buf, sizeof(buf)) || buf[0] == '\0')
        return dflt;
    for (const char *p = buf; *p != '\0'; p++) {
        if (*p < '0' || *p > '9')
            return dflt;
        v = v * 10 + (*p - '0');
    }
    return v;
}

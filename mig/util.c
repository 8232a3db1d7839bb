/* SPDX-License-Identifier: MIT */
/*
 * util.c: the arena every mig object lives in, a few string helpers, and
 * diagnostics in the "file:line:column: message" form that editors and
 * compilers use.  Positions are those of the original .defs file, recovered
 * by the lexer from the C preprocessor's line markers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mig.h"

/* Each allocation is preceded by a link so mig_free_all() can walk them. */
struct arena_block {
    struct arena_block *next;
    max_align_t data[];
};

static struct arena_block *arena;
static int errors;
static bool quiet;
static char *capture; /* if set, diagnostics are appended here */
static size_t capture_size;

void *
mig_alloc(size_t size)
{
    struct arena_block *b = calloc(1, sizeof(*b) + size);

    if (b == NULL) {
        fputs("mig: out of memory\n", stderr);
        exit(2);
    }
    b->next = arena;
    arena = b;
    return b->data;
}

char *
mig_strndup(const char *s, size_t n)
{
    char *p = mig_alloc(n + 1);

    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *
mig_strdup(const char *s)
{
    return mig_strndup(s, strlen(s));
}

char *
mig_format(const char *fmt, ...)
{
    va_list ap;
    int n;
    char *p;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    p = mig_alloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

/* Release every arena object; pointers into the arena become invalid. */
void
mig_free_all(void)
{
    while (arena != NULL) {
        struct arena_block *next = arena->next;
        free(arena);
        arena = next;
    }
}

static void
report(struct mig_pos pos, const char *what, const char *fmt, va_list ap)
{
    if (quiet)
        return;
    if (capture != NULL) {
        size_t used = strlen(capture);
        int n = 0;
        if (pos.file != NULL)
            n = snprintf(capture + used, capture_size - used, "%s:%d:%d: %s: ", pos.file, pos.line,
                         pos.col, what);
        if (n >= 0 && used + (size_t)n < capture_size) {
            used += (size_t)n;
            vsnprintf(capture + used, capture_size - used, fmt, ap);
            used = strlen(capture);
            if (used + 1 < capture_size)
                strcat(capture, "\n");
        }
        return;
    }
    if (pos.file != NULL)
        fprintf(stderr, "%s:%d:%d: %s: ", pos.file, pos.line, pos.col, what);
    else
        fprintf(stderr, "mig: %s: ", what);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

/* Report an error at POS; mig will exit non-zero after parsing. */
void
mig_error(struct mig_pos pos, const char *fmt, ...)
{
    va_list ap;

    errors++;
    va_start(ap, fmt);
    report(pos, "error", fmt, ap);
    va_end(ap);
}

void
mig_warning(struct mig_pos pos, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report(pos, "warning", fmt, ap);
    va_end(ap);
}

int
mig_error_count(void)
{
    return errors;
}

/* Send diagnostics to BUF (SIZE bytes, NUL-terminated) instead of stderr; NULL undoes. */
void
mig_diag_capture(char *buf, size_t size)
{
    capture = buf;
    capture_size = size;
    if (buf != NULL && size > 0)
        buf[0] = '\0';
}

/* Start a new run: zero the error count; QUIET silences all messages (fuzzing). */
void
mig_diag_reset(bool be_quiet)
{
    errors = 0;
    quiet = be_quiet;
}

/* SPDX-License-Identifier: MIT */
/*
 * lexer.c: turns preprocessed .defs text into tokens.
 *
 * The input is the output of cpp, so it holds line markers
 * (# 12 "file.defs" 1) that the lexer follows to report positions in the
 * original files.  Comments are skipped too, so unpreprocessed text (the
 * parser fuzzer's input) lexes the same way.  Keywords are recognised by the
 * parser, case-insensitively, from TOK_IDENT tokens.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mig.h"

void
mig_lexer_init(struct mig_lexer *lx, const char *src, size_t len, const char *file)
{
    memset(lx, 0, sizeof(*lx));
    lx->src = src;
    lx->len = len;
    lx->file = file;
    lx->line = 1;
    lx->col = 1;
    lx->at_line_start = true;
}

static int
peekc(const struct mig_lexer *lx, size_t ahead)
{
    return lx->off + ahead < lx->len ? (unsigned char)lx->src[lx->off + ahead] : -1;
}

static void
advance(struct mig_lexer *lx)
{
    if (lx->off >= lx->len)
        return;
    if (lx->src[lx->off] == '\n') {
        lx->line++;
        lx->col = 1;
        lx->at_line_start = true;
    } else {
        lx->col++;
        if (!isspace((unsigned char)lx->src[lx->off]))
            lx->at_line_start = false;
    }
    lx->off++;
}

static struct mig_pos
here(const struct mig_lexer *lx)
{
    struct mig_pos p = {lx->file, lx->line, lx->col};
    return p;
}

/*
 * A directive line: "# N "file" flags" or "#line N "file"" moves the
 * position; anything else (#pragma, #ident) is ignored.
 */
static void
directive(struct mig_lexer *lx)
{
    size_t start = lx->off + 1, end = start;
    const char *s;
    char *line, *p, *q;
    long n;

    while (end < lx->len && lx->src[end] != '\n')
        end++;
    s = lx->src + start;
    line = mig_strndup(s, end - start);
    while (lx->off < end)
        advance(lx);
    advance(lx); /* the newline */
    p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    if (strncmp(p, "line", 4) == 0)
        p += 4;
    if (!isdigit((unsigned char)*p))
        return;
    n = strtol(p, &p, 10);
    if (n < 1 || n > 100000000)
        return;
    lx->line = (int)n;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '"' && (q = strchr(p + 1, '"')) != NULL)
        lx->file = mig_strndup(p + 1, (size_t)(q - p - 1));
}

/* Skip blanks, comments and directives; false at a malformed comment. */
static bool
skip_space(struct mig_lexer *lx, struct mig_token *err)
{
    for (;;) {
        int c = peekc(lx, 0);
        if (c == '#' && lx->at_line_start) {
            directive(lx);
        } else if (c >= 0 && isspace(c)) {
            advance(lx);
        } else if (c == '/' && peekc(lx, 1) == '/') {
            while (peekc(lx, 0) >= 0 && peekc(lx, 0) != '\n')
                advance(lx);
        } else if (c == '/' && peekc(lx, 1) == '*') {
            err->pos = here(lx);
            advance(lx);
            advance(lx);
            while (peekc(lx, 0) >= 0 && !(peekc(lx, 0) == '*' && peekc(lx, 1) == '/'))
                advance(lx);
            if (peekc(lx, 0) < 0) {
                mig_error(err->pos, "unterminated comment");
                lx->failed = true;
                return false;
            }
            advance(lx);
            advance(lx);
        } else {
            return true;
        }
    }
}

static struct mig_token
lex_number(struct mig_lexer *lx, struct mig_token t)
{
    size_t start = lx->off;
    char *end;
    unsigned long long v;

    while (isalnum(peekc(lx, 0)) || peekc(lx, 0) == '_')
        advance(lx);
    t.text = mig_strndup(lx->src + start, lx->off - start);
    v = strtoull(t.text, &end, 0);
    if (*end != '\0' || v > 0x7fffffffULL) {
        mig_error(t.pos, "bad number '%s'", t.text);
        lx->failed = true;
        v = 0;
    }
    t.kind = TOK_NUMBER;
    t.num = (long long)v;
    return t;
}

/* A "string" or <path>; CLOSE is the closing character. */
static struct mig_token
lex_quoted(struct mig_lexer *lx, struct mig_token t, int close)
{
    size_t start = lx->off;

    advance(lx);
    while (peekc(lx, 0) >= 0 && peekc(lx, 0) != close && peekc(lx, 0) != '\n') {
        if (peekc(lx, 0) == '\\' && peekc(lx, 1) >= 0 && peekc(lx, 1) != '\n')
            advance(lx);
        advance(lx);
    }
    if (peekc(lx, 0) != close) {
        mig_error(t.pos, "missing terminating %c character", close);
        lx->failed = true;
        t.kind = TOK_EOF;
        return t;
    }
    advance(lx);
    t.kind = close == '"' ? TOK_STRING : TOK_ANGLE;
    t.text = mig_strndup(lx->src + start, lx->off - start);
    return t;
}

/* Return the next token; errors are reported and produce TOK_EOF. */
struct mig_token
mig_lexer_next(struct mig_lexer *lx)
{
    struct mig_token t;
    size_t start;
    int c;

    memset(&t, 0, sizeof(t));
    if (!skip_space(lx, &t)) {
        t.kind = TOK_EOF;
        return t;
    }
    t.pos = here(lx);
    c = peekc(lx, 0);
    if (c < 0) {
        t.kind = TOK_EOF;
        t.text = "end of file";
        return t;
    }
    if (isalpha(c) || c == '_') {
        start = lx->off;
        while (isalnum(peekc(lx, 0)) || peekc(lx, 0) == '_')
            advance(lx);
        t.kind = TOK_IDENT;
        t.text = mig_strndup(lx->src + start, lx->off - start);
        return t;
    }
    if (isdigit(c))
        return lex_number(lx, t);
    if (c == '"' || c == '<')
        return lex_quoted(lx, t, c == '"' ? '"' : '>');
    if (strchr(";:,()[]{}=|^*+-/", c) != NULL && c != 0) {
        advance(lx);
        t.kind = TOK_PUNCT;
        t.punct = c;
        t.text = mig_strndup(lx->src + lx->off - 1, 1);
        return t;
    }
    lx->failed = true;
    if (isprint(c))
        mig_error(t.pos, "stray '%c' in input", c);
    else
        mig_error(t.pos, "stray byte 0x%02x in input", c);
    t.kind = TOK_EOF;
    return t;
}

/* True if T is the identifier KW, compared case-insensitively (GNU MIG). */
bool
mig_keyword_is(const struct mig_token *t, const char *kw)
{
    return t->kind == TOK_IDENT && strcasecmp(t->text, kw) == 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * parser.c: the statements of a .defs file (GNU MIG grammar, keywords
 * case-insensitive) and the token helpers the other parser files use.
 *
 *   subsystem [KernelUser] [KernelServer] name base ;
 *   type name = spec [annotations] ;           (parse_type.c)
 *   routine / simpleroutine name ( args ) ;    (parse_routine.c)
 *   skip ;
 *   import / uimport / simport "file" or <file> ;
 *   serverprefix id ; userprefix id ; serverdemux id ; rcsid "text" ;
 *   waittime expr ; nowaittime ; msgoption expr ;
 */
#include <stdlib.h>
#include <string.h>

#include "parser.h"

#define MAX_ERRORS 30

/* Move to the next token; a lexical error ends the parse. */
void
p_next(struct mig_parser *p)
{
    if (p->have_ahead) {
        p->tok = p->ahead;
        p->have_ahead = false;
    } else {
        p->tok = mig_lexer_next(&p->lx);
    }
    if (p->lx.failed)
        longjmp(p->abort, 1);
}

const struct mig_token *
p_peek(struct mig_parser *p)
{
    if (!p->have_ahead) {
        p->ahead = mig_lexer_next(&p->lx);
        p->have_ahead = true;
        if (p->lx.failed)
            longjmp(p->abort, 1);
    }
    return &p->ahead;
}

bool
p_is(const struct mig_parser *p, int punct)
{
    return p->tok.kind == TOK_PUNCT && p->tok.punct == punct;
}

bool
p_accept(struct mig_parser *p, int punct)
{
    if (!p_is(p, punct))
        return false;
    p_next(p);
    return true;
}

/* How a token is named in an error message. */
const char *
p_describe(const struct mig_token *t)
{
    if (t->kind == TOK_EOF)
        return "end of file";
    return mig_format("'%s'", t->text);
}

_Noreturn void
p_fail(struct mig_parser *p, struct mig_pos pos, const char *fmt, ...)
{
    va_list ap;
    char buf[512];

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    mig_error(pos, "%s", buf);
    longjmp(p->recover, 1);
}

void
p_expect(struct mig_parser *p, int punct, const char *context)
{
    if (!p_accept(p, punct))
        p_fail(p, p->tok.pos, "expected '%c' %s, found %s", punct, context, p_describe(&p->tok));
}

const char *
p_expect_ident(struct mig_parser *p, const char *what)
{
    const char *s;

    if (p->tok.kind != TOK_IDENT)
        p_fail(p, p->tok.pos, "expected %s, found %s", what, p_describe(&p->tok));
    s = p->tok.text;
    p_next(p);
    return s;
}

static long p_add_exp(struct mig_parser *p);

static long
p_factor(struct mig_parser *p)
{
    long v;

    if (p->tok.kind == TOK_NUMBER) {
        v = (long)p->tok.num;
        p_next(p);
        return v;
    }
    if (p_accept(p, '-'))
        return -p_factor(p);
    if (p_accept(p, '(')) {
        v = p_add_exp(p);
        p_expect(p, ')', "to close the expression");
        return v;
    }
    p_fail(p, p->tok.pos, "expected a number, found %s", p_describe(&p->tok));
}

static long
p_mul_exp(struct mig_parser *p)
{
    long v = p_factor(p);

    for (;;) {
        struct mig_pos pos = p->tok.pos;
        long r;
        if (p_accept(p, '*')) {
            r = p_factor(p);
            if (r != 0 && (labs(v) > 0x7fffffffL / labs(r)))
                p_fail(p, pos, "number too large");
            v *= r;
        } else if (p_accept(p, '/')) {
            r = p_factor(p);
            if (r == 0)
                p_fail(p, pos, "division by zero");
            v /= r;
        } else {
            return v;
        }
    }
}

static long
p_add_exp(struct mig_parser *p)
{
    long v = p_mul_exp(p);

    for (;;) {
        if (p_accept(p, '+'))
            v += p_mul_exp(p);
        else if (p_accept(p, '-'))
            v -= p_mul_exp(p);
        else
            break;
        if (v > 0x7fffffffL || v < -0x7fffffffL)
            p_fail(p, p->tok.pos, "number too large");
    }
    return v;
}

/* IntExp: numbers with + - * / and parentheses, as GNU MIG. */
long
p_int_exp(struct mig_parser *p)
{
    return p_add_exp(p);
}

static void
subsystem_statement(struct mig_parser *p)
{
    struct mig_subsystem *ss = p->ss;
    struct mig_pos pos = p->tok.pos;
    long base;

    if (ss->defined)
        p_fail(p, pos, "only one subsystem statement is allowed (the first is at line %d)",
               ss->pos.line);
    p_next(p);
    for (;;) {
        if (mig_keyword_is(&p->tok, "KernelUser"))
            ss->kernel_user = true;
        else if (mig_keyword_is(&p->tok, "KernelServer"))
            ss->kernel_server = true;
        else
            break;
        p_next(p);
    }
    ss->name = p_expect_ident(p, "a subsystem name");
    pos = p->tok.pos;
    base = p_int_exp(p);
    if (base < 0 || base > 0x7fff0000L)
        p_fail(p, pos, "subsystem base %ld is out of range", base);
    ss->base = base;
    ss->defined = true;
    ss->pos = pos;
    p_expect(p, ';', "after the subsystem statement");
}

static void
import_statement(struct mig_parser *p, enum mig_import_kind kind)
{
    struct mig_import *imp, **tail;

    p_next(p);
    if (p->tok.kind != TOK_STRING && p->tok.kind != TOK_ANGLE)
        p_fail(p, p->tok.pos, "expected \"file\" or <file> after import, found %s",
               p_describe(&p->tok));
    imp = mig_alloc(sizeof(*imp));
    imp->kind = kind;
    imp->file = p->tok.text;
    for (tail = &p->ss->imports; *tail != NULL; tail = &(*tail)->next)
        ;
    *tail = imp;
    p_next(p);
    p_expect(p, ';', "after the import");
}

/* waittime / msgoption value: a C expression given as a name, number or "string". */
static const char *
c_value(struct mig_parser *p, const char *what)
{
    const char *v;

    if (p->tok.kind == TOK_STRING) {
        v = mig_strndup(p->tok.text + 1, strlen(p->tok.text) - 2);
        p_next(p);
        return v;
    }
    if (p->tok.kind == TOK_IDENT || p->tok.kind == TOK_NUMBER) {
        v = p->tok.text;
        p_next(p);
        return v;
    }
    p_fail(p, p->tok.pos, "expected %s, found %s", what, p_describe(&p->tok));
}

static const char *
name_statement(struct mig_parser *p, const char *what)
{
    const char *v;

    p_next(p);
    v = p_expect_ident(p, what);
    p_expect(p, ';', "after the statement");
    return v;
}

static void
option_statement(struct mig_parser *p)
{
    struct mig_token *t = &p->tok;

    if (mig_keyword_is(t, "waittime")) {
        p_next(p);
        p->waittime = c_value(p, "a time-out value");
        p_expect(p, ';', "after waittime");
    } else if (mig_keyword_is(t, "nowaittime")) {
        p_next(p);
        p->waittime = NULL;
        p_expect(p, ';', "after nowaittime");
    } else if (mig_keyword_is(t, "msgoption")) {
        p_next(p);
        p->msgoption = c_value(p, "a message option");
        p_expect(p, ';', "after msgoption");
    } else {
        p->ss->rcsid = NULL;
        p_next(p);
        if (p->tok.kind != TOK_STRING)
            p_fail(p, p->tok.pos, "expected a string after rcsid, found %s", p_describe(t));
        p->ss->rcsid = p->tok.text;
        p_next(p);
        p_expect(p, ';', "after rcsid");
    }
}

static void
statement(struct mig_parser *p)
{
    struct mig_token *t = &p->tok;

    if (p_accept(p, ';'))
        return;
    if (t->kind != TOK_IDENT)
        p_fail(p, t->pos, "expected a statement, found %s", p_describe(t));
    if (mig_keyword_is(t, "subsystem")) {
        subsystem_statement(p);
        return;
    }
    if (!p->ss->defined && (mig_keyword_is(t, "routine") || mig_keyword_is(t, "simpleroutine") ||
                            mig_keyword_is(t, "skip")))
        p_fail(p, t->pos, "the subsystem statement must come before '%s'", t->text);
    if (mig_keyword_is(t, "type"))
        p_type_statement(p);
    else if (mig_keyword_is(t, "routine"))
        p_routine_statement(p, false);
    else if (mig_keyword_is(t, "simpleroutine"))
        p_routine_statement(p, true);
    else if (mig_keyword_is(t, "skip"))
        p_add_skip(p);
    else if (mig_keyword_is(t, "import"))
        import_statement(p, IMP_BOTH);
    else if (mig_keyword_is(t, "uimport"))
        import_statement(p, IMP_USER);
    else if (mig_keyword_is(t, "simport"))
        import_statement(p, IMP_SERVER);
    else if (mig_keyword_is(t, "serverprefix"))
        p->server_prefix = name_statement(p, "a prefix");
    else if (mig_keyword_is(t, "userprefix"))
        p->user_prefix = name_statement(p, "a prefix");
    else if (mig_keyword_is(t, "serverdemux"))
        p->ss->serverdemux = name_statement(p, "a function name");
    else if (mig_keyword_is(t, "waittime") || mig_keyword_is(t, "nowaittime") ||
             mig_keyword_is(t, "msgoption") || mig_keyword_is(t, "rcsid"))
        option_statement(p);
    else if (mig_keyword_is(t, "procedure") || mig_keyword_is(t, "function") ||
             mig_keyword_is(t, "simpleprocedure") || mig_keyword_is(t, "simplefunction"))
        p_fail(p, t->pos, "'%s' is obsolete; use routine or simpleroutine", t->text);
    else
        p_fail(p, t->pos, "unknown statement '%s'", t->text);
}

/* Skip to just after the next ';' (or to the end) after an error. */
static void
resync(struct mig_parser *p)
{
    while (p->tok.kind != TOK_EOF && !p_is(p, ';'))
        p_next(p);
    if (p->tok.kind != TOK_EOF)
        p_next(p);
}

static void
parse_all(struct mig_parser *p)
{
    p_next(p);
    while (p->tok.kind != TOK_EOF) {
        if (setjmp(p->recover) != 0) {
            if (mig_error_count() >= MAX_ERRORS) {
                mig_error(p->tok.pos, "too many errors, giving up");
                return;
            }
            resync(p);
            continue;
        }
        statement(p);
    }
    if (!p->ss->defined)
        mig_error(p->tok.pos, "no subsystem statement");
}

/*
 * Parse SRC (LEN bytes of preprocessed .defs text, named FILE) into OUT.
 * Returns true if no error was reported.  Errors go to stderr as
 * file:line:column: messages.  Allocations are in the arena.
 */
bool
mig_parse(const char *src, size_t len, const char *file, struct mig_subsystem *out)
{
    struct mig_parser *p = mig_alloc(sizeof(*p));
    int before = mig_error_count();

    memset(out, 0, sizeof(*out));
    mig_types_init();
    mig_lexer_init(&p->lx, src, len, file);
    p->ss = out;
    p->tail = &out->routines;
    if (setjmp(p->abort) == 0)
        parse_all(p);
    return mig_error_count() == before;
}

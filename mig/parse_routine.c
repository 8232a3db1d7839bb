/* SPDX-License-Identifier: MIT */
/*
 * parse_routine.c: routine, simpleroutine and skip statements.
 *
 *   routine name ( [arg { ; arg }] ) ;
 *   arg := [kind] name : type [, flag ...]
 *   kind := in | out | inout | requestport | replyport | sreplyport
 *         | ureplyport | waittime | msgoption | msgseqno
 *
 * Each routine and each skip takes the next message id.  The routine is
 * checked (routine.c) as soon as it is parsed, so errors point at it.
 */
#include <string.h>

#include "parser.h"

static const struct {
    const char *word;
    enum mig_arg_kind kind;
} arg_kinds[] = {
    {"in", ARG_IN},
    {"out", ARG_OUT},
    {"inout", ARG_INOUT},
    {"requestport", ARG_REQUESTPORT},
    {"replyport", ARG_REPLYPORT},
    {"sreplyport", ARG_SREPLYPORT},
    {"ureplyport", ARG_UREPLYPORT},
    {"waittime", ARG_WAITTIME},
    {"msgoption", ARG_MSGOPTION},
    {"msgseqno", ARG_MSGSEQNO},
};

/* A kind keyword, unless the word is itself the argument's name (in: int). */
static bool
arg_kind(struct mig_parser *p, enum mig_arg_kind *kind)
{
    for (size_t i = 0; i < sizeof(arg_kinds) / sizeof(arg_kinds[0]); i++) {
        if (mig_keyword_is(&p->tok, arg_kinds[i].word)) {
            const struct mig_token *next = p_peek(p);
            if (next->kind == TOK_PUNCT && next->punct == ':')
                return false;
            *kind = arg_kinds[i].kind;
            p_next(p);
            return true;
        }
    }
    return false;
}

static struct mig_arg *
argument(struct mig_parser *p)
{
    struct mig_arg *a = mig_alloc(sizeof(*a));
    unsigned flags;

    a->kind = ARG_IN;
    a->kind_given = arg_kind(p, &a->kind);
    a->pos = p->tok.pos;
    a->name = p_expect_ident(p, "an argument name");
    p_expect(p, ':', mig_format("after the argument name '%s'", a->name));
    a->type = p_type_spec(p);
    flags = p_ipc_flags(p, "argument flag");
    a->flags = a->type->flags | flags;
    if (flags & MF_NOTDEALLOC)
        a->flags &= ~(unsigned)(MF_DEALLOC | MF_MAYBEDEALLOC);
    if ((flags & MF_DEALLOC) && (flags & MF_NOTDEALLOC))
        p_fail(p, a->pos, "dealloc and notdealloc contradict each other");
    return a;
}

static void
append_routine(struct mig_parser *p, struct mig_routine *r)
{
    if (p->ss->nroutines >= 0x7fff0000L - p->ss->base - 200)
        p_fail(p, r->pos, "too many routines for subsystem base %ld", p->ss->base);
    r->number = p->ss->nroutines++;
    if (r->name == NULL)
        return; /* a skip only takes an id */
    *p->tail = r;
    p->tail = &r->next;
}

void
p_add_skip(struct mig_parser *p)
{
    struct mig_routine skip = {0};

    skip.pos = p->tok.pos;
    p_next(p);
    append_routine(p, &skip);
    p_expect(p, ';', "after skip");
}

static bool
name_taken(const struct mig_parser *p, const char *name, struct mig_pos *where)
{
    for (struct mig_routine *r = p->ss->routines; r != NULL; r = r->next) {
        if (strcmp(r->name, name) == 0) {
            *where = r->pos;
            return true;
        }
    }
    return false;
}

/* routine / simpleroutine name ( args ) ; */
void
p_routine_statement(struct mig_parser *p, bool simple)
{
    struct mig_routine *r = mig_alloc(sizeof(*r));
    struct mig_arg **tail = &r->args;
    struct mig_pos where;

    p_next(p);
    r->simple = simple;
    r->pos = p->tok.pos;
    r->name = p_expect_ident(p, "a routine name");
    if (name_taken(p, r->name, &where))
        p_fail(p, r->pos, "routine '%s' is already defined at line %d", r->name, where.line);
    r->user_prefix = p->user_prefix;
    r->server_prefix = p->server_prefix;
    r->waittime = p->waittime;
    r->msgoption = p->msgoption;
    p_expect(p, '(', mig_format("after the routine name '%s'", r->name));
    while (!p_accept(p, ')')) {
        *tail = argument(p);
        tail = &(*tail)->next;
        if (!p_is(p, ')'))
            p_expect(p, ';', "between arguments");
    }
    if (!p_is(p, ';'))
        p_fail(p, p->tok.pos, "expected ';' after the routine '%s', found %s", r->name,
               p_describe(&p->tok));
    if (!mig_routine_check(r))
        longjmp(p->recover, 1);
    append_routine(p, r);
    p_next(p);
}

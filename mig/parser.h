/* SPDX-License-Identifier: MIT */
/*
 * parser.h: the parser's state, shared by parser.c (statements),
 * parse_type.c (type specifications) and parse_routine.c (routines).
 *
 * The parser is recursive descent with one token of lookahead.  An error
 * is reported where it is found and unwinds (longjmp) to the statement
 * loop, which skips to the next ';' and carries on, so one run reports
 * every independent mistake.  Everything allocated lives in the arena, so
 * unwinding leaks nothing.
 */
#ifndef MIG_PARSER_H
#define MIG_PARSER_H

#include <setjmp.h>

#include "mig.h"

struct mig_parser {
    struct mig_lexer lx;
    struct mig_token tok;   /* the current token */
    struct mig_token ahead; /* the one after it, when have_ahead */
    bool have_ahead;
    struct mig_subsystem *ss;
    jmp_buf recover; /* statement-level recovery point */
    jmp_buf abort;   /* give up: lexical error or too many errors */
    /* statements that affect the routines that follow them */
    const char *user_prefix;
    const char *server_prefix;
    const char *waittime;
    const char *msgoption;
    struct mig_routine **tail;
};

void p_next(struct mig_parser *p);
const struct mig_token *p_peek(struct mig_parser *p);
bool p_is(const struct mig_parser *p, int punct);
bool p_accept(struct mig_parser *p, int punct);
void p_expect(struct mig_parser *p, int punct, const char *context);
const char *p_expect_ident(struct mig_parser *p, const char *what);
long p_int_exp(struct mig_parser *p);
_Noreturn void p_fail(struct mig_parser *p, struct mig_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
const char *p_describe(const struct mig_token *t);

struct mig_type *p_type_spec(struct mig_parser *p);
unsigned p_ipc_flags(struct mig_parser *p, const char *what);
void p_type_statement(struct mig_parser *p);
void p_routine_statement(struct mig_parser *p, bool simple);
void p_add_skip(struct mig_parser *p);

#endif /* MIG_PARSER_H */

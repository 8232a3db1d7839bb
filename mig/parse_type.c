/* SPDX-License-Identifier: MIT */
/*
 * parse_type.c: type specifications and `type` statements.
 *
 *   spec := IPCType | ( IPCType , bits [, flags] ) | name
 *         | array [ ] of spec | array [ * ] of spec | array [ N ] of spec
 *         | array [ * : N ] of spec | ^ spec | struct [ N ] of spec
 *         | struct { spec name ; ... } | c_string [ N ] | c_string [ * : N ]
 *   IPCType := prim | prim | prim          (as sent | as received)
 *   prim := MACH_MSG_TYPE_* | polymorphic | number
 *   annotations := ctype: C | cusertype: C | cservertype: C
 *                | intran: C f(C) | outtran: C f(C) | destructor: f(C)
 */
#include <string.h>

#include "parser.h"

/* One side of an IPCType: an index into the basic table, or 1000 + number. */
static int
prim_ipc_type(struct mig_parser *p)
{
    int idx;

    if (p->tok.kind == TOK_NUMBER) {
        idx = 1000 + (int)p->tok.num;
        if (p->tok.num > 255)
            p_fail(p, p->tok.pos, "message type number %lld is out of range", p->tok.num);
        p_next(p);
        return idx;
    }
    if (p->tok.kind != TOK_IDENT || !mig_basic_lookup(p->tok.text, &idx))
        p_fail(p, p->tok.pos, "expected a MACH_MSG_TYPE_* name, found %s", p_describe(&p->tok));
    p_next(p);
    return idx;
}

/* Parses the flags after a type or an argument: ", dealloc", ", dealloc[]",
 * ", notdealloc", ", servercopy", ", countinout".  `what` names the place for
 * the error message ("flag" or "argument flag"). */
unsigned
p_ipc_flags(struct mig_parser *p, const char *what)
{
    unsigned flags = 0;

    while (p_accept(p, ',')) {
        struct mig_token t = p->tok;
        p_next(p);
        if (mig_keyword_is(&t, "dealloc")) {
            if (p_accept(p, '[')) {
                p_expect(p, ']', "after 'dealloc['");
                flags |= MF_MAYBEDEALLOC;
            } else {
                flags |= MF_DEALLOC;
            }
        } else if (mig_keyword_is(&t, "notdealloc")) {
            flags |= MF_NOTDEALLOC;
        } else if (mig_keyword_is(&t, "servercopy")) {
            flags |= MF_SERVERCOPY;
        } else if (mig_keyword_is(&t, "countinout")) {
            flags |= MF_COUNTINOUT;
        } else {
            p_fail(p, t.pos,
                   "unknown %s %s (expected dealloc, dealloc[], notdealloc, "
                   "servercopy or countinout)",
                   what, p_describe(&t));
        }
    }
    if ((flags & MF_DEALLOC) && (flags & MF_NOTDEALLOC))
        p_fail(p, p->tok.pos, "dealloc and notdealloc contradict each other");
    return flags;
}

static struct mig_type *
basic_spec(struct mig_parser *p, bool long_form)
{
    struct mig_pos pos = p->tok.pos;
    struct mig_type *t = mig_type_new(MT_BASIC, pos);
    int in, out;
    long bits = -1;

    in = out = prim_ipc_type(p);
    if (p_accept(p, '|'))
        out = prim_ipc_type(p);
    if (long_form) {
        p_expect(p, ',', "between the type and its size in bits");
        pos = p->tok.pos;
        bits = p_int_exp(p);
        if (bits <= 0)
            p_fail(p, pos, "a size in bits must be positive");
        t->flags = p_ipc_flags(p, "flag");
        p_expect(p, ')', "to close the long-form type");
    }
    if (!mig_basic_init(t, in, out, bits, pos))
        longjmp(p->recover, 1);
    return t;
}

/* [ ] / [ * ] / [ N ] / [ * : N ] after array or c_string. */
static void
bounds(struct mig_parser *p, struct mig_type *t, bool string)
{
    struct mig_pos pos;
    long n;

    p_expect(p, '[', string ? "after c_string" : "after array");
    if (p_accept(p, ']')) {
        t->bound = AR_UNBOUNDED;
    } else if (p_accept(p, '*')) {
        t->bound = AR_UNBOUNDED;
        if (p_accept(p, ':')) {
            pos = p->tok.pos;
            n = p_int_exp(p);
            if (n <= 0)
                p_fail(p, pos, "an array bound must be positive");
            t->bound = AR_BOUNDED;
            t->count = (unsigned long)n;
        }
        p_expect(p, ']', "to close the array bounds");
    } else {
        pos = p->tok.pos;
        n = p_int_exp(p);
        if (n <= 0)
            p_fail(p, pos, "an array size must be positive");
        t->bound = AR_FIXED;
        t->count = (unsigned long)n;
        p_expect(p, ']', "to close the array size");
    }
    if (string && t->bound == AR_UNBOUNDED)
        p_fail(p, t->pos, "a c_string needs a size: c_string[N] or c_string[*:N]");
}

static void
expect_of(struct mig_parser *p)
{
    if (!mig_keyword_is(&p->tok, "of"))
        p_fail(p, p->tok.pos, "expected 'of', found %s", p_describe(&p->tok));
    p_next(p);
}

static struct mig_type *
struct_members(struct mig_parser *p, struct mig_type *t)
{
    struct mig_member *m = NULL;
    int n = 0;

    while (!p_accept(p, '}')) {
        struct mig_member *grown = mig_alloc(sizeof(*grown) * (size_t)(n + 1));
        if (n > 0)
            memcpy(grown, m, sizeof(*m) * (size_t)n);
        m = grown;
        m[n].type = p_type_spec(p);
        if (p->tok.kind == TOK_IDENT)
            m[n].name = p_expect_ident(p, "a member name");
        else
            m[n].name = mig_format("f%d", n);
        n++;
        if (!p_is(p, '}'))
            p_expect(p, ';', "after a struct member");
    }
    if (n == 0)
        p_fail(p, t->pos, "a struct needs at least one member");
    t->members = m;
    t->nmembers = n;
    return t;
}

static struct mig_type *
compound_spec(struct mig_parser *p, struct mig_token kw)
{
    struct mig_type *t;

    if (mig_keyword_is(&kw, "array")) {
        t = mig_type_new(MT_ARRAY, kw.pos);
        bounds(p, t, false);
        expect_of(p);
        t->elem = p_type_spec(p);
    } else if (mig_keyword_is(&kw, "c_string")) {
        t = mig_type_new(MT_STRING, kw.pos);
        bounds(p, t, true);
    } else if (p_accept(p, '{')) {
        t = struct_members(p, mig_type_new(MT_STRUCT, kw.pos));
    } else {
        long n;
        struct mig_pos pos;
        t = mig_type_new(MT_STRUCTN, kw.pos);
        p_expect(p, '[', "after struct");
        pos = p->tok.pos;
        n = p_int_exp(p);
        if (n <= 0)
            p_fail(p, pos, "a struct size must be positive");
        t->count = (unsigned long)n;
        t->bound = AR_FIXED;
        p_expect(p, ']', "to close the struct size");
        expect_of(p);
        t->elem = p_type_spec(p);
    }
    if (!mig_type_check(t))
        longjmp(p->recover, 1);
    return t;
}

/* A type specification; returns a new type or a previously defined one. */
struct mig_type *
p_type_spec(struct mig_parser *p)
{
    struct mig_token t = p->tok;
    struct mig_type *type;
    int idx;

    if (p_accept(p, '(')) {
        return basic_spec(p, true);
    }
    if (p_accept(p, '^')) {
        type = p_type_spec(p);
        if (type->kind != MT_ARRAY)
            p_fail(p, t.pos, "'^' applies only to arrays");
        type = mig_type_copy(type);
        type->ool = true;
        type->name = NULL;
        type->ctype = NULL;
        type->pos = t.pos;
        return type;
    }
    if (t.kind == TOK_NUMBER)
        return basic_spec(p, false);
    if (t.kind != TOK_IDENT)
        p_fail(p, t.pos, "expected a type, found %s", p_describe(&t));
    if (mig_keyword_is(&t, "array") || mig_keyword_is(&t, "c_string") ||
        mig_keyword_is(&t, "struct")) {
        p_next(p);
        return compound_spec(p, t);
    }
    if (mig_basic_lookup(t.text, &idx))
        return basic_spec(p, false);
    type = mig_type_lookup(t.text);
    if (type == NULL)
        p_fail(p, t.pos, "unknown type '%s'", t.text);
    p_next(p);
    return type;
}

static bool
is_annotation(const struct mig_token *t)
{
    static const char *const words[] = {"ctype",   "cusertype",  "cservertype",  "intran",
                                        "outtran", "destructor", "intranpayload"};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (mig_keyword_is(t, words[i]))
            return true;
    return false;
}

/* A C type name: one or more words and '*'s (unsigned int, struct foo *). */
static const char *
c_type(struct mig_parser *p)
{
    const char *s = p_expect_ident(p, "a C type name");

    while ((p->tok.kind == TOK_IDENT && !is_annotation(&p->tok)) || p_is(p, '*')) {
        s = mig_format("%s%s%s", s, p_is(p, '*') ? " " : " ", p->tok.text);
        p_next(p);
    }
    return s;
}

/* [C] func ( C ) for intran/outtran (with result type) or destructor. */
static struct mig_trans
translation(struct mig_parser *p, bool has_result)
{
    struct mig_trans tr = {0};

    tr.pos = p->tok.pos;
    if (has_result)
        tr.type = p_expect_ident(p, "the translated C type");
    tr.func = p_expect_ident(p, "a function name");
    p_expect(p, '(', "after the function name");
    tr.arg = c_type(p);
    p_expect(p, ')', "after the argument type");
    return tr;
}

static void
annotations(struct mig_parser *p, struct mig_type *t)
{
    while (is_annotation(&p->tok)) {
        struct mig_token kw = p->tok;
        p_next(p);
        p_expect(p, ':', mig_format("after %s", kw.text));
        if (mig_keyword_is(&kw, "ctype"))
            t->ctype = c_type(p);
        else if (mig_keyword_is(&kw, "cusertype"))
            t->cusertype = c_type(p);
        else if (mig_keyword_is(&kw, "cservertype"))
            t->cservertype = c_type(p);
        else if (mig_keyword_is(&kw, "intran"))
            t->intran = translation(p, true);
        else if (mig_keyword_is(&kw, "outtran"))
            t->outtran = translation(p, true);
        else if (mig_keyword_is(&kw, "destructor"))
            t->destructor = translation(p, false);
        else
            (void)translation(p, true); /* intranpayload: Quay has no payloads */
    }
}

/* type name = spec annotations ; */
void
p_type_statement(struct mig_parser *p)
{
    struct mig_pos pos;
    const char *name;
    struct mig_type *spec, *t;

    p_next(p);
    pos = p->tok.pos;
    name = p_expect_ident(p, "a type name");
    p_expect(p, '=', mig_format("after the type name '%s'", name));
    spec = p_type_spec(p);
    t = mig_type_copy(spec);
    if (spec->name != NULL) {
        /* A new name for an old type: new C names, same translations. */
        t->ctype = t->cusertype = t->cservertype = NULL;
    }
    t->name = name;
    t->pos = pos;
    annotations(p, t);
    if (t->kind == MT_STRUCT && t->ctype == NULL && spec->name == NULL) {
        struct mig_type **grown = mig_alloc(sizeof(*grown) * (size_t)(p->ss->nstructs + 1));
        if (p->ss->nstructs > 0)
            memcpy(grown, p->ss->structs, sizeof(*grown) * (size_t)p->ss->nstructs);
        grown[p->ss->nstructs++] = t;
        p->ss->structs = grown;
        t->emit_typedef = true;
    }
    if (!p_is(p, ';'))
        p_fail(p, p->tok.pos,
               "expected ';' or an annotation (ctype:, intran: ...) after the type "
               "of '%s', found %s",
               name, p_describe(&p->tok));
    p_next(p);
    if (!mig_type_define(t))
        return;
}

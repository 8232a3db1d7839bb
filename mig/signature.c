/* SPDX-License-Identifier: MIT */
/*
 * signature.c: the C signatures of user stubs and server implementations.
 *
 * Beside each argument the generated functions take (docs/mig.md):
 *   nameCnt    element count of a variable array (a pointer when out)
 *   namePoly   the disposition of a polymorphic port, chosen by the sender
 *              or reported to the receiver
 *   nameDealloc  for dealloc[]: whether the sender gives the memory away
 *   nameSCopy  for servercopy: TRUE if the data came out of line and the
 *              server may keep it
 */
#include <string.h>

#include "mig.h"

struct params {
    const char *list[64];
    int n;
};

/* Add a parameter; "int * x" is written "int *x". */
static void
add(struct params *p, const char *s)
{
    char *t = mig_strdup(s), *star = strstr(t, "* ");

    if (star != NULL && strchr(star + 2, '*') == NULL && strchr(star + 2, ' ') == NULL)
        memmove(star + 1, star + 2, strlen(star + 2) + 1);
    if (p->n < 64)
        p->list[p->n++] = t;
}

/* The user's C type; an in C string is a plain `const char *` (any length). */
static const char *
utype(const struct mig_arg *a)
{
    if (a->type->cusertype)
        return a->type->cusertype;
    if (a->kind == ARG_IN && a->type->kind == MT_STRING)
        return "const char *";
    return mig_type_ctype(a->type);
}

/* The server's C type: cservertype, else intran's result, else ctype. */
const char *
mig_arg_server_ctype(const struct mig_arg *a)
{
    if (a->type->cservertype)
        return a->type->cservertype;
    if (a->type->intran.type)
        return a->type->intran.type;
    return mig_type_ctype(a->type);
}

/* Is the argument's C value an array or pointer already (no & for out)? */
static bool
by_reference(const struct mig_arg *a)
{
    const struct mig_type *t = a->type;

    if (a->cls == CL_FIXED)
        return t->kind == MT_ARRAY || t->kind == MT_STRING;
    if (a->cls == CL_VAR)
        return true;
    if (a->cls == CL_PORT_ARRAY)
        return t->bound != AR_UNBOUNDED;
    return false;
}

/* The data parameter and its companions, for either side. */
static void
data_params(struct params *p, const struct mig_arg *a, const char *ctype, bool server)
{
    bool out = a->kind != ARG_IN;
    bool sender = server ? out : !out;
    bool ptr_count = out || (a->kind == ARG_INOUT);

    if (!out || by_reference(a))
        add(p, mig_format("%s %s", ctype, a->name));
    else
        add(p, mig_format("%s *%s", ctype, a->name));
    if (mig_arg_has_count(a))
        add(p, mig_format("mach_msg_type_number_t %s%sCnt", ptr_count ? "*" : "", a->name));
    if (mig_arg_dealloc(a) < 0 && sender)
        add(p, mig_format("boolean_t %s%sDealloc", server ? "*" : "", a->name));
    if (server && (a->flags & MF_SERVERCOPY))
        add(p, mig_format("boolean_t %sSCopy", a->name));
    if (a->cls == CL_PORT && mig_arg_is_poly(a, sender))
        add(p, mig_format("mach_msg_type_name_t %s%sPoly", out ? "*" : "", a->name));
}

static struct params
user_params(const struct mig_routine *r)
{
    struct params p = {.n = 0};

    for (const struct mig_arg *a = r->args; a != NULL; a = a->next) {
        switch (a->kind) {
        case ARG_SREPLYPORT:
        case ARG_MSGSEQNO:
            break;
        case ARG_REQUESTPORT:
        case ARG_REPLYPORT:
        case ARG_UREPLYPORT:
            add(&p, mig_format("%s %s", utype(a), a->name));
            if (mig_arg_is_poly(a, true))
                add(&p, mig_format("mach_msg_type_name_t %sPoly", a->name));
            break;
        case ARG_WAITTIME:
        case ARG_MSGOPTION:
            add(&p, mig_format("%s %s", utype(a), a->name));
            break;
        default:
            data_params(&p, a, utype(a), false);
        }
    }
    return p;
}

static struct params
server_params(const struct mig_routine *r)
{
    struct params p = {.n = 0};

    for (const struct mig_arg *a = r->args; a != NULL; a = a->next) {
        switch (a->kind) {
        case ARG_UREPLYPORT:
        case ARG_WAITTIME:
        case ARG_MSGOPTION:
            break;
        case ARG_REQUESTPORT:
        case ARG_REPLYPORT:
        case ARG_SREPLYPORT:
            add(&p, mig_format("%s %s", mig_arg_server_ctype(a), a->name));
            if (mig_arg_is_poly(a, false))
                add(&p, mig_format("mach_msg_type_name_t %sPoly", a->name));
            break;
        case ARG_MSGSEQNO:
            add(&p, mig_format("%s %s", mig_arg_server_ctype(a), a->name));
            break;
        default:
            data_params(&p, a, mig_arg_server_ctype(a), true);
        }
    }
    return p;
}

static void
write_params(struct mig_out *o, const char *name, const struct params *p, const char *end)
{
    mig_emit(o, 0, "%s(", name);
    for (int i = 0; i < p->n; i++)
        mig_emit(o, 1, "%s%s", p->list[i], i + 1 < p->n ? "," : mig_format(")%s", end));
    if (p->n == 0)
        mig_emit(o, 1, "void)%s", end);
}

/* The user stub's prototype (DECL: a declaration ending in ';'). */
void
mig_write_user_prototype(struct mig_out *o, const struct mig_routine *r, bool decl)
{
    struct params p = user_params(r);

    mig_emit(o, 0, "%skern_return_t", decl ? "extern " : "");
    write_params(o, mig_user_name(r), &p, decl ? ";" : "");
}

/* The declaration of the server implementation the stubs call. */
void
mig_write_server_prototype(struct mig_out *o, const struct mig_routine *r)
{
    struct params p = server_params(r);

    mig_emit(o, 0, "extern kern_return_t");
    write_params(o, mig_server_name(r), &p, ";");
}

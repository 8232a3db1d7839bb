/* SPDX-License-Identifier: MIT */
/*
 * routine.c: the meaning of a routine's arguments.
 *
 * Checks a parsed routine against the rules of the language and decides,
 * for each argument, how it travels (enum mig_class):
 *
 *   port right                    port descriptor             CL_PORT
 *   array of port rights          out-of-line ports descr.    CL_PORT_ARRAY
 *   ^array                        out-of-line memory descr.   CL_OOL
 *   array[] / array[*] of data    OOL descriptor + count, the
 *                                 data inline when it is at
 *                                 most MIG_INLINE_MAX bytes   CL_DYNAMIC
 *   array[*:N], c_string[*:N]     count + data, inline        CL_VAR
 *   everything else               inline, fixed size          CL_FIXED
 *
 * Header arguments (requestport, replyport ...) and the user-only or
 * server-only ones (waittime, msgoption, msgseqno) are CL_NONE.
 */
#include <string.h>

#include "mig.h"

static enum mig_class
classify(const struct mig_type *t)
{
    if (t->kind == MT_BASIC && t->port)
        return CL_PORT;
    if (t->kind == MT_ARRAY) {
        if (t->elem->kind == MT_BASIC && t->elem->port)
            return CL_PORT_ARRAY;
        if (t->ool)
            return CL_OOL;
        if (t->bound == AR_UNBOUNDED)
            return CL_DYNAMIC;
        if (t->bound == AR_BOUNDED)
            return CL_VAR;
        return CL_FIXED;
    }
    if (t->kind == MT_STRING && t->bound == AR_BOUNDED)
        return CL_VAR;
    return CL_FIXED;
}

struct mig_arg *
mig_routine_find_kind(const struct mig_routine *r, enum mig_arg_kind kind)
{
    for (struct mig_arg *a = r->args; a != NULL; a = a->next)
        if (a->kind == kind)
            return a;
    return NULL;
}

static bool
is_port(const struct mig_type *t)
{
    return t->kind == MT_BASIC && t->port;
}

static bool
fail(const struct mig_arg *a, const char *fmt, const char *detail)
{
    char buf[256];

    snprintf(buf, sizeof(buf), fmt, detail);
    mig_error(a->pos, "argument '%s': %s", a->name, buf);
    return false;
}

/* Rules for the header and option arguments. */
static bool
check_special(struct mig_routine *r, struct mig_arg *a)
{
    switch (a->kind) {
    case ARG_REQUESTPORT:
    case ARG_REPLYPORT:
    case ARG_SREPLYPORT:
    case ARG_UREPLYPORT:
        if (!is_port(a->type))
            return fail(a, "%s must be a port type", "a header port");
        if (a->type->intran.func != NULL && a->kind != ARG_REQUESTPORT)
            return fail(a, "%s cannot have an intran", "a reply port");
        return true;
    case ARG_WAITTIME:
    case ARG_MSGOPTION:
    case ARG_MSGSEQNO:
        if (a->type->kind != MT_BASIC || a->type->port)
            return fail(a, "%s must be an integer type", "this argument");
        return true;
    default:
        break;
    }
    (void)r;
    return true;
}

/* Rules for the arguments that travel in the message body. */
static bool
check_data(struct mig_routine *r, struct mig_arg *a)
{
    enum mig_class c = classify(a->type);
    bool trans = a->type->intran.func || a->type->outtran.func || a->type->destructor.func;

    a->cls = c;
    if (r->simple && a->kind != ARG_IN)
        return fail(a, "%s", "a simpleroutine has no reply, so no out or inout arguments");
    if (a->kind == ARG_INOUT && (c == CL_DYNAMIC || c == CL_OOL || c == CL_PORT_ARRAY))
        return fail(a, "%s", "inout is not supported for unbounded or out-of-line arrays");
    if ((a->flags & (MF_DEALLOC | MF_MAYBEDEALLOC)) &&
        !(c == CL_DYNAMIC || c == CL_OOL || c == CL_PORT_ARRAY))
        return fail(a, "%s", "dealloc applies only to out-of-line arrays");
    if ((a->flags & MF_SERVERCOPY) && (a->kind != ARG_IN || !(c == CL_DYNAMIC || c == CL_OOL)))
        return fail(a, "%s", "servercopy applies only to in arguments that may be out of line");
    if ((a->flags & MF_COUNTINOUT) &&
        (a->kind != ARG_OUT || !(c == CL_VAR || c == CL_DYNAMIC) || a->type->kind == MT_STRING))
        return fail(a, "%s", "countinout applies only to out arrays of variable size");
    if (trans && !(c == CL_FIXED || c == CL_PORT))
        return fail(a, "%s", "intran/outtran/destructor apply only to scalars and ports");
    if (mig_type_ctype(a->type) == NULL)
        return fail(a, "%s", "this type needs a C type: declare it with 'type' or give ctype:");
    if (c == CL_PORT && a->kind == ARG_INOUT &&
        (a->type->in_name == MIG_TYPE_POLY || a->type->out_name == MIG_TYPE_POLY))
        return fail(a, "%s", "an inout port cannot be polymorphic");
    if (c == CL_PORT && a->type->in_name == MIG_TYPE_POLY && a->type->out_name != MIG_TYPE_POLY &&
        a->kind != ARG_IN)
        return fail(a, "%s", "a port that is polymorphic only when sent must be an in argument");
    return true;
}

static bool
check_unique(const struct mig_routine *r)
{
    for (const struct mig_arg *a = r->args; a != NULL; a = a->next) {
        for (const struct mig_arg *b = a->next; b != NULL; b = b->next) {
            if (strcmp(a->name, b->name) == 0) {
                mig_error(b->pos, "argument '%s' is declared twice", b->name);
                return false;
            }
            if (a->kind == b->kind && a->kind >= ARG_REQUESTPORT) {
                mig_error(b->pos, "only one argument of this kind is allowed ('%s' and '%s')",
                          a->name, b->name);
                return false;
            }
        }
    }
    return true;
}

/*
 * Check routine R and classify its arguments.  The first argument is the
 * request port unless one is declared.  Returns false after reporting.
 */
bool
mig_routine_check(struct mig_routine *r)
{
    bool ok = true;

    if (r->args == NULL) {
        mig_error(r->pos, "routine '%s' needs at least a request port argument", r->name);
        return false;
    }
    if (!check_unique(r))
        return false;
    if (mig_routine_find_kind(r, ARG_REQUESTPORT) == NULL) {
        if (r->args->kind != ARG_IN) {
            mig_error(r->args->pos, "the first argument of '%s' must be its request port", r->name);
            return false;
        }
        r->args->kind = ARG_REQUESTPORT;
    }
    if (r->simple && (mig_routine_find_kind(r, ARG_REPLYPORT) == NULL) &&
        mig_routine_find_kind(r, ARG_WAITTIME) != NULL)
        mig_warning(r->pos, "a waittime has no effect on a simpleroutine");
    for (struct mig_arg *a = r->args; a != NULL && ok; a = a->next) {
        a->cls = CL_NONE;
        if (a->kind == ARG_IN || a->kind == ARG_OUT || a->kind == ARG_INOUT)
            ok = check_data(r, a);
        else
            ok = check_special(r, a);
    }
    return ok;
}

/* True if A travels in the request (in, inout, and countinout counts). */
bool
mig_arg_in_request(const struct mig_arg *a)
{
    return a->kind == ARG_IN || a->kind == ARG_INOUT;
}

bool
mig_arg_in_reply(const struct mig_arg *a)
{
    return a->kind == ARG_OUT || a->kind == ARG_INOUT;
}

/* True if A has a separate element count in C signatures and messages. */
bool
mig_arg_has_count(const struct mig_arg *a)
{
    switch (a->cls) {
    case CL_VAR:
        return a->type->kind != MT_STRING;
    case CL_DYNAMIC:
        return true;
    case CL_OOL:
    case CL_PORT_ARRAY:
        return a->type->bound != AR_FIXED;
    default:
        return false;
    }
}

/* True if the sender (SENDER) or the receiver chooses A's disposition at run time. */
bool
mig_arg_is_poly(const struct mig_arg *a, bool sender)
{
    if (!(a->type->kind == MT_BASIC && a->type->port))
        return false;
    return (sender ? a->type->in_name : a->type->out_name) == MIG_TYPE_POLY;
}

/* 1 = deallocate after sending, 0 = keep, -1 = the sender says (dealloc[]). */
int
mig_arg_dealloc(const struct mig_arg *a)
{
    if (a->flags & MF_MAYBEDEALLOC)
        return -1;
    return (a->flags & MF_DEALLOC) ? 1 : 0;
}

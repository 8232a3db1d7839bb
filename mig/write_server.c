/* SPDX-License-Identifier: MIT */
/*
 * write_server.c: one server stub per routine (_X<name>).
 *
 * A stub works in three steps (decode, then commit):
 *  1. check the request completely (check.c); a malformed request is
 *     destroyed and answered with MIG_BAD_ARGUMENTS;
 *  2. translate the arguments (intran), point out-arguments at the reply
 *     buffer, and call the implementation;
 *  3. on KERN_SUCCESS build the reply; on an error destroy the request and
 *     answer with the error; on MIG_NO_REPLY send nothing.
 *
 * Ownership (docs/mig.md, "Ownership"): when the implementation returns
 * KERN_SUCCESS or MIG_NO_REPLY it owns the rights it received and the
 * memory of arrays that are always out of line (^ arrays, unbounded port
 * arrays, servercopy arrays with SCopy TRUE); the stub frees borrowed
 * memory and rights the implementation only saw through an intran.  On any
 * other return the implementation owns nothing and the stub destroys the
 * whole request, exactly once.
 */
#include <string.h>

#include "mig.h"

struct srv {
    struct mig_out *o;
    const struct mig_routine *r;
};

static const char *
elem(const struct mig_arg *a)
{
    return mig_type_elem_ctype(a->type);
}

static const char *
ctype(const struct mig_arg *a)
{
    return mig_type_ctype(a->type);
}

/* Does the out value of A live in a local variable rather than in the reply? */
static bool
out_local(const struct mig_arg *a)
{
    if (a->cls == CL_PORT || a->cls == CL_DYNAMIC || a->cls == CL_OOL)
        return true;
    if (a->cls == CL_PORT_ARRAY)
        return true;
    if (a->cls != CL_FIXED || a->type->kind == MT_ARRAY || a->type->kind == MT_STRING)
        return false;
    return a->type->outtran.func != NULL || a->type->intran.func != NULL ||
           a->type->cservertype != NULL;
}

/* An in argument (or the request port) the implementation sees translated. */
static bool
in_local(const struct mig_arg *a)
{
    return (a->kind == ARG_IN || a->kind == ARG_REQUESTPORT) && a->type->intran.func != NULL;
}

/* Where the received value of A is in the request. */
static const char *
wire(const struct mig_arg *a)
{
    if (a->kind == ARG_REQUESTPORT)
        return "InHeadP->msgh_local_port";
    if (a->cls == CL_PORT)
        return mig_format("In0P->%s.name", a->name);
    return mig_format("In0P->%s", a->name);
}

static void
write_locals(struct srv *s)
{
    struct mig_out *o = s->o;
    const struct mig_routine *r = s->r;
    bool rv = !r->simple && mig_msg_has_var(r, false);
    bool scratch = false;

    for (const struct mig_arg *a = r->args; a != NULL; a = a->next)
        scratch |= mig_arg_in_reply(a) && a->cls == CL_PORT_ARRAY && a->type->bound != AR_UNBOUNDED;
    mig_emit(o, 1, "Request_%s_t *In0P = (Request_%s_t *)InHeadP;", r->name, r->name);
    if (!r->simple)
        mig_emit(o, 1, "Reply_%s_t *OutP = (Reply_%s_t *)OutHeadP;", r->name, r->name);
    if (mig_msg_has_var(r, true) || mig_routine_find_kind(r, ARG_MSGSEQNO))
        mig_emit(o, 1, "char *InB = (char *)InHeadP;");
    if (rv || scratch)
        mig_emit(o, 1, "char *OutB = (char *)OutHeadP;");
    if (rv || scratch || mig_msg_has_var(r, true))
        mig_emit(o, 1, "mach_msg_size_t off;");
    for (const struct mig_arg *a = r->args; a != NULL; a = a->next) {
        const char *n = a->name;
        if (mig_arg_in_request(a) && (a->cls == CL_VAR || a->cls == CL_DYNAMIC))
            mig_emit(o, 1, "%s *%sData;", elem(a), n);
        if (in_local(a))
            mig_emit(o, 1, "%s %s;", mig_arg_server_ctype(a), n);
        if (!mig_arg_in_reply(a))
            continue;
        if (a->cls == CL_VAR)
            mig_emit(o, 1, "%s *%sOut;", elem(a), n);
        if (a->cls == CL_DYNAMIC)
            mig_emit(o, 1, "%s *%sInline;", elem(a), n);
        if (a->cls == CL_PORT_ARRAY && a->type->bound != AR_UNBOUNDED)
            mig_emit(o, 1, "mach_port_t *%s;", n);
        else if (out_local(a))
            mig_emit(o, 1, "%s %s = 0;",
                     a->cls == CL_FIXED || a->cls == CL_PORT ? mig_arg_server_ctype(a) : ctype(a),
                     n);
        if (mig_arg_is_poly(a, true))
            mig_emit(o, 1, "mach_msg_type_name_t %sPoly = 0;", n);
        if (mig_arg_dealloc(a) < 0)
            mig_emit(o, 1, "boolean_t %sDealloc = FALSE;", n);
    }
    mig_emit(o, 1, "kern_return_t kr;");
    mig_blank(o);
}

/* intran: the implementation sees the translation of the received value. */
static void
write_translations(struct srv *s)
{
    for (const struct mig_arg *a = s->r->args; a != NULL; a = a->next) {
        const char *fn = a->type->intran.func;
        if (in_local(a) || (a->kind == ARG_INOUT && out_local(a) && fn != NULL))
            mig_emit(s->o, 1, "%s = %s(%s);", a->name, fn, wire(a));
        else if (a->kind == ARG_INOUT && out_local(a))
            mig_emit(s->o, 1, "%s = %s;", a->name, wire(a));
    }
}

/* countinout: the caller's capacity, at most our own. */
static const char *
capacity(const struct mig_arg *a, const char *ours)
{
    if (!(a->flags & MF_COUNTINOUT))
        return ours;
    return mig_format("In0P->%sCnt < %s ? In0P->%sCnt : %s", a->name, ours, a->name, ours);
}

/* Point each out argument at its place in the reply (or a local). */
static void
write_out_setup(struct srv *s)
{
    struct mig_out *o = s->o;
    const struct mig_routine *r = s->r;

    bool need_off = false;

    if (r->simple)
        return;
    for (const struct mig_arg *a = r->args; a != NULL; a = a->next)
        need_off |=
            mig_arg_in_reply(a) && (a->cls == CL_VAR || a->cls == CL_DYNAMIC ||
                                    (a->cls == CL_PORT_ARRAY && a->type->bound != AR_UNBOUNDED));
    if (need_off)
        mig_emit(o, 1, "off = sizeof(Reply_%s_t);", r->name);
    for (const struct mig_arg *a = r->args; a != NULL; a = a->next) {
        const char *n = a->name;
        if (!mig_arg_in_reply(a))
            continue;
        if (a->cls == CL_FIXED && a->kind == ARG_INOUT && !out_local(a)) {
            if (a->type->kind == MT_ARRAY || a->type->kind == MT_STRING)
                mig_emit(o, 1, "memcpy(OutP->%s, In0P->%s, sizeof(OutP->%s));", n, n, n);
            else
                mig_emit(o, 1, "OutP->%s = In0P->%s;", n, n);
        } else if (a->cls == CL_VAR) {
            mig_emit(o, 1, "off = MIG_ROUND(off, _Alignof(%s));", elem(a));
            mig_emit(o, 1, "%sOut = (%s *)(OutB + off);", n, elem(a));
            mig_emit(o, 1, "off += %lu * sizeof(%s);", a->type->count, elem(a));
            if (a->kind == ARG_INOUT) {
                mig_emit(o, 1, "memcpy(%sOut, %sData, In0P->%sCnt * sizeof(%s));", n, n, n,
                         elem(a));
                mig_emit(o, 1, "OutP->%sCnt = In0P->%sCnt;", n, n);
            } else if (a->type->kind != MT_STRING) {
                mig_emit(o, 1, "OutP->%sCnt = %s;", n,
                         capacity(a, mig_format("%lu", a->type->count)));
            } else {
                mig_emit(o, 1, "%sOut[0] = '\\0';", n);
            }
        } else if (a->cls == CL_DYNAMIC) {
            mig_emit(o, 1, "off = MIG_ROUND(off, _Alignof(%s));", elem(a));
            mig_emit(o, 1, "%sInline = (%s *)(OutB + off);", n, elem(a));
            mig_emit(o, 1, "off += MIG_INLINE_MAX;");
            mig_emit(o, 1, "%s = (%s)(void *)%sInline;", n, ctype(a), n);
            mig_emit(o, 1, "OutP->%sCnt = %s;", n,
                     capacity(a, mig_format("MIG_INLINE_MAX / sizeof(%s)", elem(a))));
        } else if ((a->cls == CL_OOL || a->cls == CL_PORT_ARRAY) && mig_arg_has_count(a) &&
                   a->type->bound == AR_UNBOUNDED) {
            mig_emit(o, 1, "OutP->%sCnt = 0;", n);
        }
    }
    /* Scratch space for fixed and bounded out port arrays, after the arrays above. */
    for (const struct mig_arg *a = r->args; a != NULL; a = a->next) {
        if (!mig_arg_in_reply(a) || a->cls != CL_PORT_ARRAY || a->type->bound == AR_UNBOUNDED)
            continue;
        mig_emit(o, 1, "off = MIG_ROUND(off, _Alignof(mach_port_t));");
        mig_emit(o, 1, "%s = (mach_port_t *)(OutB + off);", a->name);
        mig_emit(o, 1, "off += %lu * sizeof(mach_port_t);", a->type->count);
        if (a->type->bound == AR_BOUNDED)
            mig_emit(o, 1, "OutP->%sCnt = %lu;", a->name, a->type->count);
    }
}

/* The expression passed to the implementation for A (and its companions). */
static void
call_args(const struct mig_arg *a, const char **list, int *n)
{
    const char *nm = a->name;
    bool out = a->kind != ARG_IN;

    switch (a->cls) {
    case CL_FIXED:
        if (a->kind == ARG_IN)
            list[(*n)++] = in_local(a) ? nm : mig_format("In0P->%s", nm);
        else if (a->type->kind == MT_ARRAY || a->type->kind == MT_STRING)
            list[(*n)++] = mig_format("OutP->%s", nm);
        else
            list[(*n)++] = out_local(a) ? mig_format("&%s", nm) : mig_format("&OutP->%s", nm);
        break;
    case CL_VAR:
        list[(*n)++] = out ? mig_format("%sOut", nm) : mig_format("%sData", nm);
        break;
    case CL_PORT:
        if (!out)
            list[(*n)++] = in_local(a) ? nm : mig_format("In0P->%s.name", nm);
        else
            list[(*n)++] = mig_format("&%s", nm);
        break;
    case CL_PORT_ARRAY:
        if (!out)
            list[(*n)++] = mig_format("(%s)(In0P->%s.address)", ctype(a), nm);
        else
            list[(*n)++] = a->type->bound == AR_UNBOUNDED ? mig_format("&%s", nm)
                                                          : mig_format("(%s)%s", ctype(a), nm);
        break;
    default: /* CL_OOL, CL_DYNAMIC */
        if (!out)
            list[(*n)++] = mig_format("(%s)(void *)%sData", ctype(a), nm);
        else
            list[(*n)++] = mig_format("&%s", nm);
        break;
    }
    if (a->cls == CL_OOL && !out)
        list[*n - 1] = mig_format("(%s)(In0P->%s.address)", ctype(a), nm);
    if (mig_arg_has_count(a))
        list[(*n)++] = out ? mig_format("&OutP->%sCnt", nm) : mig_format("In0P->%sCnt", nm);
    if (mig_arg_dealloc(a) < 0 && out)
        list[(*n)++] = mig_format("&%sDealloc", nm);
    if (a->flags & MF_SERVERCOPY)
        list[(*n)++] = a->cls == CL_OOL ? "TRUE" : mig_format("In0P->%s.size != 0", nm);
    if (a->cls == CL_PORT && mig_arg_is_poly(a, out))
        list[(*n)++] = out ? mig_format("&%sPoly", nm) : mig_format("In0P->%s.disposition", nm);
}

static void
write_call(struct srv *s)
{
    const char *list[64];
    int n = 0;

    for (const struct mig_arg *a = s->r->args; a != NULL && n < 60; a = a->next) {
        switch (a->kind) {
        case ARG_REQUESTPORT:
            list[n++] = in_local(a) ? a->name : "InHeadP->msgh_local_port";
            if (mig_arg_is_poly(a, false))
                list[n++] = "MACH_MSGH_BITS_LOCAL(InHeadP->msgh_bits)";
            break;
        case ARG_REPLYPORT:
        case ARG_SREPLYPORT:
            list[n++] = "InHeadP->msgh_remote_port";
            if (mig_arg_is_poly(a, false))
                list[n++] = "MACH_MSGH_BITS_REMOTE(InHeadP->msgh_bits)";
            break;
        case ARG_MSGSEQNO:
            list[n++] = "((mach_msg_seqno_trailer_t *)(InB + InHeadP->msgh_size))->msgh_seqno";
            break;
        case ARG_UREPLYPORT:
        case ARG_WAITTIME:
        case ARG_MSGOPTION:
            break;
        default:
            call_args(a, list, &n);
        }
    }
    mig_emit(s->o, 1, "kr = %s(", mig_server_name(s->r));
    for (int i = 0; i < n; i++)
        mig_emit(s->o, 2, "%s%s", list[i], i + 1 < n ? "," : ");");
    if (n == 0)
        mig_emit(s->o, 2, ");");
}

static void
write_stub(struct mig_out *o, const struct mig_routine *r)
{
    struct srv s = {o, r};

    mig_blank(o);
    mig_emit(o, 0, "/* %s %s: request id %ld, calls %s */", r->simple ? "SimpleRoutine" : "Routine",
             r->name, o->ss->base + r->number, mig_server_name(r));
    mig_emit(o, 0, "static void");
    mig_emit(o, 0, "_X%s(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)", r->name);
    mig_emit(o, 0, "{");
    write_locals(&s);
    mig_emit(o, 1, "/* 1. Check the whole request before acting on any of it. */");
    mig_write_checks(o, r, true, "In0P", "InB", "bad_request");
    mig_blank(o);
    mig_emit(o, 1, "/* 2. Call the implementation. */");
    write_translations(&s);
    write_out_setup(&s);
    write_call(&s);
    for (const struct mig_arg *a = r->args; a != NULL; a = a->next)
        if ((a->kind == ARG_IN || a->kind == ARG_REQUESTPORT) && a->type->destructor.func)
            mig_emit(o, 1, "%s(%s);", a->type->destructor.func, in_local(a) ? a->name : wire(a));
    mig_blank(o);
    mig_emit(o, 1, "/* 3. Answer. */");
    mig_write_server_release(o, r);
    if (!r->simple)
        mig_write_server_reply(o, r);
    else
        mig_emit(o, 1, "return;");
    mig_blank(o);
    mig_emit(o, 0, "bad_request:");
    mig_emit(o, 1, "%s_destroy_request(InHeadP);", o->ss->name);
    mig_emit(o, 1, "((mig_reply_error_t *)OutHeadP)->RetCode = MIG_BAD_ARGUMENTS;");
    mig_emit(o, 0, "}");
}

/* All server stubs of the subsystem. */
void
mig_write_server_stubs(struct mig_out *o)
{
    for (const struct mig_routine *r = o->ss->routines; r != NULL; r = r->next)
        write_stub(o, r);
}

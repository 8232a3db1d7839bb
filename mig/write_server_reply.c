/* SPDX-License-Identifier: MIT */
/*
 * write_server_reply.c: the end of a server stub: settle ownership after
 * the implementation returned, and build the reply.
 *
 * The implementation wrote its fixed-size results straight into the reply
 * and its variable arrays at their largest possible positions; the stub
 * checks the counts it was given, fills the descriptors, and slides each
 * array down to its packed position (memmove, in order, so no array is
 * overwritten before it has moved).
 */
#include "mig.h"

static const char *
elem(const struct mig_arg *a)
{
    return mig_type_elem_ctype(a->type);
}

/*
 * Is the out-of-line memory of out argument A given away with the reply?
 * A kernel server always gives it away: its routine has returned by the
 * time the reply is sent, so there is nobody left to keep it (GNU Mach's
 * kernel moves a vm_map_copy in the same way).
 */
static const char *
dealloc_expr(const struct mig_out *o, const struct mig_arg *a)
{
    int d = mig_arg_dealloc(a);

    if (o->ss->kernel_server)
        return "TRUE";
    return d < 0 ? mig_format("(%sDealloc != FALSE)", a->name) : (d ? "TRUE" : "FALSE");
}

/*
 * The disposition a reply sends port type N with.  A kernel routine (or
 * its outtran) hands back a send right it made for the reply, so a
 * COPY_SEND type is sent as MOVE_SEND there; copying would leave the
 * routine's right behind, leaked.
 */
static int
reply_disposition(const struct mig_out *o, int n)
{
    return o->ss->kernel_server && n == 19 /* COPY_SEND */ ? 17 /* MOVE_SEND */ : n;
}

/* A right the implementation saw only through intran: the stub lets it go. */
static void
release_translated_right(struct mig_out *o, const struct mig_arg *a)
{
    const char *n = a->name;

    if (o->ss->kernel_server) {
        mig_emit(o, 1, "mig_kernel_release_right(In0P->%s.name, In0P->%s.disposition);", n, n);
        return;
    }
    mig_emit(o, 1, "if (MACH_PORT_VALID(In0P->%s.name)) {", n);
    mig_emit(o, 2, "if (In0P->%s.disposition == MACH_MSG_TYPE_PORT_RECEIVE)", n);
    mig_emit(o, 3,
             "(void)mach_port_mod_refs(mach_task_self(), In0P->%s.name, "
             "MACH_PORT_RIGHT_RECEIVE, -1);",
             n);
    mig_emit(o, 2, "else");
    mig_emit(o, 3, "(void)mach_port_deallocate(mach_task_self(), In0P->%s.name);", n);
    mig_emit(o, 1, "}");
}

/*
 * Free the borrowed out-of-line memory at In0P->ADDR of SIZE bytes.  A user
 * server unmaps it from its own address space; inside the kernel
 * (KernelServer) the memory is a kernel copy that only
 * mig_kernel_deallocate() may free: the kernel's vm_deallocate is the RPC
 * on a task's map, not a way to free kernel memory.
 */
static void
free_borrowed(struct mig_out *o, const char *addr, const char *size)
{
    if (o->ss->kernel_server) {
        mig_emit(o, 2, "mig_kernel_deallocate(In0P->%s, %s);", addr, size);
        return;
    }
    mig_emit(o, 2, "(void)vm_deallocate(mach_task_self(), (vm_address_t)In0P->%s,", addr);
    mig_emit(o, 2, "                    %s);", size);
}

static void
release_borrowed(struct mig_out *o, const struct mig_arg *a)
{
    const char *n = a->name;

    if (a->kind != ARG_IN)
        return;
    if (a->cls == CL_DYNAMIC && !(a->flags & MF_SERVERCOPY)) {
        mig_emit(o, 1, "if (In0P->%s.size != 0)", n);
        free_borrowed(o, mig_format("%s.address", n), mig_format("In0P->%s.size", n));
    } else if (a->cls == CL_PORT_ARRAY && a->type->bound != AR_UNBOUNDED) {
        mig_emit(o, 1, "if (In0P->%s.count != 0)", n);
        free_borrowed(o, mig_format("%s.address", n),
                      mig_format("In0P->%s.count * sizeof(mach_port_t)", n));
    } else if (a->cls == CL_PORT && a->type->intran.func != NULL) {
        release_translated_right(o, a);
    }
}

/*
 * No reply will be sent, and the implementation had no way to see the
 * reply right (no sreplyport/replyport argument): release it here.
 */
static void
release_unseen_reply(struct mig_out *o, const struct mig_routine *r, int in)
{
    if (mig_routine_find_kind(r, ARG_SREPLYPORT) || mig_routine_find_kind(r, ARG_REPLYPORT))
        return;
    if (o->ss->kernel_server) {
        mig_emit(o, in,
                 "mig_kernel_release_right(OutHeadP->msgh_remote_port, "
                 "MACH_MSGH_BITS_REMOTE(OutHeadP->msgh_bits));");
    } else {
        mig_emit(o, in, "if (MACH_PORT_VALID(OutHeadP->msgh_remote_port))");
        mig_emit(o, in + 1,
                 "(void)mach_port_deallocate(mach_task_self(), "
                 "OutHeadP->msgh_remote_port);");
    }
    mig_emit(o, in, "OutHeadP->msgh_remote_port = MACH_PORT_NULL;");
}

/* Emit the ownership settlement after the implementation's return (kr). */
void
mig_write_server_release(struct mig_out *o, const struct mig_routine *r)
{
    mig_emit(o, 1, "if (kr != KERN_SUCCESS && kr != MIG_NO_REPLY) {");
    mig_emit(o, 2, "/* The implementation took nothing: destroy the request, once, here. */");
    mig_emit(o, 2, "%s_destroy_request(InHeadP);", o->ss->name);
    mig_emit(o, 2, "((mig_reply_error_t *)OutHeadP)->RetCode = kr;");
    mig_emit(o, 2, "return;");
    mig_emit(o, 1, "}");
    mig_emit(o, 1, "/* It keeps what it received; free what it only borrowed. */");
    for (const struct mig_arg *a = r->args; a != NULL; a = a->next)
        release_borrowed(o, a);
    if (r->simple) {
        release_unseen_reply(o, r, 1);
        mig_emit(o, 1, "((mig_reply_error_t *)OutHeadP)->RetCode = MIG_NO_REPLY;");
        return;
    }
    mig_emit(o, 1, "if (kr == MIG_NO_REPLY) {");
    release_unseen_reply(o, r, 2);
    mig_emit(o, 2, "((mig_reply_error_t *)OutHeadP)->RetCode = MIG_NO_REPLY;");
    mig_emit(o, 2, "return;");
    mig_emit(o, 1, "}");
}

/* Check the counts the implementation returned; true if any check was written. */
static bool
write_count_checks(struct mig_out *o, const struct mig_routine *r)
{
    bool any = false;

    for (const struct mig_arg *a = r->args; a != NULL; a = a->next) {
        const char *n = a->name;
        if (!mig_arg_in_reply(a))
            continue;
        if (a->cls == CL_VAR && a->type->kind == MT_STRING) {
            mig_emit(o, 1, "%sOut[%lu] = '\\0';", n, a->type->count - 1);
            mig_emit(o, 1, "OutP->%sCnt = (mach_msg_type_number_t)mig_strnlen(%sOut, %lu) + 1;", n,
                     n, a->type->count - 1);
            continue;
        }
        if ((a->cls == CL_VAR || a->cls == CL_PORT_ARRAY) && a->type->bound == AR_BOUNDED)
            mig_emit(o, 1, "if (OutP->%sCnt > %lu)", n, a->type->count);
        else if (a->cls == CL_DYNAMIC)
            mig_emit(o, 1,
                     "if ((void *)(%s) == (void *)%sInline ? OutP->%sCnt > MIG_INLINE_MAX / "
                     "sizeof(%s) : ((uint64_t)OutP->%sCnt * sizeof(%s)) >> 32 != 0)",
                     n, n, n, elem(a), n, elem(a));
        else if (a->cls == CL_OOL && a->type->bound == AR_BOUNDED)
            mig_emit(o, 1, "if (OutP->%sCnt > %lu)", n, a->type->count);
        else if (a->cls == CL_OOL && a->type->bound == AR_UNBOUNDED)
            mig_emit(o, 1, "if (((uint64_t)OutP->%sCnt * sizeof(%s)) >> 32 != 0)", n, elem(a));
        else
            continue;
        mig_emit(o, 2, "goto too_large;");
        any = true;
    }
    return any;
}

static void
fill_ool(struct mig_out *o, const struct mig_arg *a, int in)
{
    const char *n = a->name;
    const char *num = a->type->bound == AR_FIXED ? mig_format("%lu", a->type->count)
                                                 : mig_format("OutP->%sCnt", n);

    mig_emit(o, in, "OutP->%s.address = (void *)(%s);", n, n);
    if (a->cls == CL_PORT_ARRAY) {
        mig_emit(o, in, "OutP->%s.count = %s;", n, num);
        mig_emit(o, in, "OutP->%s.disposition = %s;", n,
                 mig_disposition_name(reply_disposition(o, a->type->elem->in_name)));
        mig_emit(o, in, "OutP->%s.deallocate = %s;", n,
                 a->type->bound == AR_UNBOUNDED ? dealloc_expr(o, a) : "FALSE");
        mig_emit(o, in, "OutP->%s.copy = MACH_MSG_PHYSICAL_COPY;", n);
        mig_emit(o, in, "OutP->%s.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;", n);
        return;
    }
    mig_emit(o, in, "OutP->%s.size = (mach_msg_size_t)(%s * sizeof(%s));", n, num, elem(a));
    mig_emit(o, in, "OutP->%s.deallocate = %s;", n, dealloc_expr(o, a));
    mig_emit(o, in, "OutP->%s.copy = MACH_MSG_VIRTUAL_COPY;", n);
    mig_emit(o, in, "OutP->%s.type = MACH_MSG_OOL_DESCRIPTOR;", n);
}

static void
fill_descriptor(struct mig_out *o, const struct mig_arg *a)
{
    const char *n = a->name;
    const char *fn = a->type->outtran.func;

    mig_emit(o, 1, "memset(&OutP->%s, 0, sizeof(OutP->%s));", n, n);
    switch (a->cls) {
    case CL_PORT:
        mig_emit(o, 1, "OutP->%s.name = %s%s%s%s;", n, fn ? fn : "", fn ? "(" : "", n,
                 fn ? ")" : "");
        if (mig_arg_is_poly(a, true))
            mig_emit(o, 1, "OutP->%s.disposition = %sPoly;", n, n);
        else
            mig_emit(o, 1, "OutP->%s.disposition = %s;", n,
                     mig_disposition_name(reply_disposition(o, a->type->in_name)));
        mig_emit(o, 1, "OutP->%s.type = MACH_MSG_PORT_DESCRIPTOR;", n);
        break;
    case CL_DYNAMIC:
        mig_emit(o, 1, "OutP->%s.type = MACH_MSG_OOL_DESCRIPTOR;", n);
        mig_emit(o, 1, "if ((void *)(%s) != (void *)%sInline) {", n, n);
        fill_ool(o, a, 2);
        mig_emit(o, 1, "}");
        break;
    default:
        fill_ool(o, a, 1);
        break;
    }
}

static void
pack_var(struct mig_out *o, const struct mig_arg *a)
{
    const char *n = a->name;
    const char *src = a->cls == CL_VAR ? mig_format("%sOut", n) : mig_format("%sInline", n);
    int in = 1;

    if (a->cls == CL_DYNAMIC) {
        mig_emit(o, 1, "if ((void *)(%s) == (void *)%sInline) {", n, n);
        in = 2;
    }
    mig_emit(o, in, "off = MIG_ROUND(off, _Alignof(%s));", elem(a));
    mig_emit(o, in, "memmove(OutB + off, %s, OutP->%sCnt * sizeof(%s));", src, n, elem(a));
    mig_emit(o, in, "off += OutP->%sCnt * sizeof(%s);", n, elem(a));
    if (a->cls == CL_DYNAMIC)
        mig_emit(o, 1, "}");
}

/* Emit the reply construction of routine R after a KERN_SUCCESS return. */
void
mig_write_server_reply(struct mig_out *o, const struct mig_routine *r)
{
    bool too_large = write_count_checks(o, r);
    bool var = mig_msg_has_var(r, false);

    for (const struct mig_arg *a = r->args; a != NULL; a = a->next) {
        if (!mig_arg_in_reply(a))
            continue;
        if (a->cls == CL_PORT || a->cls == CL_OOL || a->cls == CL_DYNAMIC ||
            a->cls == CL_PORT_ARRAY)
            fill_descriptor(o, a);
        else if (a->cls == CL_FIXED && a->type->kind != MT_ARRAY && a->type->kind != MT_STRING &&
                 (a->type->outtran.func || a->type->intran.func || a->type->cservertype))
            mig_emit(o, 1, "OutP->%s = %s%s%s%s;", a->name,
                     a->type->outtran.func ? a->type->outtran.func : "",
                     a->type->outtran.func ? "(" : "", a->name, a->type->outtran.func ? ")" : "");
    }
    if (var) {
        mig_emit(o, 1, "off = sizeof(Reply_%s_t);", r->name);
        for (const struct mig_arg *a = r->args; a != NULL; a = a->next)
            if (mig_arg_in_reply(a) && (a->cls == CL_VAR || a->cls == CL_DYNAMIC))
                pack_var(o, a);
    }
    if (mig_msg_complex(r, false)) {
        mig_emit(o, 1, "OutP->Head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;");
        mig_emit(o, 1, "OutP->msgh_body.msgh_descriptor_count = %d;", mig_msg_ndesc(r, false));
    }
    if (var)
        mig_emit(o, 1, "OutP->Head.msgh_size = (mach_msg_size_t)MIG_ROUND(off, 4);");
    else
        mig_emit(o, 1, "OutP->Head.msgh_size = (mach_msg_size_t)sizeof(Reply_%s_t);", r->name);
    mig_emit(o, 1, "OutP->RetCode = KERN_SUCCESS;");
    mig_emit(o, 1, "return;");
    if (too_large) {
        mig_blank(o);
        mig_emit(o, 0, "too_large:");
        mig_emit(o, 1, "/* The implementation returned more than the interface allows. */");
        mig_emit(o, 1, "((mig_reply_error_t *)OutHeadP)->RetCode = MIG_ARRAY_TOO_LARGE;");
        mig_emit(o, 1, "return;");
    }
}

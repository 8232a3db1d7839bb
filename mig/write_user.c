/* SPDX-License-Identifier: MIT */
/*
 * write_user.c: user stubs, one function per routine.
 *
 * A stub (1) checks its array arguments, (2) fills the request in a
 * buffer on its stack, (3) sends it and receives the reply on the
 * thread's reply port with one mach_msg() call (KernelUser stubs call
 * mach_msg_rpc_from_kernel / mach_msg_send_from_kernel instead), (4)
 * checks the reply's id, size and descriptors, and (5) copies the results
 * out.  Return codes follow GNU MIG: mach_msg()'s own errors,
 * MIG_SERVER_DIED (a send-once notification came back instead of a reply),
 * MIG_REPLY_MISMATCH (wrong id), MIG_TYPE_ERROR (malformed reply),
 * MIG_ARRAY_TOO_LARGE, or the server's return code.  A reply that is
 * rejected is destroyed, so its rights and memory never leak.
 */
#include <string.h>

#include "mig.h"

struct user {
    struct mig_out *o;
    const struct mig_routine *r;
    bool kernel;
    bool req_var, rep_var;
    const struct mig_arg *reply_arg; /* replyport / ureplyport */
    const char *reply_port;          /* C expression of the reply port */
};

static const char *
elem(const struct mig_arg *a)
{
    return mig_type_elem_ctype(a->type);
}

/* The in-value of A: the argument itself, or what it points to for inout. */
static const char *
val(const struct mig_arg *a)
{
    if (a->kind == ARG_INOUT &&
        (a->cls == CL_PORT ||
         (a->cls == CL_FIXED && a->type->kind != MT_ARRAY && a->type->kind != MT_STRING)))
        return mig_format("(*%s)", a->name);
    return a->name;
}

static const char *
count(const struct mig_arg *a)
{
    return mig_format("%s%sCnt", a->kind == ARG_IN ? "" : "*", a->name);
}

static const char *
dealloc_expr(const struct mig_arg *a)
{
    int d = mig_arg_dealloc(a);
    return d < 0 ? mig_format("(%sDealloc != FALSE)", a->name) : (d ? "TRUE" : "FALSE");
}

static bool
sent_dynamic_inline_dealloc(const struct mig_arg *a)
{
    return a->kind == ARG_IN && a->cls == CL_DYNAMIC && mig_arg_dealloc(a) != 0;
}

static void
write_locals(struct user *u)
{
    struct mig_out *o = u->o;
    const struct mig_routine *r = u->r;

    mig_emit(o, 1, "union {");
    mig_emit(o, 2, "Request_%s_t In;", r->name);
    if (!r->simple) {
        mig_emit(o, 2, "Reply_%s_t Out;", r->name);
        mig_emit(o, 2, "mig_reply_error_t Error;");
        mig_emit(o, 2, "char OutSpace[Reply_%s_MAX];", r->name);
    }
    mig_emit(o, 2, "char InSpace[Request_%s_MAX];", r->name);
    mig_emit(o, 2, "uint64_t Align;");
    mig_emit(o, 1, "} Mess;");
    mig_emit(o, 1, "Request_%s_t *InP = &Mess.In;", r->name);
    if (!r->simple)
        mig_emit(o, 1, "Reply_%s_t *OutP = &Mess.Out;", r->name);
    if (u->req_var)
        mig_emit(o, 1, "char *InB = (char *)InP;");
    if (u->rep_var)
        mig_emit(o, 1, "char *OutB = (char *)OutP;");
    if (u->req_var || u->rep_var)
        mig_emit(o, 1, "mach_msg_size_t off;");
    for (const struct mig_arg *a = r->args; a != NULL; a = a->next) {
        /* Only fixed strings need it (write_fixed); c_string[*:N] is a CL_VAR. */
        if (a->kind == ARG_IN && a->type->kind == MT_STRING && a->cls == CL_FIXED) {
            mig_emit(o, 1, "size_t len;");
            break;
        }
    }
    for (const struct mig_arg *a = r->args; a != NULL; a = a->next) {
        if (!mig_arg_in_reply(a) || !(a->cls == CL_VAR || a->cls == CL_DYNAMIC))
            continue;
        mig_emit(o, 1, "%s *%sData;", elem(a), a->name);
        if (a->cls == CL_DYNAMIC)
            mig_emit(o, 1, "vm_address_t %sMem = 0;", a->name);
    }
    if (!u->kernel && !r->simple && u->reply_arg == NULL)
        mig_emit(o, 1, "mach_port_t reply_port;");
    mig_emit(o, 1, "mach_msg_return_t msg_result;");
    mig_blank(o);
}

/* Refuse arrays larger than their bound before building anything. */
static void
write_arg_checks(struct user *u)
{
    for (const struct mig_arg *a = u->r->args; a != NULL; a = a->next) {
        if (!mig_arg_in_request(a) || !mig_arg_has_count(a))
            continue;
        if (a->type->bound == AR_BOUNDED)
            mig_emit(u->o, 1, "if (%s > %lu)", count(a), a->type->count);
        else if (a->cls == CL_DYNAMIC || a->cls == CL_OOL) /* the size must fit in 32 bits */
            mig_emit(u->o, 1, "if (((uint64_t)%s * sizeof(%s)) >> 32 != 0)", count(a), elem(a));
        else
            continue;
        mig_emit(u->o, 2, "return MIG_ARRAY_TOO_LARGE;");
    }
}

static void
write_ool(struct user *u, const struct mig_arg *a, int in, bool ports)
{
    struct mig_out *o = u->o;
    const char *n = a->name;
    const char *num = a->type->bound == AR_FIXED ? mig_format("%lu", a->type->count) : count(a);

    mig_emit(o, in, "InP->%s.address = (void *)(%s);", n, val(a));
    if (ports) {
        mig_emit(o, in, "InP->%s.count = %s;", n, num);
        mig_emit(o, in, "InP->%s.disposition = %s;", n,
                 mig_disposition_name(a->type->elem->in_name));
        mig_emit(o, in, "InP->%s.copy = MACH_MSG_PHYSICAL_COPY;", n);
        mig_emit(o, in, "InP->%s.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;", n);
    } else {
        mig_emit(o, in, "InP->%s.size = (mach_msg_size_t)(%s * sizeof(%s));", n, num, elem(a));
        mig_emit(o, in, "InP->%s.copy = MACH_MSG_VIRTUAL_COPY;", n);
        mig_emit(o, in, "InP->%s.type = MACH_MSG_OOL_DESCRIPTOR;", n);
    }
    mig_emit(o, in, "InP->%s.deallocate = %s;", n, dealloc_expr(a));
}

static void
write_descriptor(struct user *u, const struct mig_arg *a)
{
    struct mig_out *o = u->o;
    const char *n = a->name;

    mig_emit(o, 1, "memset(&InP->%s, 0, sizeof(InP->%s));", n, n);
    switch (a->cls) {
    case CL_PORT:
        mig_emit(o, 1, "InP->%s.name = %s;", n, val(a));
        if (mig_arg_is_poly(a, true))
            mig_emit(o, 1, "InP->%s.disposition = %sPoly;", n, n);
        else
            mig_emit(o, 1, "InP->%s.disposition = %s;", n, mig_disposition_name(a->type->in_name));
        mig_emit(o, 1, "InP->%s.type = MACH_MSG_PORT_DESCRIPTOR;", n);
        break;
    case CL_PORT_ARRAY:
        write_ool(u, a, 1, true);
        break;
    case CL_OOL:
        write_ool(u, a, 1, false);
        break;
    default: /* CL_DYNAMIC */
        mig_emit(o, 1, "InP->%s.type = MACH_MSG_OOL_DESCRIPTOR;", n);
        mig_emit(o, 1, "if (%s > MIG_INLINE_MAX / sizeof(%s)) {", count(a), elem(a));
        write_ool(u, a, 2, false);
        mig_emit(o, 1, "}");
        break;
    }
}

static void
write_var(struct user *u, const struct mig_arg *a)
{
    struct mig_out *o = u->o;
    const char *n = a->name;
    int in = 1;

    if (a->type->kind == MT_STRING) {
        mig_emit(o, 1, "InP->%sCnt = (mach_msg_type_number_t)mig_strnlen(%s, %lu) + 1;", n, n,
                 a->type->count - 1);
        mig_emit(o, 1, "memcpy(InB + off, %s, InP->%sCnt - 1);", n, n);
        mig_emit(o, 1, "InB[off + InP->%sCnt - 1] = '\\0';", n);
        mig_emit(o, 1, "off += InP->%sCnt;", n);
        return;
    }
    mig_emit(o, 1, "InP->%sCnt = %s;", n, count(a));
    if (a->cls == CL_DYNAMIC) {
        mig_emit(o, 1, "if (%s <= MIG_INLINE_MAX / sizeof(%s)) {", count(a), elem(a));
        in = 2;
    }
    mig_emit(o, in, "off = MIG_ROUND(off, _Alignof(%s));", elem(a));
    mig_emit(o, in, "if (%s != 0)", count(a));
    mig_emit(o, in + 1, "memcpy(InB + off, (const void *)(%s), %s * sizeof(%s));", n, count(a),
             elem(a));
    mig_emit(o, in, "off += %s * sizeof(%s);", count(a), elem(a));
    if (a->cls == CL_DYNAMIC)
        mig_emit(o, 1, "}");
}

static void
write_fixed(struct user *u, const struct mig_arg *a)
{
    struct mig_out *o = u->o;
    const char *n = a->name;

    if (a->type->kind == MT_STRING) {
        mig_emit(o, 1, "len = mig_strnlen(%s, sizeof(InP->%s) - 1);", n, n);
        mig_emit(o, 1, "memcpy(InP->%s, %s, len);", n, n);
        mig_emit(o, 1, "memset(InP->%s + len, 0, sizeof(InP->%s) - len);", n, n);
    } else if (a->type->kind == MT_ARRAY) {
        mig_emit(o, 1, "memcpy(InP->%s, %s, sizeof(InP->%s));", n, n, n);
    } else {
        mig_emit(o, 1, "InP->%s = %s;", n, val(a));
    }
}

static void
write_request_body(struct user *u)
{
    struct mig_out *o = u->o;
    const struct mig_routine *r = u->r;

    if (mig_msg_complex(r, true)) {
        mig_emit(o, 1, "InP->msgh_body.msgh_descriptor_count = %d;", mig_msg_ndesc(r, true));
        for (const struct mig_arg *a = r->args; a != NULL; a = a->next)
            if (mig_arg_in_request(a) && a->cls != CL_FIXED && a->cls != CL_VAR)
                write_descriptor(u, a);
    }
    for (const struct mig_arg *a = r->args; a != NULL; a = a->next) {
        if (a->kind == ARG_OUT && (a->flags & MF_COUNTINOUT))
            mig_emit(o, 1, "InP->%sCnt = *%sCnt;", a->name, a->name);
        else if (!mig_arg_in_request(a))
            continue;
        else if (a->cls == CL_FIXED)
            write_fixed(u, a);
        else if (a->cls != CL_VAR && a->cls != CL_DYNAMIC && mig_arg_has_count(a))
            mig_emit(o, 1, "InP->%sCnt = %s;", a->name, count(a));
    }
    if (u->req_var) {
        mig_emit(o, 1, "off = sizeof(Request_%s_t);", r->name);
        for (const struct mig_arg *a = r->args; a != NULL; a = a->next)
            if (mig_arg_in_request(a) && (a->cls == CL_VAR || a->cls == CL_DYNAMIC))
                write_var(u, a);
    }
}

static void
write_header(struct user *u)
{
    struct mig_out *o = u->o;
    const struct mig_routine *r = u->r;
    const struct mig_arg *req = mig_routine_find_kind(r, ARG_REQUESTPORT);
    const char *rdisp = mig_arg_is_poly(req, true) ? mig_format("%sPoly", req->name)
                                                   : mig_disposition_name(req->type->in_name);
    const char *ldisp = "0";

    if (u->reply_arg != NULL)
        ldisp = mig_arg_is_poly(u->reply_arg, true)
                    ? mig_format("%sPoly", u->reply_arg->name)
                    : mig_disposition_name(u->reply_arg->type->in_name);
    else if (!r->simple)
        ldisp = "MACH_MSG_TYPE_MAKE_SEND_ONCE";
    if (u->reply_port != NULL && !u->kernel && u->reply_arg == NULL)
        mig_emit(o, 1, "reply_port = mig_get_reply_port();");
    mig_emit(o, 1, "InP->Head.msgh_bits = MACH_MSGH_BITS(%s, %s)%s;", rdisp, ldisp,
             mig_msg_complex(r, true) ? " | MACH_MSGH_BITS_COMPLEX" : "");
    if (u->req_var)
        mig_emit(o, 1, "InP->Head.msgh_size = (mach_msg_size_t)MIG_ROUND(off, 4);");
    else
        mig_emit(o, 1, "InP->Head.msgh_size = (mach_msg_size_t)sizeof(Request_%s_t);", r->name);
    mig_emit(o, 1, "InP->Head.msgh_remote_port = %s;", req->name);
    mig_emit(o, 1, "InP->Head.msgh_local_port = %s;",
             u->reply_port != NULL ? u->reply_port : "MACH_PORT_NULL");
    mig_emit(o, 1, "InP->Head.msgh_voucher_port = MACH_PORT_NULL;");
    mig_emit(o, 1, "InP->Head.msgh_id = %ld;", o->ss->base + r->number);
}

/* Options and time-out of the mach_msg() call. */
static void
options(const struct user *u, const char **opt, const char **timeout)
{
    const struct mig_routine *r = u->r;
    const struct mig_arg *wt = mig_routine_find_kind(r, ARG_WAITTIME);
    const struct mig_arg *mo = mig_routine_find_kind(r, ARG_MSGOPTION);
    const char *o = r->simple ? "MACH_SEND_MSG" : "MACH_SEND_MSG | MACH_RCV_MSG";

    *timeout = wt ? wt->name : (r->waittime ? r->waittime : NULL);
    if (*timeout != NULL)
        o = mig_format("%s | %s", o, r->simple ? "MACH_SEND_TIMEOUT" : "MACH_RCV_TIMEOUT");
    else
        *timeout = "MACH_MSG_TIMEOUT_NONE";
    if (r->msgoption)
        o = mig_format("%s | (%s)", o, r->msgoption);
    if (mo)
        o = mig_format("%s | %s", o, mo->name);
    *opt = o;
}

/* dealloc on an unbounded array that travelled inline: free it ourselves. */
static void
write_inline_deallocs(struct user *u, const char *sent)
{
    bool any = false;

    for (const struct mig_arg *a = u->r->args; a != NULL; a = a->next)
        any |= sent_dynamic_inline_dealloc(a);
    if (!any)
        return;
    mig_emit(u->o, 1, "if (%s) {", sent);
    mig_emit(u->o, 2, "/* dealloc: arrays sent inline are freed here, not by the kernel */");
    for (const struct mig_arg *a = u->r->args; a != NULL; a = a->next) {
        if (!sent_dynamic_inline_dealloc(a))
            continue;
        mig_emit(u->o, 2, "if (%s && %sCnt != 0 && %sCnt <= MIG_INLINE_MAX / sizeof(%s))",
                 dealloc_expr(a), a->name, a->name, elem(a));
        if (u->kernel) /* kernel memory: see docs/mig.md, "What the generated code needs" */
            mig_emit(u->o, 3, "mig_kernel_deallocate((void *)(%s), %sCnt * sizeof(%s));", a->name,
                     a->name, elem(a));
        else
            mig_emit(u->o, 3,
                     "(void)vm_deallocate(mach_task_self(), (vm_address_t)(%s), %sCnt * "
                     "sizeof(%s));",
                     a->name, a->name, elem(a));
    }
    mig_emit(u->o, 1, "}");
}

static void
write_send(struct user *u)
{
    struct mig_out *o = u->o;
    const struct mig_routine *r = u->r;
    const char *opt, *timeout;

    options(u, &opt, &timeout);
    if (u->kernel && r->simple) {
        mig_emit(o, 1, "msg_result = mach_msg_send_from_kernel(&InP->Head, InP->Head.msgh_size);");
    } else if (u->kernel) {
        mig_emit(o, 1, "msg_result = mach_msg_rpc_from_kernel(&InP->Head, InP->Head.msgh_size,");
        mig_emit(o, 1, "                                      (mach_msg_size_t)sizeof(Mess));");
    } else {
        mig_emit(o, 1, "msg_result = mach_msg(&InP->Head, %s, InP->Head.msgh_size,", opt);
        mig_emit(o, 1, "                      %s, %s, %s, MACH_PORT_NULL);",
                 r->simple ? "0" : "(mach_msg_size_t)sizeof(Mess)",
                 r->simple ? "MACH_PORT_NULL" : u->reply_port, timeout);
    }
    if (r->simple) {
        write_inline_deallocs(u, "msg_result == MACH_MSG_SUCCESS");
        mig_emit(o, 1, "return msg_result;");
        return;
    }
    write_inline_deallocs(u, "msg_result == MACH_MSG_SUCCESS || MACH_MSG_IS_RCV_ERROR(msg_result)");
    mig_emit(o, 1, "if (msg_result != MACH_MSG_SUCCESS) {");
    if (!u->kernel && u->reply_arg == NULL) {
        mig_emit(o, 2, "/* A late reply must not be taken for the next call's. */");
        mig_emit(o, 2, "if (MACH_MSG_IS_RCV_ERROR(msg_result))");
        mig_emit(o, 3, "mig_dealloc_reply_port(reply_port);");
    }
    mig_emit(o, 2, "return msg_result;");
    mig_emit(o, 1, "}");
}

static void
write_stub(struct mig_out *o, const struct mig_routine *r)
{
    struct user u = {o,
                     r,
                     o->ss->kernel_user,
                     mig_msg_has_var(r, true),
                     !r->simple && mig_msg_has_var(r, false),
                     NULL,
                     NULL};

    u.reply_arg = mig_routine_find_kind(r, ARG_REPLYPORT);
    if (u.reply_arg == NULL)
        u.reply_arg = mig_routine_find_kind(r, ARG_UREPLYPORT);
    if (u.reply_arg != NULL)
        u.reply_port = u.reply_arg->name;
    else if (!r->simple)
        u.reply_port = u.kernel ? "MACH_PORT_NULL" : "reply_port";
    mig_blank(o);
    mig_emit(o, 0, "/* %s %s: request id %ld */", r->simple ? "SimpleRoutine" : "Routine", r->name,
             o->ss->base + r->number);
    mig_write_user_prototype(o, r, false);
    mig_emit(o, 0, "{");
    write_locals(&u);
    write_arg_checks(&u);
    write_request_body(&u);
    write_header(&u);
    mig_blank(o);
    write_send(&u);
    if (!r->simple)
        mig_write_user_reply(o, r);
    mig_emit(o, 0, "}");
}

/*
 * Write the user stubs file: includes HEADER_NAME (the user header; NULL
 * when none is written, and then the file declares everything itself),
 * the size assertions, the message layouts and one stub per routine.
 */
void
mig_write_user(struct mig_out *o, const char *header_name)
{
    mig_write_preamble(o, "User stubs");
    if (header_name != NULL) {
        mig_emit(o, 0, "#include \"%s\"", header_name);
    } else {
        mig_write_includes(o, IMP_USER);
        mig_write_struct_typedefs(o);
        for (const struct mig_routine *r = o->ss->routines; r != NULL; r = r->next)
            mig_write_user_prototype(o, r, true);
    }
    mig_emit(o, 0, "#include <mach/mig_support.h>");
    mig_write_type_asserts(o);
    mig_write_layouts(o);
    for (const struct mig_routine *r = o->ss->routines; r != NULL; r = r->next)
        write_stub(o, r);
}

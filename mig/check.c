/* SPDX-License-Identifier: MIT */
/*
 * check.c: the code that validates a received message, shared by server
 * stubs (checking requests) and user stubs (checking replies).
 *
 * A message is accepted only if its complex bit, descriptor count,
 * descriptor types and dispositions, element counts and total size are
 * exactly what the routine declares, and every C string in it is
 * terminated.  The checks read nothing beyond msgh_size bytes: the fixed
 * part is read only after msgh_size is known to cover it, and the
 * variable part only after the counts have been summed and compared with
 * msgh_size.  On any failure the generated code jumps to FAIL.
 */
#include "mig.h"

struct chk {
    struct mig_out *o;
    const struct mig_routine *r;
    bool request;
    const char *p;    /* the typed message pointer, In0P or OutP */
    const char *b;    /* the same as char *, InB or OutB */
    const char *fail; /* label */
};

static bool
arg_received(const struct mig_arg *a, bool request)
{
    return request ? mig_arg_in_request(a) : mig_arg_in_reply(a);
}

static const char *
elem(const struct mig_arg *a)
{
    return mig_type_elem_ctype(a->type);
}

static void
fail_if(const struct chk *c, const char *cond)
{
    mig_emit(c->o, 1, "if (%s)", cond);
    mig_emit(c->o, 2, "goto %s;", c->fail);
}

/* The C condition that the disposition of descriptor A is wrong. */
static const char *
bad_disposition(const struct chk *c, const struct mig_arg *a, const struct mig_type *port)
{
    if (port->out_name == MIG_TYPE_POLY)
        return mig_format("!MACH_MSG_TYPE_PORT_ANY_RIGHT(%s->%s.disposition)", c->p, a->name);
    return mig_format("%s->%s.disposition != %s", c->p, a->name,
                      mig_disposition_name(port->out_name));
}

static void
check_descriptor(const struct chk *c, const struct mig_arg *a)
{
    const char *p = c->p, *n = a->name;
    const struct mig_type *t = a->type;

    switch (a->cls) {
    case CL_PORT:
        fail_if(c, mig_format("%s->%s.type != MACH_MSG_PORT_DESCRIPTOR || %s", p, n,
                              bad_disposition(c, a, t)));
        break;
    case CL_PORT_ARRAY:
        fail_if(c, mig_format("%s->%s.type != MACH_MSG_OOL_PORTS_DESCRIPTOR || %s", p, n,
                              bad_disposition(c, a, t->elem)));
        if (t->bound == AR_FIXED)
            fail_if(c, mig_format("%s->%s.count != %lu", p, n, t->count));
        else
            fail_if(c, mig_format("%s->%s.count != %s->%sCnt", p, n, p, n));
        if (t->bound == AR_BOUNDED)
            fail_if(c, mig_format("%s->%sCnt > %lu", p, n, t->count));
        break;
    case CL_OOL:
        fail_if(c, mig_format("%s->%s.type != MACH_MSG_OOL_DESCRIPTOR", p, n));
        if (t->bound == AR_FIXED)
            fail_if(c, mig_format("%s->%s.size != %lu * sizeof(%s)", p, n, t->count, elem(a)));
        else
            fail_if(c, mig_format("%s->%s.size != %s->%sCnt * sizeof(%s)", p, n, p, n, elem(a)));
        if (t->bound == AR_BOUNDED)
            fail_if(c, mig_format("%s->%sCnt > %lu", p, n, t->count));
        break;
    case CL_DYNAMIC:
        mig_emit(c->o, 1, "/* %s: inline when the descriptor is empty, else out of line */", n);
        fail_if(c, mig_format("%s->%s.type != MACH_MSG_OOL_DESCRIPTOR", p, n));
        fail_if(c, mig_format("%s->%s.size != 0 && %s->%s.size != %s->%sCnt * sizeof(%s)", p, n, p,
                              n, p, n, elem(a)));
        fail_if(c, mig_format("%s->%s.size == 0 && %s->%sCnt > MIG_INLINE_MAX / sizeof(%s)", p, n,
                              p, n, elem(a)));
        break;
    default:
        break;
    }
}

/* Bounds of the variable part: set nameData and advance the offset. */
static void
check_var(const struct chk *c, const struct mig_arg *a)
{
    const char *p = c->p, *n = a->name;
    int in = 1;

    if (a->cls == CL_DYNAMIC) {
        mig_emit(c->o, 1, "if (%s->%s.size != 0) {", p, n);
        mig_emit(c->o, 2, "%sData = (%s *)%s->%s.address;", n, elem(a), p, n);
        mig_emit(c->o, 1, "} else {");
        in = 2;
    } else if (a->type->kind == MT_STRING) {
        fail_if(c, mig_format("%s->%sCnt < 1 || %s->%sCnt > %lu", p, n, p, n, a->type->count));
    } else {
        fail_if(c, mig_format("%s->%sCnt > %lu", p, n, a->type->count));
    }
    mig_emit(c->o, in, "off = MIG_ROUND(off, _Alignof(%s));", elem(a));
    mig_emit(c->o, in, "%sData = (%s *)(%s + off);", n, elem(a), c->b);
    mig_emit(c->o, in, "off += %s->%sCnt * sizeof(%s);", p, n, elem(a));
    if (a->cls == CL_DYNAMIC)
        mig_emit(c->o, 1, "}");
}

static void
check_strings(const struct chk *c)
{
    for (const struct mig_arg *a = c->r->args; a != NULL; a = a->next) {
        if (!arg_received(a, c->request) || a->type->kind != MT_STRING)
            continue;
        if (a->cls == CL_FIXED)
            fail_if(c, mig_format("memchr(%s->%s, '\\0', sizeof(%s->%s)) == NULL", c->p, a->name,
                                  c->p, a->name));
        else
            fail_if(c,
                    mig_format("memchr(%sData, '\\0', %s->%sCnt) == NULL", a->name, c->p, a->name));
    }
}

/*
 * Emit the checks of a received request (REQUEST) or reply of routine R.
 * P/B name the message as its struct type and as char *; FAIL is the
 * label to jump to.  For each variable array `name`, the caller must have
 * declared `elem *nameData`, which is set to the received elements, and
 * `mach_msg_size_t off`.
 */
void
mig_write_checks(struct mig_out *o, const struct mig_routine *r, bool request, const char *p,
                 const char *b, const char *fail)
{
    struct chk c = {o, r, request, p, b, fail};
    const char *type = mig_format("%s_%s_t", request ? "Request" : "Reply", r->name);
    bool var = mig_msg_has_var(r, request);

    if (mig_msg_complex(r, request)) {
        fail_if(&c, mig_format("!(%s->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)", p));
        fail_if(&c, mig_format("%s->Head.msgh_size %s sizeof(%s)", p, var ? "<" : "!=", type));
        fail_if(&c, mig_format("%s->msgh_body.msgh_descriptor_count != %d", p,
                               mig_msg_ndesc(r, request)));
    } else {
        fail_if(&c, mig_format("(%s->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX) != 0", p));
        fail_if(&c, mig_format("%s->Head.msgh_size %s sizeof(%s)", p, var ? "<" : "!=", type));
    }
    if (!request)
        fail_if(&c, mig_format("%s->RetCode != KERN_SUCCESS", p));
    for (const struct mig_arg *a = r->args; a != NULL; a = a->next)
        if (arg_received(a, request))
            check_descriptor(&c, a);
    if (var) {
        mig_emit(o, 1, "off = sizeof(%s);", type);
        for (const struct mig_arg *a = r->args; a != NULL; a = a->next)
            if (arg_received(a, request) && (a->cls == CL_VAR || a->cls == CL_DYNAMIC))
                check_var(&c, a);
        fail_if(&c, mig_format("MIG_ROUND(off, 4) != %s->Head.msgh_size", p));
    }
    check_strings(&c);
}

/* SPDX-License-Identifier: MIT */
/*
 * write_user_reply.c: the second half of a user stub: check the reply and
 * copy the results into the caller's variables.
 *
 * Out-parameters are written only when the whole reply has been accepted
 * (STYLE.md).  Two results need the caller's help:
 *  - a bounded array (array[*:N]) is copied into the caller's buffer, whose
 *    capacity the caller passes in *nameCnt; a longer reply gives
 *    MIG_ARRAY_TOO_LARGE with the needed count in *nameCnt;
 *  - an unbounded array (array[]) follows GNU MIG: on entry *name and
 *    *nameCnt describe the caller's buffer (may be empty); inline data that
 *    fits is copied there, otherwise *name is set to new memory (out of
 *    line, or vm_allocate'd) that the caller must vm_deallocate.
 */
#include "mig.h"

static const char *
elem(const struct mig_arg *a)
{
    return mig_type_elem_ctype(a->type);
}

static const char *
utype(const struct mig_arg *a)
{
    return a->type->cusertype ? a->type->cusertype : mig_type_ctype(a->type);
}

static void
write_reply_id(struct mig_out *o, const struct mig_routine *r)
{
    mig_blank(o);
    mig_emit(o, 1, "/* Check the reply before using any of it. */");
    mig_emit(o, 1, "if (OutP->Head.msgh_id != %ld) {", o->ss->base + r->number + 100);
    mig_emit(o, 2, "if (OutP->Head.msgh_id == MACH_NOTIFY_SEND_ONCE)");
    mig_emit(o, 3, "return MIG_SERVER_DIED;");
    mig_emit(o, 2, "mach_msg_destroy(&OutP->Head);");
    mig_emit(o, 2, "return MIG_REPLY_MISMATCH;");
    mig_emit(o, 1, "}");
}

static bool
has_outputs(const struct mig_routine *r)
{
    for (const struct mig_arg *a = r->args; a != NULL; a = a->next)
        if (mig_arg_in_reply(a))
            return true;
    return false;
}

/* Bounded arrays longer than the caller's buffer: nothing is copied. */
static void
write_capacity_checks(struct mig_out *o, const struct mig_routine *r)
{
    for (const struct mig_arg *a = r->args; a != NULL; a = a->next) {
        const char *n = a->name;
        if (a->kind != ARG_OUT || a->type->bound != AR_BOUNDED || !mig_arg_has_count(a))
            continue;
        if (a->cls != CL_VAR && a->cls != CL_PORT_ARRAY)
            continue;
        mig_emit(o, 1, "if (OutP->%sCnt > *%sCnt) {", n, n);
        mig_emit(o, 2, "*%sCnt = OutP->%sCnt;", n, n);
        mig_emit(o, 2, "mach_msg_destroy(&OutP->Head);");
        mig_emit(o, 2, "return MIG_ARRAY_TOO_LARGE;");
        mig_emit(o, 1, "}");
    }
}

/* Inline unbounded arrays that do not fit the caller's buffer get new memory. */
static bool
write_allocations(struct mig_out *o, const struct mig_routine *r)
{
    bool any = false;

    for (const struct mig_arg *a = r->args; a != NULL; a = a->next) {
        const char *n = a->name;
        if (!mig_arg_in_reply(a) || a->cls != CL_DYNAMIC)
            continue;
        any = true;
        mig_emit(o, 1, "if (OutP->%s.size == 0 && OutP->%sCnt > *%sCnt &&", n, n, n);
        mig_emit(o, 1,
                 "    vm_allocate(mach_task_self(), &%sMem, OutP->%sCnt * sizeof(%s), TRUE) "
                 "!= KERN_SUCCESS)",
                 n, n, elem(a));
        mig_emit(o, 2, "goto no_memory;");
    }
    return any;
}

static void
copy_dynamic(struct mig_out *o, const struct mig_arg *a)
{
    const char *n = a->name;

    mig_emit(o, 1, "if (OutP->%s.size != 0) {", n);
    mig_emit(o, 2, "*%s = (%s)(OutP->%s.address);", n, utype(a), n);
    mig_emit(o, 1, "} else {");
    mig_emit(o, 2, "if (%sMem != 0)", n);
    mig_emit(o, 3, "*%s = (%s)%sMem;", n, utype(a), n);
    mig_emit(o, 2, "if (OutP->%sCnt != 0)", n);
    mig_emit(o, 3, "memcpy((void *)(*%s), %sData, OutP->%sCnt * sizeof(%s));", n, n, n, elem(a));
    mig_emit(o, 1, "}");
    mig_emit(o, 1, "*%sCnt = OutP->%sCnt;", n, n);
}

static void
copy_port_array(struct mig_out *o, const struct mig_arg *a)
{
    const char *n = a->name;

    if (a->type->bound == AR_UNBOUNDED) {
        mig_emit(o, 1, "*%s = (%s)(OutP->%s.address);", n, utype(a), n);
        mig_emit(o, 1, "*%sCnt = OutP->%s.count;", n, n);
        return;
    }
    mig_emit(o, 1, "if (OutP->%s.count != 0) {", n);
    mig_emit(o, 2, "memcpy(%s, OutP->%s.address, OutP->%s.count * sizeof(mach_port_t));", n, n, n);
    mig_emit(o, 2, "(void)vm_deallocate(mach_task_self(), (vm_address_t)OutP->%s.address,", n);
    mig_emit(o, 2, "                    OutP->%s.count * sizeof(mach_port_t));", n);
    mig_emit(o, 1, "}");
    if (mig_arg_has_count(a))
        mig_emit(o, 1, "*%sCnt = OutP->%s.count;", n, n);
}

static void
copy_out(struct mig_out *o, const struct mig_arg *a)
{
    const char *n = a->name;
    const struct mig_type *t = a->type;

    switch (a->cls) {
    case CL_FIXED:
        if (t->kind == MT_ARRAY || t->kind == MT_STRING)
            mig_emit(o, 1, "memcpy(%s, OutP->%s, sizeof(OutP->%s));", n, n, n);
        else
            mig_emit(o, 1, "*%s = OutP->%s;", n, n);
        break;
    case CL_VAR:
        if (t->kind == MT_STRING) {
            mig_emit(o, 1, "memcpy(%s, %sData, OutP->%sCnt);", n, n, n);
            break;
        }
        mig_emit(o, 1, "if (OutP->%sCnt != 0)", n);
        mig_emit(o, 2, "memcpy(%s, %sData, OutP->%sCnt * sizeof(%s));", n, n, n, elem(a));
        mig_emit(o, 1, "*%sCnt = OutP->%sCnt;", n, n);
        break;
    case CL_DYNAMIC:
        copy_dynamic(o, a);
        break;
    case CL_OOL:
        mig_emit(o, 1, "*%s = (%s)(OutP->%s.address);", n, utype(a), n);
        if (mig_arg_has_count(a))
            mig_emit(o, 1, "*%sCnt = OutP->%sCnt;", n, n);
        break;
    case CL_PORT:
        mig_emit(o, 1, "*%s = OutP->%s.name;", n, n);
        if (mig_arg_is_poly(a, false))
            mig_emit(o, 1, "*%sPoly = OutP->%s.disposition;", n, n);
        break;
    case CL_PORT_ARRAY:
        copy_port_array(o, a);
        break;
    default:
        break;
    }
}

static void
write_no_memory(struct mig_out *o, const struct mig_routine *r)
{
    mig_blank(o);
    mig_emit(o, 0, "no_memory:");
    for (const struct mig_arg *a = r->args; a != NULL; a = a->next) {
        if (!mig_arg_in_reply(a) || a->cls != CL_DYNAMIC)
            continue;
        mig_emit(o, 1, "if (%sMem != 0)", a->name);
        mig_emit(o, 2, "(void)vm_deallocate(mach_task_self(), %sMem, OutP->%sCnt * sizeof(%s));",
                 a->name, a->name, elem(a));
    }
    mig_emit(o, 1, "mach_msg_destroy(&OutP->Head);");
    mig_emit(o, 1, "return KERN_RESOURCE_SHORTAGE;");
}

/* Emit the reply half of routine R's user stub (after mach_msg succeeded). */
void
mig_write_user_reply(struct mig_out *o, const struct mig_routine *r)
{
    bool alloc;

    write_reply_id(o, r);
    if (!has_outputs(r)) {
        mig_emit(o, 1, "if ((OutP->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX) != 0 ||");
        mig_emit(o, 1, "    OutP->Head.msgh_size != sizeof(Reply_%s_t))", r->name);
        mig_emit(o, 2, "goto bad_reply;");
        mig_emit(o, 1, "return OutP->RetCode;");
    } else {
        mig_emit(o, 1, "/* An error reply is just a header and a return code. */");
        mig_emit(o, 1, "if ((OutP->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX) == 0 &&");
        mig_emit(o, 1, "    OutP->Head.msgh_size == sizeof(mig_reply_error_t) &&");
        mig_emit(o, 1, "    Mess.Error.RetCode != KERN_SUCCESS)");
        mig_emit(o, 2, "return Mess.Error.RetCode;");
        mig_write_checks(o, r, false, "OutP", "OutB", "bad_reply");
        mig_blank(o);
        mig_emit(o, 1, "/* Accepted: hand the results to the caller. */");
        write_capacity_checks(o, r);
        alloc = write_allocations(o, r);
        for (const struct mig_arg *a = r->args; a != NULL; a = a->next)
            if (mig_arg_in_reply(a))
                copy_out(o, a);
        mig_emit(o, 1, "return KERN_SUCCESS;");
        if (alloc)
            write_no_memory(o, r);
    }
    mig_blank(o);
    mig_emit(o, 0, "bad_reply:");
    mig_emit(o, 1, "mach_msg_destroy(&OutP->Head);");
    mig_emit(o, 1, "return MIG_TYPE_ERROR;");
}

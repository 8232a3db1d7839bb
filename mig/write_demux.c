/* SPDX-License-Identifier: MIT */
/*
 * write_demux.c: the server stubs file around the stubs: the request
 * destroyer, the routine table, <subsystem>_server_routine(), the demux
 * function, and the buffer sizes a server loop needs.
 *
 * The demux prepares the reply header (remote port = the request's reply
 * port, id = request id + 100) and an error body, then calls the stub for
 * the id; an unknown id is destroyed and answered with MIG_BAD_ID.  A
 * server loop sends OutHeadP unless its RetCode is MIG_NO_REPLY or it has
 * no remote port, and never destroys the request itself: the stubs have
 * already settled who owns what.
 */
#include "mig.h"

static void
write_destroy(struct mig_out *o)
{
    mig_blank(o);
    mig_emit(o, 0, "/*");
    mig_emit(o, 0, " * Release everything a request holds that no implementation took.  The");
    mig_emit(o, 0, " * reply right is left alone: the demux moved it to the reply header.");
    mig_emit(o, 0, " */");
    mig_emit(o, 0, "static void");
    mig_emit(o, 0, "%s_destroy_request(mach_msg_header_t *InHeadP)", o->ss->name);
    mig_emit(o, 0, "{");
    mig_emit(o, 1, "InHeadP->msgh_remote_port = MACH_PORT_NULL;");
    mig_emit(o, 1, "InHeadP->msgh_bits &= ~(mach_msg_bits_t)MACH_MSGH_BITS_REMOTE_MASK;");
    mig_emit(o, 1, "mach_msg_destroy(InHeadP);");
    mig_emit(o, 0, "}");
}

static void
write_table(struct mig_out *o)
{
    const struct mig_subsystem *ss = o->ss;
    const struct mig_routine *r = ss->routines;

    mig_blank(o);
    mig_emit(o, 0, "/* Server stubs by id - %ld; 0 for a skipped id. */", ss->base);
    mig_emit(o, 0, "static const mig_routine_t %s_routines[%d] = {", ss->name,
             ss->nroutines > 0 ? ss->nroutines : 1);
    for (int i = 0; i < ss->nroutines; i++) {
        if (r != NULL && r->number == i) {
            mig_emit(o, 1, "_X%s, /* %ld */", r->name, ss->base + i);
            r = r->next;
        } else {
            mig_emit(o, 1, "0, /* %ld: skip */", ss->base + i);
        }
    }
    if (ss->nroutines == 0)
        mig_emit(o, 1, "0,");
    mig_emit(o, 0, "};");
    mig_blank(o);
    mig_emit(o, 0, "/* The server stub for the request's id, or 0 if there is none. */");
    mig_emit(o, 0, "mig_routine_t");
    mig_emit(o, 0, "%s_server_routine(mach_msg_header_t *InHeadP)", ss->name);
    mig_emit(o, 0, "{");
    mig_emit(o, 1, "if (InHeadP->msgh_id < %ld || InHeadP->msgh_id >= %ld)", ss->base,
             ss->base + ss->nroutines);
    mig_emit(o, 2, "return 0;");
    mig_emit(o, 1, "return %s_routines[InHeadP->msgh_id - %ld];", ss->name, ss->base);
    mig_emit(o, 0, "}");
}

static void
write_demux(struct mig_out *o)
{
    const struct mig_subsystem *ss = o->ss;

    mig_blank(o);
    mig_emit(o, 0, "/*");
    mig_emit(o, 0, " * Handle one request: FALSE (and a MIG_BAD_ID reply) if its id is not ours.");
    mig_emit(o, 0, " * OutHeadP must have room for %s_max_reply_size bytes.", ss->name);
    mig_emit(o, 0, " */");
    mig_emit(o, 0, "boolean_t");
    mig_emit(o, 0, "%s(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)",
             mig_demux_name(ss));
    mig_emit(o, 0, "{");
    mig_emit(o, 1, "mig_routine_t routine;");
    mig_blank(o);
    mig_emit(o, 1,
             "OutHeadP->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(InHeadP->msgh_bits), "
             "0);");
    mig_emit(o, 1, "OutHeadP->msgh_size = (mach_msg_size_t)sizeof(mig_reply_error_t);");
    mig_emit(o, 1, "OutHeadP->msgh_remote_port = InHeadP->msgh_remote_port;");
    mig_emit(o, 1, "OutHeadP->msgh_local_port = MACH_PORT_NULL;");
    mig_emit(o, 1, "OutHeadP->msgh_voucher_port = MACH_PORT_NULL;");
    mig_emit(o, 1, "OutHeadP->msgh_id = (mach_msg_id_t)((uint32_t)InHeadP->msgh_id + 100);");
    mig_emit(o, 1, "((mig_reply_error_t *)OutHeadP)->RetCode = KERN_SUCCESS;");
    mig_blank(o);
    mig_emit(o, 1, "routine = %s_server_routine(InHeadP);", ss->name);
    mig_emit(o, 1, "if (routine == 0) {");
    mig_emit(o, 2, "%s_destroy_request(InHeadP);", ss->name);
    mig_emit(o, 2, "((mig_reply_error_t *)OutHeadP)->RetCode = MIG_BAD_ID;");
    mig_emit(o, 2, "return FALSE;");
    mig_emit(o, 1, "}");
    mig_emit(o, 1, "(*routine)(InHeadP, OutHeadP);");
    mig_emit(o, 1, "return TRUE;");
    mig_emit(o, 0, "}");
}

static void
write_sizes(struct mig_out *o)
{
    const struct mig_subsystem *ss = o->ss;

    for (int req = 1; req >= 0; req--) {
        const char *kind = req ? "Request" : "Reply";
        mig_blank(o);
        mig_emit(o, 0, "union %s_%s_space {", ss->name, req ? "request" : "reply");
        mig_emit(o, 1, "mig_reply_error_t error;");
        for (const struct mig_routine *r = ss->routines; r != NULL; r = r->next)
            if (req || !r->simple)
                mig_emit(o, 1, "char %s[%s_%s_MAX];", r->name, kind, r->name);
        mig_emit(o, 0, "};");
        mig_emit(o, 0, "const mach_msg_size_t %s_max_%s_size = sizeof(union %s_%s_space);",
                 ss->name, req ? "request" : "reply", ss->name, req ? "request" : "reply");
    }
}

/* Declarations shared by the server header and the server stubs file. */
void
mig_write_server_decls(struct mig_out *o)
{
    const struct mig_subsystem *ss = o->ss;

    for (const struct mig_routine *r = ss->routines; r != NULL; r = r->next) {
        mig_blank(o);
        mig_emit(o, 0, "/* %s %s */", r->simple ? "SimpleRoutine" : "Routine", r->name);
        mig_write_server_prototype(o, r);
    }
    mig_blank(o);
    mig_emit(o, 0, "extern boolean_t %s(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP);",
             mig_demux_name(ss));
    mig_emit(o, 0, "extern mig_routine_t %s_server_routine(mach_msg_header_t *InHeadP);", ss->name);
    mig_emit(o, 0, "/* Buffer sizes for a server loop (add the trailer it asks for). */");
    mig_emit(o, 0, "extern const mach_msg_size_t %s_max_request_size;", ss->name);
    mig_emit(o, 0, "extern const mach_msg_size_t %s_max_reply_size;", ss->name);
}

/* Write the server stubs file. */
void
mig_write_server(struct mig_out *o)
{
    mig_write_preamble(o, "Server stubs");
    mig_write_includes(o, IMP_SERVER);
    mig_emit(o, 0, "#include <mach/mig_support.h>");
    mig_write_struct_typedefs(o);
    mig_write_server_decls(o);
    mig_write_type_asserts(o);
    mig_write_layouts(o);
    write_destroy(o);
    mig_write_server_stubs(o);
    write_table(o);
    write_demux(o);
    write_sizes(o);
}

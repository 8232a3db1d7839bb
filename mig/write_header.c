/* SPDX-License-Identifier: MIT */
/*
 * write_header.c: the user header (prototypes of the user stubs) and the
 * server header (prototypes of the implementations a server provides, the
 * demux function, and the buffer sizes).
 */
#include <ctype.h>

#include "mig.h"

static const char *
guard(const struct mig_subsystem *ss, const char *side)
{
    return mig_format("_MIG_%s_%s_H_", ss->name, side);
}

/* Write the user header: includes, imports, struct typedefs, stub prototypes. */
void
mig_write_user_header(struct mig_out *o)
{
    const char *g = guard(o->ss, "USER");

    mig_write_preamble(o, "User interface");
    mig_emit(o, 0, "#ifndef %s", g);
    mig_emit(o, 0, "#define %s", g);
    mig_blank(o);
    mig_write_includes(o, IMP_USER);
    mig_write_struct_typedefs(o);
    for (const struct mig_routine *r = o->ss->routines; r != NULL; r = r->next) {
        mig_blank(o);
        mig_emit(o, 0, "/* %s %s */", r->simple ? "SimpleRoutine" : "Routine", r->name);
        mig_write_user_prototype(o, r, true);
    }
    mig_blank(o);
    mig_emit(o, 0, "#endif /* %s */", g);
}

/* Write the server header: what an implementation of the subsystem provides. */
void
mig_write_server_header(struct mig_out *o)
{
    const char *g = guard(o->ss, "SERVER");

    mig_write_preamble(o, "Server interface");
    mig_emit(o, 0, "#ifndef %s", g);
    mig_emit(o, 0, "#define %s", g);
    mig_blank(o);
    mig_write_includes(o, IMP_SERVER);
    mig_write_struct_typedefs(o);
    mig_write_server_decls(o);
    mig_blank(o);
    mig_emit(o, 0, "#endif /* %s */", g);
}

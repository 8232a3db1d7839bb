/* SPDX-License-Identifier: MIT */
/*
 * mig.h: the objects of the interface generator and the functions that
 * pass them from one stage to the next.
 *
 *   text --lexer--> tokens --parser--> struct mig_subsystem
 *        (types.c builds struct mig_type, routine.c checks struct
 *        mig_routine and classifies each argument)
 *   struct mig_subsystem --write_*.c--> user header, user stubs,
 *        server header, server stubs
 *
 * Memory: everything is allocated from one arena (util.c) and released at
 * once by mig_free_all(), so error paths never free piecemeal.
 */
#ifndef MIG_H
#define MIG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* ---- util.c: arena, strings, diagnostics ---- */

struct mig_pos {
    const char *file;
    int line;
    int col;
};

void *mig_alloc(size_t size);
char *mig_strdup(const char *s);
char *mig_strndup(const char *s, size_t n);
char *mig_format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void mig_free_all(void);

void mig_error(struct mig_pos pos, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void mig_warning(struct mig_pos pos, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int mig_error_count(void);
void mig_diag_reset(bool quiet);
void mig_diag_capture(char *buf, size_t size);

/* ---- lexer.c ---- */

enum mig_tok {
    TOK_EOF,
    TOK_IDENT,
    TOK_NUMBER,
    TOK_STRING, /* "quoted", text keeps the quotes */
    TOK_ANGLE,  /* <path>, text keeps the brackets */
    TOK_PUNCT,  /* one of ; : , ( ) [ ] { } = | ^ * + - / */
};

struct mig_token {
    enum mig_tok kind;
    struct mig_pos pos;
    const char *text; /* arena copy of the spelling */
    long long num;    /* TOK_NUMBER */
    int punct;        /* TOK_PUNCT */
};

struct mig_lexer {
    const char *src;
    size_t len;
    size_t off;
    const char *file;
    int line;
    int col;
    bool at_line_start;
    bool failed; /* a lexical error was reported */
};

void mig_lexer_init(struct mig_lexer *lx, const char *src, size_t len, const char *file);
struct mig_token mig_lexer_next(struct mig_lexer *lx);
bool mig_keyword_is(const struct mig_token *t, const char *kw);

/* ---- types.c ---- */

#define MIG_TYPE_POLY (-1)

enum mig_type_kind {
    MT_BASIC,   /* MACH_MSG_TYPE_* data or port, possibly long form */
    MT_ARRAY,   /* array[N] / array[*:N] / array[] / array[*], maybe ^ */
    MT_STRUCTN, /* struct[N] of T: N elements passed by value */
    MT_STRUCT,  /* struct { T a; U b; }: a C struct laid out by the compiler */
    MT_STRING,  /* c_string[N] / c_string[*:N] */
};

enum mig_bound { AR_FIXED, AR_BOUNDED, AR_UNBOUNDED };

/* Type and argument flags. */
#define MF_DEALLOC      0x01
#define MF_NOTDEALLOC   0x02
#define MF_MAYBEDEALLOC 0x04 /* dealloc[]: the sender decides at run time */
#define MF_SERVERCOPY   0x08
#define MF_COUNTINOUT   0x10

struct mig_trans {
    const char *type; /* result C type (intran, outtran) */
    const char *func;
    const char *arg; /* argument C type */
    struct mig_pos pos;
};

struct mig_member {
    struct mig_type *type;
    const char *name;
};

struct mig_type {
    const char *name; /* NULL for a type spelt inside an argument */
    struct mig_pos pos;
    enum mig_type_kind kind;
    /* MT_BASIC */
    int in_name;  /* MACH_MSG_TYPE_* as sent, MIG_TYPE_POLY */
    int out_name; /* as received */
    unsigned bits;
    bool port;
    const char *base_ctype; /* C type implied by the basic type name */
    /* MT_ARRAY, MT_STRUCTN, MT_STRING */
    enum mig_bound bound;
    unsigned long count; /* N, or the bound of [*:N] */
    bool ool;            /* ^: always out of line */
    struct mig_type *elem;
    /* MT_STRUCT */
    struct mig_member *members;
    int nmembers;
    bool emit_typedef; /* mig writes the C struct (no ctype given) */
    /* everything */
    unsigned flags;
    const char *ctype;
    const char *cusertype;
    const char *cservertype;
    struct mig_trans intran, outtran, destructor;
};

struct mig_type *mig_type_lookup(const char *name);
void mig_types_init(void);
bool mig_type_define(struct mig_type *t);
struct mig_type *mig_type_new(enum mig_type_kind kind, struct mig_pos pos);
struct mig_type *mig_type_copy(const struct mig_type *t);
bool mig_basic_lookup(const char *name, int *number);
bool mig_basic_init(struct mig_type *t, int in_name, int out_name, long bits, struct mig_pos pos);
bool mig_type_check(struct mig_type *t);
const char *mig_disposition_name(int n);
const char *mig_type_ctype(const struct mig_type *t);
const char *mig_type_elem_ctype(const struct mig_type *t);
bool mig_type_is_data(const struct mig_type *t);

/* ---- routine.c: arguments and their message classes ---- */

enum mig_arg_kind {
    ARG_IN,
    ARG_OUT,
    ARG_INOUT,
    ARG_REQUESTPORT,
    ARG_REPLYPORT,
    ARG_SREPLYPORT,
    ARG_UREPLYPORT,
    ARG_WAITTIME,
    ARG_MSGOPTION,
    ARG_MSGSEQNO,
};

/* How an argument travels in a message. */
enum mig_class {
    CL_NONE,       /* header or not in the message (waittime, msgseqno ...) */
    CL_FIXED,      /* inline, fixed size */
    CL_VAR,        /* inline, count + up to N elements (array[*:N], c_string[*:N]) */
    CL_DYNAMIC,    /* array[] / array[*]: count + inline if small, else OOL */
    CL_OOL,        /* ^array: out-of-line memory descriptor */
    CL_PORT,       /* port descriptor */
    CL_PORT_ARRAY, /* out-of-line ports descriptor */
};

struct mig_arg {
    const char *name;
    struct mig_pos pos;
    enum mig_arg_kind kind;
    bool kind_given;
    struct mig_type *type;
    unsigned flags; /* MF_*: the argument's own flags merged with its type's */
    enum mig_class cls;
    struct mig_arg *next;
};

struct mig_routine {
    const char *name;
    struct mig_pos pos;
    bool simple;
    int number; /* request id = subsystem base + number */
    struct mig_arg *args;
    const char *user_prefix;
    const char *server_prefix;
    const char *waittime;  /* C expression or NULL */
    const char *msgoption; /* C expression or NULL */
    struct mig_routine *next;
};

bool mig_routine_check(struct mig_routine *r);
bool mig_arg_in_request(const struct mig_arg *a);
bool mig_arg_in_reply(const struct mig_arg *a);
bool mig_arg_has_count(const struct mig_arg *a);
bool mig_arg_is_poly(const struct mig_arg *a, bool sender);
int mig_arg_dealloc(const struct mig_arg *a);
struct mig_arg *mig_routine_find_kind(const struct mig_routine *r, enum mig_arg_kind kind);

/* ---- parser.c ---- */

enum mig_import_kind { IMP_BOTH, IMP_USER, IMP_SERVER };

struct mig_import {
    enum mig_import_kind kind;
    const char *file; /* "x.h" or <x.h> */
    struct mig_import *next;
};

struct mig_subsystem {
    const char *name;
    long base;
    bool kernel_user;
    bool kernel_server;
    bool defined;
    struct mig_pos pos;
    const char *rcsid;
    const char *serverdemux;
    struct mig_import *imports;
    struct mig_routine *routines;
    int nroutines;             /* id slots, including skips */
    struct mig_type **structs; /* struct { } types whose C struct mig writes */
    int nstructs;
};

bool mig_parse(const char *src, size_t len, const char *file, struct mig_subsystem *out);

/* ---- write_*.c: output ---- */

struct mig_out {
    FILE *f;
    const struct mig_subsystem *ss;
    const char *defs_file;
};

void mig_emit(struct mig_out *o, int indent, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void mig_blank(struct mig_out *o);
void mig_write_user_header(struct mig_out *o);
void mig_write_server_header(struct mig_out *o);
void mig_write_user(struct mig_out *o, const char *header_name);
void mig_write_server(struct mig_out *o);

/* write_common.c: pieces shared by user and server files */
void mig_write_preamble(struct mig_out *o, const char *what);
void mig_write_includes(struct mig_out *o, enum mig_import_kind side);
void mig_write_struct_typedefs(struct mig_out *o);
void mig_write_type_asserts(struct mig_out *o);
void mig_write_layouts(struct mig_out *o);
void mig_write_user_prototype(struct mig_out *o, const struct mig_routine *r, bool decl);
const char *mig_arg_server_ctype(const struct mig_arg *a);
void mig_write_server_prototype(struct mig_out *o, const struct mig_routine *r);
const char *mig_user_name(const struct mig_routine *r);
const char *mig_server_name(const struct mig_routine *r);
const char *mig_demux_name(const struct mig_subsystem *ss);
int mig_port_received(int name);
bool mig_msg_complex(const struct mig_routine *r, bool request);
bool mig_msg_has_var(const struct mig_routine *r, bool request);
int mig_msg_ndesc(const struct mig_routine *r, bool request);
bool mig_arg_on_wire(const struct mig_arg *a, bool request);

/* write_user_reply.c */
void mig_write_user_reply(struct mig_out *o, const struct mig_routine *r);

/* write_server.c, write_server_reply.c */
void mig_write_server_stubs(struct mig_out *o);
void mig_write_server_release(struct mig_out *o, const struct mig_routine *r);
void mig_write_server_reply(struct mig_out *o, const struct mig_routine *r);

/* write_demux.c */
void mig_write_server_decls(struct mig_out *o);

/* check.c */
void mig_write_checks(struct mig_out *o, const struct mig_routine *r, bool request, const char *p,
                      const char *b, const char *fail);

#endif /* MIG_H */

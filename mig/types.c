/* SPDX-License-Identifier: MIT */
/*
 * types.c: the type table and the meaning of a type.
 *
 * A struct mig_type is what a `type name = ...;` statement (or a type spelt
 * inside an argument) denotes: a basic MACH_MSG_TYPE_* datum or port right,
 * an array, a struct, or a C string, plus the C names the generated code
 * uses for it (ctype, cusertype, cservertype) and the translation functions
 * (intran, outtran, destructor).  mig never computes C sizes itself: the
 * generated code uses sizeof, and asserts that each basic type's C type has
 * the size the .defs declares.
 */
#include <string.h>
#include <strings.h>

#include "mig.h"

struct basic_name {
    const char *name;
    int number;
    unsigned bits; /* default size; 0 = the long form must give it */
    const char *ctype;
};

static const struct basic_name basic_names[] = {
    {"MACH_MSG_TYPE_UNSTRUCTURED", 0, 0, NULL},
    {"MACH_MSG_TYPE_BIT", 0, 1, NULL},
    {"MACH_MSG_TYPE_BOOLEAN", 0, 32, "boolean_t"},
    {"MACH_MSG_TYPE_INTEGER_16", 1, 16, "short"},
    {"MACH_MSG_TYPE_INTEGER_32", 2, 32, "int"},
    {"MACH_MSG_TYPE_CHAR", 8, 8, "char"},
    {"MACH_MSG_TYPE_BYTE", 9, 8, "unsigned char"},
    {"MACH_MSG_TYPE_INTEGER_8", 9, 8, "int8_t"},
    {"MACH_MSG_TYPE_REAL", 10, 32, "float"},
    {"MACH_MSG_TYPE_INTEGER_64", 11, 64, "int64_t"},
    {"MACH_MSG_TYPE_STRING", 12, 0, "char"},
    {"MACH_MSG_TYPE_STRING_C", 12, 0, "char"},
    {"MACH_MSG_TYPE_PORT_NAME", 15, 32, "mach_port_name_t"},
    {"MACH_MSG_TYPE_MOVE_RECEIVE", 16, 0, "mach_port_t"},
    {"MACH_MSG_TYPE_MOVE_SEND", 17, 0, "mach_port_t"},
    {"MACH_MSG_TYPE_MOVE_SEND_ONCE", 18, 0, "mach_port_t"},
    {"MACH_MSG_TYPE_COPY_SEND", 19, 0, "mach_port_t"},
    {"MACH_MSG_TYPE_MAKE_SEND", 20, 0, "mach_port_t"},
    {"MACH_MSG_TYPE_MAKE_SEND_ONCE", 21, 0, "mach_port_t"},
    {"MACH_MSG_TYPE_PORT_RECEIVE", 16, 0, "mach_port_t"},
    {"MACH_MSG_TYPE_PORT_SEND", 17, 0, "mach_port_t"},
    {"MACH_MSG_TYPE_PORT_SEND_ONCE", 18, 0, "mach_port_t"},
    {"MACH_MSG_TYPE_POLYMORPHIC", MIG_TYPE_POLY, 0, "mach_port_t"},
    {"polymorphic", MIG_TYPE_POLY, 0, "mach_port_t"},
};

#define NBASIC (sizeof(basic_names) / sizeof(basic_names[0]))

/* The type table: a list is plenty for the few hundred types of an interface. */
struct type_entry {
    struct mig_type *type;
    struct type_entry *next;
};

static struct type_entry *table;

void
mig_types_init(void)
{
    table = NULL;
}

struct mig_type *
mig_type_lookup(const char *name)
{
    for (struct type_entry *e = table; e != NULL; e = e->next)
        if (strcmp(e->type->name, name) == 0)
            return e->type;
    return NULL;
}

/* Enter T (named) in the table; false (and an error) if the name is taken. */
bool
mig_type_define(struct mig_type *t)
{
    struct mig_type *old = mig_type_lookup(t->name);
    struct type_entry *e;

    if (old != NULL) {
        mig_error(t->pos, "type '%s' is already defined (at %s:%d:%d)", t->name, old->pos.file,
                  old->pos.line, old->pos.col);
        return false;
    }
    e = mig_alloc(sizeof(*e));
    e->type = t;
    e->next = table;
    table = e;
    return true;
}

struct mig_type *
mig_type_new(enum mig_type_kind kind, struct mig_pos pos)
{
    struct mig_type *t = mig_alloc(sizeof(*t));

    t->kind = kind;
    t->pos = pos;
    return t;
}

/* A copy of T that can be renamed and annotated without changing T. */
struct mig_type *
mig_type_copy(const struct mig_type *t)
{
    struct mig_type *c = mig_alloc(sizeof(*c));

    *c = *t;
    return c;
}

/* Look up a MACH_MSG_TYPE_* name (case-insensitive, as GNU MIG). */
bool
mig_basic_lookup(const char *name, int *number)
{
    for (size_t i = 0; i < NBASIC; i++) {
        if (strcasecmp(basic_names[i].name, name) == 0) {
            *number = (int)i;
            return true;
        }
    }
    return false;
}

static bool
is_port_number(int n)
{
    return n == MIG_TYPE_POLY || (n >= 16 && n <= 21);
}

/* What a receiver finds for a right sent with disposition N. */
int
mig_port_received(int n)
{
    switch (n) {
    case 19: /* COPY_SEND */
    case 20: /* MAKE_SEND */
        return 17;
    case 21: /* MAKE_SEND_ONCE */
        return 18;
    default:
        return n;
    }
}

/*
 * Fill basic type T.  IN and OUT are indexes into basic_names (or, when
 * >= 1000, raw numbers + 1000); BITS < 0 means "default".
 */
bool
mig_basic_init(struct mig_type *t, int in, int out, long bits, struct mig_pos pos)
{
    int in_num = in >= 1000 ? in - 1000 : basic_names[in].number;
    int out_num = out >= 1000 ? out - 1000 : basic_names[out].number;
    unsigned def_bits = in >= 1000 ? 32 : basic_names[in].bits;

    t->kind = MT_BASIC;
    t->base_ctype = in >= 1000 ? NULL : basic_names[in].ctype;
    t->port = is_port_number(in_num);
    if (t->port != is_port_number(out_num)) {
        mig_error(pos, "a type cannot be a port in one direction and data in the other");
        return false;
    }
    if (t->port) {
        t->in_name = in_num;
        t->out_name = (in == out) ? mig_port_received(in_num) : out_num;
        if (bits >= 0 && bits != 32 && bits != 64) {
            mig_error(pos, "a port right is 32 or 64 bits, not %ld", bits);
            return false;
        }
        return true;
    }
    t->in_name = in_num;
    t->out_name = out_num;
    t->bits = bits >= 0 ? (unsigned)bits : def_bits;
    if (t->bits == 0 || t->bits % 8 != 0 || t->bits > 65536) {
        mig_error(pos,
                  "unsupported size of %u bits (give a whole number of bytes in the long form "
                  "(TYPE, bits))",
                  t->bits);
        return false;
    }
    if (in_num == 12) { /* STRING: a fixed C string of bits/8 characters */
        t->kind = MT_STRING;
        t->bound = AR_FIXED;
        t->count = t->bits / 8;
    }
    return true;
}

/* True if T and everything in it is plain data (no port rights). */
bool
mig_type_is_data(const struct mig_type *t)
{
    switch (t->kind) {
    case MT_BASIC:
        return !t->port;
    case MT_ARRAY:
    case MT_STRUCTN:
        return mig_type_is_data(t->elem);
    case MT_STRUCT:
        for (int i = 0; i < t->nmembers; i++)
            if (!mig_type_is_data(t->members[i].type))
                return false;
        return true;
    case MT_STRING:
        return true;
    }
    return true;
}

/* True if T has one size known at compile time and lives inline. */
static bool
is_fixed_inline(const struct mig_type *t)
{
    switch (t->kind) {
    case MT_BASIC:
        return !t->port;
    case MT_ARRAY:
        return t->bound == AR_FIXED && !t->ool && is_fixed_inline(t->elem);
    case MT_STRING:
        return t->bound == AR_FIXED;
    case MT_STRUCTN:
    case MT_STRUCT:
        return true;
    }
    return false;
}

/* The C type of T's values: ctype, else its name, else one implied by its spec. */
const char *
mig_type_ctype(const struct mig_type *t)
{
    if (t->ctype != NULL)
        return t->ctype;
    if (t->name != NULL)
        return t->name;
    switch (t->kind) {
    case MT_BASIC:
        if (t->base_ctype != NULL)
            return t->base_ctype;
        switch (t->bits) {
        case 8:
            return "uint8_t";
        case 16:
            return "uint16_t";
        case 32:
            return "uint32_t";
        case 64:
            return "uint64_t";
        }
        return NULL;
    case MT_ARRAY:
        return mig_type_elem_ctype(t) ? mig_format("%s *", mig_type_elem_ctype(t)) : NULL;
    case MT_STRING:
        return "char *";
    case MT_STRUCTN:
    case MT_STRUCT:
        return NULL;
    }
    return NULL;
}

/* The C type of one element of an array or string type. */
const char *
mig_type_elem_ctype(const struct mig_type *t)
{
    if (t->kind == MT_STRING)
        return "char";
    if (t->elem == NULL)
        return NULL;
    if (t->elem->kind == MT_ARRAY && t->elem->name == NULL && t->elem->ctype == NULL)
        return NULL; /* an anonymous array has no C element type */
    return mig_type_ctype(t->elem);
}

static bool
check_array(struct mig_type *t)
{
    const struct mig_type *e = t->elem;

    if (t->bound != AR_UNBOUNDED && t->count == 0) {
        mig_error(t->pos, "an array needs at least one element");
        return false;
    }
    if (e->kind == MT_BASIC && e->port) {
        if (e->in_name == MIG_TYPE_POLY || e->out_name == MIG_TYPE_POLY) {
            mig_error(t->pos, "arrays of polymorphic ports are not supported");
            return false;
        }
        return true;
    }
    if (!is_fixed_inline(e) || !mig_type_is_data(e)) {
        mig_error(t->pos, "array elements must be fixed-size data or port rights");
        return false;
    }
    if (mig_type_elem_ctype(t) == NULL) {
        mig_error(t->pos, "array elements of this type need a named type (declare it with 'type')");
        return false;
    }
    return true;
}

/* Check that T can be carried in a message; report and return false if not. */
bool
mig_type_check(struct mig_type *t)
{
    switch (t->kind) {
    case MT_BASIC:
        return true;
    case MT_ARRAY:
        return check_array(t);
    case MT_STRING:
        if (t->count == 0) {
            mig_error(t->pos, "a c_string needs a size of at least 1");
            return false;
        }
        return true;
    case MT_STRUCTN:
        if (t->count == 0 || !is_fixed_inline(t->elem) || !mig_type_is_data(t->elem)) {
            mig_error(t->pos, "struct[N] needs N > 0 elements of fixed-size data");
            return false;
        }
        return true;
    case MT_STRUCT:
        for (int i = 0; i < t->nmembers; i++) {
            const struct mig_type *m = t->members[i].type;
            if (!is_fixed_inline(m) || !mig_type_is_data(m) || mig_type_ctype(m) == NULL) {
                mig_error(t->pos, "struct member '%s' must be fixed-size data of a named type",
                          t->members[i].name);
                return false;
            }
        }
        return true;
    }
    return true;
}

/* The C name of port disposition `n` (MACH_MSG_TYPE_COPY_SEND for 19...), so
 * generated code reads as Mach code; other numbers come out in decimal. */
const char *
mig_disposition_name(int n)
{
    static const char *const names[] = {
        "MACH_MSG_TYPE_PORT_NAME",      "MACH_MSG_TYPE_MOVE_RECEIVE", "MACH_MSG_TYPE_MOVE_SEND",
        "MACH_MSG_TYPE_MOVE_SEND_ONCE", "MACH_MSG_TYPE_COPY_SEND",    "MACH_MSG_TYPE_MAKE_SEND",
        "MACH_MSG_TYPE_MAKE_SEND_ONCE", "MACH_MSG_TYPE_COPY_RECEIVE",
    };

    if (n >= 15 && n <= 22)
        return names[n - 15];
    return mig_format("%d", n);
}

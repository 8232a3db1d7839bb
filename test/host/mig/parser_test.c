/* SPDX-License-Identifier: MIT */
/*
 * parser_test.c: the .defs language, construct by construct, and the
 * errors mig reports for malformed input (file:line:column: message).
 * Sources are given as text, as cpp would hand them over.
 */
#include <stdio.h>
#include <string.h>

#include "mig.h"

static int failures;
static char diag[8192];

#define STD                                                                                        \
    "type int = MACH_MSG_TYPE_INTEGER_32;\n"                                                       \
    "type char = MACH_MSG_TYPE_CHAR;\n"                                                            \
    "type mach_port_t = MACH_MSG_TYPE_COPY_SEND;\n"

struct bad_case {
    const char *name;
    const char *src;
    const char *want; /* expected diagnostic (substring) */
};

static bool
parse(const char *src, struct mig_subsystem *ss)
{
    mig_diag_reset(false);
    mig_diag_capture(diag, sizeof(diag));
    return mig_parse(src, strlen(src), "t.defs", ss);
}

static void
expect_ok(const char *name, const char *src)
{
    struct mig_subsystem ss;

    if (!parse(src, &ss)) {
        fprintf(stderr, "FAIL %s: unexpected errors:\n%s", name, diag);
        failures++;
    } else {
        printf("PASS %s\n", name);
    }
}

static const char *const good[][2] = {
    {"subsystem_plain", "subsystem foo 100;"},
    {"types_before_subsystem", "type a = MACH_MSG_TYPE_CHAR; import <x.h>; subsystem foo 1;"},
    {"subsystem_kernel_user", "subsystem KernelUser foo 100;"},
    {"subsystem_kernel_server_mixed_case", "SubSystem KERNELSERVER foo 2000 + 100;"},
    {"statements", "subsystem s 1; import \"a.h\"; uimport <b.h>; simport \"c.h\"; "
                   "serverprefix S_; userprefix U_; serverdemux my_demux; rcsid \"$Id$\"; "
                   "waittime 100; nowaittime; waittime \"tmo\"; msgoption MACH_SEND_INTERRUPT; "
                   "skip; ;"},
    {"basic_types", "subsystem s 1;\n"
                    "type a = MACH_MSG_TYPE_BOOLEAN; type b = MACH_MSG_TYPE_INTEGER_16;\n"
                    "type c = MACH_MSG_TYPE_INTEGER_32; type d = MACH_MSG_TYPE_INTEGER_64;\n"
                    "type e = MACH_MSG_TYPE_CHAR; type f = MACH_MSG_TYPE_BYTE;\n"
                    "type g = MACH_MSG_TYPE_INTEGER_8; type h = MACH_MSG_TYPE_REAL;\n"
                    "type i = MACH_MSG_TYPE_PORT_NAME; type j = mach_msg_type_integer_32;\n"
                    "type k = (MACH_MSG_TYPE_UNSTRUCTURED, 128); type l = 2;\n"
                    "type m = (MACH_MSG_TYPE_STRING_C, 8*16);"},
    {"port_types", "subsystem s 1;\n"
                   "type a = MACH_MSG_TYPE_MOVE_RECEIVE; type b = MACH_MSG_TYPE_MOVE_SEND;\n"
                   "type c = MACH_MSG_TYPE_MOVE_SEND_ONCE; type d = MACH_MSG_TYPE_COPY_SEND;\n"
                   "type e = MACH_MSG_TYPE_MAKE_SEND; type f = MACH_MSG_TYPE_MAKE_SEND_ONCE;\n"
                   "type g = MACH_MSG_TYPE_PORT_RECEIVE; type h = MACH_MSG_TYPE_PORT_SEND;\n"
                   "type i = MACH_MSG_TYPE_PORT_SEND_ONCE; type j = polymorphic;\n"
                   "type k = MACH_MSG_TYPE_MAKE_SEND | MACH_MSG_TYPE_PORT_SEND;\n"
                   "type l = MACH_MSG_TYPE_POLYMORPHIC | polymorphic;\n"
                   "type m = (MACH_MSG_TYPE_COPY_SEND, 32, dealloc);"},
    {"arrays", "subsystem s 1;" STD
               "type a = array[] of int; type b = array[*] of int; type c = array[4] of int;\n"
               "type d = array[*:2*8+(4-4)/2] of int; type e = ^array[] of char;\n"
               "type f = ^array[16] of char; type g = array[] of mach_port_t;\n"
               "type h = array[*:4] of mach_port_t; type i = array[3] of mach_port_t;\n"
               "type pt = struct[2] of int; type j = array[*:5] of pt;"},
    {"structs_and_strings",
     "subsystem s 1;" STD "type a = struct[4] of int; type b = struct { int x; char y; };\n"
     "type c = c_string[64]; type d = c_string[*:1024];\n"
     "type e = struct { int; array[3] of char z; c_string[8] s; };"},
    {"annotations",
     "subsystem s 1;" STD "type t = mach_port_t ctype: mach_port_t cusertype: mach_port_t\n"
     "  cservertype: task_t intran: task_t convert(mach_port_t)\n"
     "  outtran: mach_port_t back(task_t) destructor: drop(task_t)\n"
     "  intranpayload: task_t payload(unsigned long);\n"
     "type u = int ctype: unsigned int;"},
    {"argument_kinds", "subsystem s 1;" STD "type o = MACH_MSG_TYPE_MAKE_SEND_ONCE;\n"
                       "routine r(requestport p: mach_port_t; replyport q: o; in a: int;\n"
                       "  out b: int; inout c: int; waittime w: int; msgoption m: int;\n"
                       "  msgseqno n: int);\n"
                       "simpleroutine s2(p: mach_port_t; sreplyport q: o; ureplyport u: o);"},
    {"argument_flags", "subsystem s 1;" STD "type d = array[] of char; type e = ^array[] of char;\n"
                       "routine r(p: mach_port_t; a: d, dealloc; b: e, dealloc[];\n"
                       "  c: e, notdealloc; f: d, servercopy; out g: d, countinout;\n"
                       "  out h: array[*:8] of int, countinout);"},
    {"keywords_are_case_insensitive",
     "SUBSYSTEM s 1;" STD "TYPE x = ARRAY[*:4] OF int; Type y = C_STRING[8];\n"
     "ROUTINE r(P: mach_port_t; IN a: x; OUT b: y; "
     "InOut c: int);\nSimpleRoutine q(p: mach_port_t); SKIP;"},
    {"argument_named_like_a_keyword", "subsystem s 1;" STD "routine r(p: mach_port_t; in: int; "
                                      "out out: int; waittime: int);"},
    {"line_markers_and_comments", "# 1 \"x.defs\"\n/* c */ subsystem s 1; // more\n"
                                  "# 40 \"y.defs\" 1\n" STD "#pragma x\n"},
};

static const struct bad_case bad[] = {
    {"missing_semicolon", "subsystem s 1\nroutine", "t.defs:2:1: error: expected ';'"},
    {"unknown_type", "subsystem s 1;\nroutine r(p: nope);",
     "t.defs:2:14: error: unknown type 'nope'"},
    {"routine_before_subsystem", "type a = MACH_MSG_TYPE_CHAR;\nroutine r(p: a);",
     "t.defs:2:1: error: the subsystem statement must come before 'routine'"},
    {"no_subsystem", "", "error: no subsystem statement"},
    {"two_subsystems", "subsystem a 1; subsystem b 2;", "only one subsystem statement"},
    {"duplicate_type", "subsystem s 1;" STD "type int = MACH_MSG_TYPE_CHAR;",
     "t.defs:4:6: error: type 'int' is already defined"},
    {"duplicate_routine",
     "subsystem s 1;" STD "routine r(p: mach_port_t);\nroutine r(p: mach_port_t);",
     "t.defs:5:9: error: routine 'r' is already defined"},
    {"simpleroutine_out", "subsystem s 1;" STD "simpleroutine r(p: mach_port_t; out x: int);",
     "a simpleroutine has no reply"},
    {"inout_unbounded", "subsystem s 1;" STD "routine r(p: mach_port_t; inout x: array[] of int);",
     "inout is not supported for unbounded"},
    {"dealloc_on_scalar", "subsystem s 1;" STD "routine r(p: mach_port_t; x: int, dealloc);",
     "dealloc applies only to out-of-line arrays"},
    {"countinout_on_in",
     "subsystem s 1;" STD "routine r(p: mach_port_t; x: array[*:4] of int, countinout);",
     "countinout applies only"},
    {"servercopy_on_out",
     "subsystem s 1;" STD "routine r(p: mach_port_t; out x: array[] of int, servercopy);",
     "servercopy applies only"},
    {"zero_array", "subsystem s 1;" STD "type a = array[0] of int;",
     "t.defs:4:16: error: an array size must be positive"},
    {"c_string_unsized", "subsystem s 1;\ntype a = c_string[];", "a c_string needs a size"},
    {"caret_on_scalar", "subsystem s 1;" STD "type a = ^int;", "'^' applies only to arrays"},
    {"unknown_flag", "subsystem s 1;" STD "routine r(p: mach_port_t; x: int, sometimes);",
     "unknown argument flag 'sometimes'"},
    {"stray_character", "subsystem s 1;\ntype @", "t.defs:2:6: error: stray '@' in input"},
    {"unterminated_comment", "subsystem s 1; /* open", "t.defs:1:16: error: unterminated comment"},
    {"unterminated_string", "subsystem s 1; import \"abc\n;", "missing terminating \" character"},
    {"polymorphic_array", "subsystem s 1;\ntype a = array[] of polymorphic;",
     "arrays of polymorphic ports are not supported"},
    {"division_by_zero", "subsystem s 1;" STD "type a = array[4/0] of int;", "division by zero"},
    {"first_argument_out", "subsystem s 1;" STD "routine r(out x: int);",
     "the first argument of 'r' must be its request port"},
    {"request_port_not_port", "subsystem s 1;" STD "routine r(p: int);",
     "a header port must be a port type"},
    {"duplicate_argument", "subsystem s 1;" STD "routine r(p: mach_port_t; x: int; x: int);",
     "argument 'x' is declared twice"},
    {"struct_of_ports", "subsystem s 1;" STD "type s2 = struct { mach_port_t p; };",
     "struct member 'p' must be fixed-size data"},
    {"odd_bit_size", "subsystem s 1;\ntype a = (MACH_MSG_TYPE_INTEGER_32, 12);",
     "unsupported size of 12 bits"},
    {"obsolete_procedure", "subsystem s 1;\nprocedure p();", "'procedure' is obsolete"},
    {"unknown_statement", "subsystem s 1;\nroutines r();",
     "t.defs:2:1: error: unknown statement 'routines'"},
    {"line_marker_position", "subsystem s 1;\n# 7 \"inner.defs\" 1\n\ntype x = nope;",
     "inner.defs:8:10: error: unknown type 'nope'"},
    {"number_too_large", "subsystem s 1;" STD "type a = array[99999999999] of int;", "bad number"},
    {"product_too_large", "subsystem s 1;" STD "type a = array[65536*65536] of int;",
     "number too large"},
    {"port_and_data_pair",
     "subsystem s 1;\ntype a = MACH_MSG_TYPE_COPY_SEND | MACH_MSG_TYPE_INTEGER_32;",
     "a port in one direction and data in the other"},
    {"missing_of", "subsystem s 1;" STD "type a = array[4] int;", "expected 'of'"},
    {"annotation_garbage", "subsystem s 1;" STD "type a = int bogus;",
     "expected ';' or an annotation"},
};

static void
expect_error(const struct bad_case *c)
{
    struct mig_subsystem ss;

    if (parse(c->src, &ss)) {
        fprintf(stderr, "FAIL %s: no error reported\n", c->name);
        failures++;
    } else if (strstr(diag, c->want) == NULL) {
        fprintf(stderr, "FAIL %s: expected \"%s\", got:\n%s", c->name, c->want, diag);
        failures++;
    } else {
        printf("PASS %s\n", c->name);
    }
}

/* Ids: each routine and each skip takes the next one. */
static void
ids_and_classes(void)
{
    struct mig_subsystem ss;
    const char *src = "subsystem s 100;" STD "routine a(p: mach_port_t); skip; skip;\n"
                      "routine b(p: mach_port_t; x: array[] of int; y: ^array[] of int;\n"
                      "  z: array[*:3] of int; w: array[] of mach_port_t; v: mach_port_t;\n"
                      "  u: c_string[*:9]; t: array[2] of int);";
    const enum mig_class want[] = {CL_NONE,       CL_DYNAMIC, CL_OOL, CL_VAR,
                                   CL_PORT_ARRAY, CL_PORT,    CL_VAR, CL_FIXED};
    int i = 0;
    bool ok;

    ok = parse(src, &ss) && ss.nroutines == 4 && ss.routines->number == 0 &&
         ss.routines->next->number == 3 && ss.base == 100;
    for (struct mig_arg *a = ok ? ss.routines->next->args : NULL; a != NULL; a = a->next, i++)
        ok &= a->cls == want[i];
    if (!ok || i != 8) {
        fprintf(stderr, "FAIL ids_and_classes\n%s", diag);
        failures++;
    } else {
        printf("PASS ids_and_classes\n");
    }
}

/* Independent mistakes are all reported, each at its place. */
static void
recovers_after_errors(void)
{
    struct mig_subsystem ss;
    const char *src = "subsystem s 1;\ntype a = nope;\ntype b = array[0] of a;\n"
                      "routine r(p: nothere);\n";

    parse(src, &ss);
    if (mig_error_count() != 3 || !strstr(diag, "t.defs:2:") || !strstr(diag, "t.defs:4:")) {
        fprintf(stderr, "FAIL recovers_after_errors: %d errors:\n%s", mig_error_count(), diag);
        failures++;
    } else {
        printf("PASS recovers_after_errors\n");
    }
}

int
main(void)
{
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        expect_ok(good[i][0], good[i][1]);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        expect_error(&bad[i]);
    ids_and_classes();
    recovers_after_errors();
    mig_free_all();
    printf("%d failures\n", failures);
    return failures != 0;
}

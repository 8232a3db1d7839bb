/* SPDX-License-Identifier: MIT */
/*
 * fuzz_parser.c: libFuzzer target for the .defs front end and the writers.
 * Any input must end in a parse (and, if it parses, in generated text) or
 * in diagnostics, never in a crash, a sanitizer report or a leak.
 */
#include <stdint.h>
#include <stdio.h>

#include "mig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *sink;
    struct mig_subsystem ss;
    struct mig_out o;

    if (sink == NULL)
        sink = fopen("/dev/null", "w");
    mig_diag_reset(true);
    if (mig_parse((const char *)data, size, "fuzz.defs", &ss)) {
        o.f = sink;
        o.ss = &ss;
        o.defs_file = "fuzz.defs";
        mig_write_user_header(&o);
        mig_write_user(&o, "fuzz.h");
        mig_write_server(&o);
        mig_write_server_header(&o);
    }
    mig_free_all();
    return 0;
}

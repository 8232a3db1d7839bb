/* SPDX-License-Identifier: MIT */
/*
 * C types of loop.defs, the interface the loopback test drives through
 * generated stubs: one routine per kind of argument mig supports.
 */
#ifndef LOOP_TYPES_H
#define LOOP_TYPES_H

#include <stdint.h>
#include <mach/std_types.h>

typedef struct {
    int x;
    int y;
} point_t;

typedef float real_t;
typedef int ints4_t[4];
typedef int *ints_bounded_t;
typedef int *ints_t;
typedef char *bytes_t;
typedef char *ool_bytes_t;
typedef char *ool_fixed_t;
typedef char name_t[32];
typedef char path_t[128];
typedef mach_port_t *ports3_t;
typedef mach_port_t *ports_bounded_t;

/* intran/outtran/destructor targets (loopback.c implements them). */
typedef struct counter {
    int value;
    int refs;
} * counter_t;
counter_t counter_in(int value);
int counter_out(counter_t c);
void counter_done(counter_t c);

typedef struct obj {
    mach_port_t port;
    int refs;
} * obj_t;
obj_t obj_lookup(mach_port_t port);
void obj_release(obj_t obj);

#endif /* LOOP_TYPES_H */

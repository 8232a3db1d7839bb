/* SPDX-License-Identifier: MIT */
/*
 * loop_impl.h: what the loopback server implementations (loop_impl.c)
 * record about their last call, for loopback.c to check.
 */
#ifndef LOOP_IMPL_H
#define LOOP_IMPL_H

#include <stdbool.h>

#include "loop_types.h"

struct loop_state {
    int calls;
    kern_return_t result; /* what the next implementation returns */
    mach_port_t ports[8]; /* rights the implementation received */
    mach_msg_type_name_t poly;
    mach_msg_type_name_t out_poly; /* disposition `poly` answers with */
    mach_port_t out_port;          /* right `poly` / `ports` answer with */
    mach_port_t stashed_reply;     /* `later`: the reply right kept for later */
    int stashed_value;
    int n; /* elements to return */
    int ival;
    mach_port_seqno_t seqno;
    boolean_t scopy;
    int counters_live;
    int objs_live;
    bool keep; /* keep received rights and memory instead of releasing them */
};

extern struct loop_state loop_state;
void loop_after_server(void);

#endif /* LOOP_IMPL_H */

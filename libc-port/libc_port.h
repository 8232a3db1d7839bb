/* SPDX-License-Identifier: MIT */
/*
 * Declarations shared by the files of libc-port's Mach runtime: entry points
 * that crt0 and libmach call, which no public header declares.
 */
#ifndef _LIBC_PORT_H_
#define _LIBC_PORT_H_

#include <quay/tcb.h>

/* crt0.S: set up TLS, libmach and newlib before main(). */
void __libc_port_init(long *sp);

/* reent.c: give a new thread its own newlib state, and take it back.
 * libmach's quay_thread_create()/quay_thread_join() call these (weak). */
int __libc_port_thread_setup(struct quay_tcb *tcb);
void __libc_port_thread_teardown(struct quay_tcb *tcb);

#endif /* _LIBC_PORT_H_ */

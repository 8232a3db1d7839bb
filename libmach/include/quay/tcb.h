/* SPDX-License-Identifier: MIT */
/*
 * The thread control block: what each thread of a Quay task keeps for
 * itself, found through the %fs segment base.
 *
 * Layout of a thread's static TLS area (the x86-64 ELF "variant II"):
 *
 *     lower addresses                                      higher
 *     [ .tdata image | .tbss zeroes ][ struct quay_tcb ]
 *                                    ^ %fs base = tcb_self
 *
 * %fs:0 holds the TCB's own address, as the ELF TLS ABI requires, so
 * compiler-generated `__thread` accesses and quay_tcb() agree.  The block is
 * set up by mach_init() for the first thread and by quay_thread_create() for
 * the others (libmach/tls.c), and installed with quay_thread_set_tls().
 */
#ifndef _QUAY_TCB_H_
#define _QUAY_TCB_H_

#include <stddef.h>
#include <stdint.h>
#include <mach/port.h>

struct quay_thread;

struct quay_tcb {
    struct quay_tcb *tcb_self;      /* %fs:0; must stay the first field */
    mach_port_t tcb_reply_port;     /* the MIG reply port, or MACH_PORT_NULL */
    void *tcb_reent;                /* newlib's struct _reent for this thread */
    struct quay_thread *tcb_thread; /* threads library record; NULL for the first thread */
    void *tcb_block;                /* start of the allocation holding TLS area and TCB */
};

/* The calling thread's TCB. */
static inline struct quay_tcb *
quay_tcb(void)
{
    struct quay_tcb *tcb;
    __asm__("movq %%fs:0, %0" : "=r"(tcb));
    return tcb;
}

/* Bytes needed for a thread's TLS area plus TCB, including alignment slack. */
size_t quay_tls_block_size(void);

/* Lay out the TLS area and TCB in BLOCK (quay_tls_block_size() bytes, any
 * alignment): copy the .tdata image, zero the .tbss part and the TCB, set
 * tcb_self and tcb_block.  Returns the TCB. */
struct quay_tcb *quay_tls_init(void *block);

#endif /* _QUAY_TCB_H_ */

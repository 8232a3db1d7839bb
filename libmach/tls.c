/* SPDX-License-Identifier: MIT */
/*
 * Static thread-local storage: lays out a thread's TLS area and thread
 * control block (<quay/tcb.h>) from the program's PT_TLS image.
 *
 * The image is described by symbols that libc-port/user.ld defines around
 * .tdata and .tbss.  They are weak here, so a program linked with another
 * script simply has no TLS variables.  The offsets the linker compiled into
 * `__thread` accesses assume the x86-64 rule: the area is
 * round_up(tls_size, tls_align) bytes and ends exactly at the thread pointer,
 * which is tls_align-aligned.
 */
#include <string.h>
#include <quay/tcb.h>

extern char __quay_tdata_start[] __attribute__((weak));
extern char __quay_tdata_size[] __attribute__((weak)); /* absolute symbols: */
extern char __quay_tls_size[] __attribute__((weak));   /* their address is */
extern char __quay_tls_align[] __attribute__((weak));  /* the value         */

static size_t
round_up(size_t x, size_t align)
{
    return (x + align - 1) & ~(align - 1);
}

/* The alignment of the thread pointer: the TLS segment's, at least the TCB's. */
static size_t
tp_align(void)
{
    size_t align = (size_t)__quay_tls_align;
    return align > _Alignof(struct quay_tcb) ? align : _Alignof(struct quay_tcb);
}

/* Bytes between the start of the TLS area and the thread pointer. */
static size_t
tls_area_size(void)
{
    size_t align = (size_t)__quay_tls_align;
    return round_up((size_t)__quay_tls_size, align != 0 ? align : 1);
}

size_t
quay_tls_block_size(void)
{
    return tp_align() - 1 + tls_area_size() + sizeof(struct quay_tcb);
}

struct quay_tcb *
quay_tls_init(void *block)
{
    size_t area = tls_area_size(), tdata = (size_t)__quay_tdata_size;
    uintptr_t tp = round_up((uintptr_t)block + area, tp_align());
    char *start = (char *)(tp - area);
    struct quay_tcb *tcb = (struct quay_tcb *)tp;

    if (tdata != 0)
        memcpy(start, __quay_tdata_start, tdata);
    memset(start + tdata, 0, area - tdata);
    memset(tcb, 0, sizeof(*tcb));
    tcb->tcb_self = tcb;
    tcb->tcb_block = block;
    return tcb;
}

/* SPDX-License-Identifier: MIT */
/*
 * transport.h: an in-process stand-in for the Mach kernel, for host tests
 * of generated stubs.  It implements mach_msg() (send, receive, and a
 * server loop run synchronously when a message reaches a served port),
 * a toy port name space that counts rights, and vm_allocate/vm_deallocate
 * over malloc that track every region, so tests can assert that nothing
 * leaked and nothing was freed twice.
 */
#ifndef MIG_TEST_TRANSPORT_H
#define MIG_TEST_TRANSPORT_H

#include <stdbool.h>
#include <mach/message.h>
#include <mach/mig_errors.h>
#include <mach/mig_support.h>

typedef boolean_t (*tp_demux_t)(mach_msg_header_t *in, mach_msg_header_t *out);

/* Rights a name denotes. */
struct tp_rights {
    unsigned send;      /* user references of the send right */
    unsigned send_once; /* send-once rights */
    bool receive;
};

void tp_reset(void);
mach_port_t tp_port_new(void);           /* a new port, receive right only */
void tp_port_add_send(mach_port_t name); /* +1 send right */
struct tp_rights tp_rights(mach_port_t name);
void tp_serve(mach_port_t port, tp_demux_t demux, mach_msg_size_t max_request,
              mach_msg_size_t max_reply);
void tp_set_after_server(void (*hook)(void));
void tp_set_quiet(bool quiet);

/* Test verdicts: errors the transport found (double frees, bad rights ...). */
int tp_errors(void);
int tp_live_regions(void);
size_t tp_live_bytes(void);
bool tp_is_region(const void *addr);
mach_msg_option_t tp_last_option(void);
mach_msg_timeout_t tp_last_timeout(void);
int tp_queued(mach_port_t name);
mach_port_t tp_reply_port_in_use(void);

#endif /* MIG_TEST_TRANSPORT_H */

/* SPDX-License-Identifier: MIT */
/*
 * The per-thread MIG reply port (<mach/mig_support.h>).
 *
 * A MIG user stub sends its request with a send-once right made from the
 * calling thread's reply port and receives the answer on it.  The port is
 * created on first use and kept in the thread's TCB for the next call, so an
 * RPC costs no port allocation.  When a stub's receive fails part-way (for
 * example MACH_RCV_INTERRUPTED with MACH_RCV_INTERRUPT set), a late reply
 * could still arrive on the port and be taken for the next call's answer;
 * the stub then calls mig_dealloc_reply_port() and the next call gets a
 * fresh port.
 */
#include <mach/mach.h>
#include <quay/tcb.h>

/* The calling thread's reply port, created if it has none yet.  Returns
 * MACH_PORT_NULL if no port could be created (the RPC then fails with
 * MACH_SEND_INVALID_REPLY or MACH_RCV_INVALID_NAME). */
mach_port_t
mig_get_reply_port(void)
{
    struct quay_tcb *tcb = quay_tcb();

    if (tcb->tcb_reply_port == MACH_PORT_NULL)
        tcb->tcb_reply_port = mach_reply_port();
    return tcb->tcb_reply_port;
}

/*
 * Destroy REPLY_PORT (the receive right) and, if it is the thread's reply
 * port, forget it so the next RPC creates a new one.  The thread's port is
 * forgotten before the destroying RPC runs, because that RPC needs a reply
 * port of its own.
 */
void
mig_dealloc_reply_port(mach_port_t reply_port)
{
    struct quay_tcb *tcb = quay_tcb();

    if (tcb->tcb_reply_port == reply_port)
        tcb->tcb_reply_port = MACH_PORT_NULL;
    if (MACH_PORT_VALID(reply_port))
        (void)mach_port_mod_refs(mach_task_self(), reply_port, MACH_PORT_RIGHT_RECEIVE, -1);
}

/* Called by stubs after a successful call; the port stays with the thread. */
void
mig_put_reply_port(mach_port_t reply_port)
{
    (void)reply_port;
}

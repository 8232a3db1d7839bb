// SPDX-License-Identifier: MIT
//
// mach_msg's two halves, usable with any space (mach_msg_send_kmsg,
// mach_msg_receive_kmsg), the same call on kernel buffers for ktests and
// kernel code acting for a task (mach_msg_kernel_buffers), and the calls
// the kernel uses to send its own kernel-layout messages: notifications,
// replies, mig KernelUser stubs (mach_msg_send_from_kernel,
// mach_msg_rpc_from_kernel), with mach_msg_destroy and
// mig_kernel_release_right for KernelServer stubs.  The trap itself is in
// mach_traps.c.

#include <ipc/mach_msg.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_space.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_defer.h>
#include <ipc/mach_msg_fast.h>
#include <ipc/ipc_thread.h>
#include <kern/thread.h>
#include <kern/assert.h>
#include <lib/string.h>

#define SEND_OPTIONS (MACH_SEND_TIMEOUT | MACH_SEND_INTERRUPT | MACH_SEND_ALWAYS)

/*
 * Purpose: the send half of mach_msg: copy in a message got with
 *     ipc_kmsg_get*, then send it.
 * Conditions: no IPC locks held; may block (full queue).  Consumes the kmsg,
 *     except that a send that timed out or was interrupted after the copyin
 *     returns it in *unsentp, its rights given back to `space` and its
 *     contents in user layout, for the caller to return to the sender
 *     (ipc_kmsg_put / ipc_kmsg_put_to_kernel) or free.
 * Returns: MACH_MSG_SUCCESS, a copyin error (ipc_kmsg_copyin),
 *     MACH_SEND_TIMED_OUT, MACH_SEND_INTERRUPTED.
 */
mach_msg_return_t
mach_msg_send_kmsg(struct ipc_kmsg *kmsg, struct ipc_space *space, struct vm_map *map,
                   mach_msg_option_t option, mach_msg_timeout_t timeout, struct ipc_kmsg **unsentp)
{
    mach_msg_return_t mr = ipc_kmsg_copyin(kmsg, space, map);

    *unsentp = NULL;
    if (mr != MACH_MSG_SUCCESS) {
        ipc_kmsg_free(kmsg);
        return mr;
    }
    mr = ipc_kmsg_send(kmsg, option & SEND_OPTIONS, timeout);
    if (mr == MACH_SEND_TIMED_OUT || mr == MACH_SEND_INTERRUPTED) {
        ipc_kmsg_copyout_pseudo(kmsg, space, map);
        *unsentp = kmsg;
    }
    ipc_defer_run();
    return mr;
}

/*
 * Purpose: the receive half of mach_msg: take a message from the port or
 *     set `name` and copy it out into `space` / `map`.
 * Conditions: no IPC locks held; may block.
 * Returns: as ipc_mqueue_receive and ipc_kmsg_copyout; *kmsgp (user layout,
 *     for ipc_kmsg_put*) whenever a message was delivered -- also with
 *     MACH_RCV_HEADER_ERROR / MACH_RCV_BODY_ERROR.  MACH_RCV_TOO_LARGE sets
 *     *neededp (the rcv_size that would do); the message stays queued with
 *     MACH_RCV_LARGE and is destroyed without.  MACH_RCV_INVALID_TRAILER
 *     for a trailer type other than format 0.  With `ho` (NULL if none),
 *     the receive of a fast-path send: see ipc_mqueue_receive.
 */
mach_msg_return_t
mach_msg_receive_kmsg(struct ipc_space *space, struct vm_map *map, mach_port_name_t name,
                      mach_msg_option_t option, mach_msg_size_t rcv_size,
                      mach_msg_timeout_t timeout, struct ipc_kmsg **kmsgp, mach_msg_size_t *neededp,
                      struct ipc_handoff *ho)
{
    struct ipc_rcv_result res;
    mach_msg_return_t mr;

    *kmsgp = NULL;
    if (((uint32_t)option >> 28) != MACH_MSG_TRAILER_FORMAT_0)
        return MACH_RCV_INVALID_TRAILER;
    mr = ipc_mqueue_receive(space, name, option, rcv_size, timeout, &res, ho);
    if (mr == MACH_RCV_TOO_LARGE) {
        *neededp = res.rr_needed;
        if (res.rr_kmsg != NULL)
            ipc_kmsg_destroy(res.rr_kmsg);
        ipc_defer_run();
        return mr;
    }
    if (mr != MACH_MSG_SUCCESS)
        return mr;
    mr = ipc_kmsg_copyout(res.rr_kmsg, space, map);
    *kmsgp = res.rr_kmsg;
    ipc_defer_run();
    return mr;
}

/*
 * Purpose: mach_msg on kernel buffers: `msg` is a user-layout message in
 *     kernel memory, sent from and/or received into `space`; out-of-line
 *     memory is kernel memory (received regions are kernel buffers to free
 *     with ipc_ool_discard).  For ktests and kernel code acting for a task.
 * Conditions: no IPC locks held; may block.
 * Returns: as mach_msg: the send result if the send failed, else the
 *     receive result.  MACH_RCV_TOO_LARGE with MACH_RCV_LARGE writes the
 *     needed size into msg's msgh_size.
 */
mach_msg_return_t
mach_msg_kernel_buffers(struct ipc_space *space, void *msg, mach_msg_option_t option,
                        mach_msg_size_t send_size, mach_msg_size_t rcv_size,
                        mach_port_name_t rcv_name, mach_msg_timeout_t timeout)
{
    struct ipc_handoff ho = {0}, *hop = mach_msg_fast_wanted(option) ? &ho : NULL;
    struct ipc_kmsg *kmsg, *unsent;
    mach_msg_size_t needed = 0;
    mach_msg_return_t mr;

    if (option & MACH_SEND_MSG) {
        if ((mr = ipc_kmsg_get_from_kernel(msg, send_size, &kmsg)) != MACH_MSG_SUCCESS)
            return mr;
        if (hop != NULL)
            mr = mach_msg_send_kmsg_fast(kmsg, space, NULL, option, timeout, &unsent, hop);
        else
            mr = mach_msg_send_kmsg(kmsg, space, NULL, option, timeout, &unsent);
        if (unsent != NULL && ipc_kmsg_put_to_kernel(msg, send_size, unsent, 0) != MACH_MSG_SUCCESS)
            ipc_kmsg_free(unsent); /* cannot happen: it came from send_size bytes */
        if (mr != MACH_MSG_SUCCESS)
            return mr;
    }
    if (!(option & MACH_RCV_MSG))
        return MACH_MSG_SUCCESS;
    mr = mach_msg_receive_kmsg(space, NULL, rcv_name, option, rcv_size, timeout, &kmsg, &needed,
                               hop);
    ipc_mqueue_handoff_finish(&ho);
    if (mr == MACH_RCV_TOO_LARGE && (option & MACH_RCV_LARGE))
        ((struct ipc_user_header *)msg)->uh_size = needed;
    if (kmsg != NULL && ipc_kmsg_put_to_kernel(msg, rcv_size, kmsg, option) != MACH_MSG_SUCCESS)
        panic("mach_msg_kernel_buffers: a message that fit no longer fits");
    return mr;
}

/*
 * Purpose: send a message the kernel built in kernel layout (port pointers
 *     with dispositions, see ipc_kmsg_copyin_from_kernel), never blocking:
 *     queue limits do not apply to the kernel.  For notifications, kernel
 *     replies and mig KernelUser stubs.
 * Conditions: no IPC locks held.  `size` is the kernel-layout size.
 * Returns: MACH_MSG_SUCCESS (rights and out-of-line regions consumed; a
 *     message to a dead port is destroyed, as for users);
 *     MACH_SEND_INVALID_DEST (no destination; rights consumed);
 *     MACH_SEND_MSG_TOO_SMALL; MACH_SEND_NO_BUFFER (nothing consumed).
 */
mach_msg_return_t
mach_msg_send_from_kernel(mach_msg_header_t *msg, mach_msg_size_t size)
{
    struct ipc_kmsg *kmsg;
    mach_msg_return_t mr;

    if (size < sizeof(mach_msg_header_t) || (size & 3) != 0)
        return MACH_SEND_MSG_TOO_SMALL;
    if ((kmsg = ipc_kmsg_alloc(size)) == NULL)
        return MACH_SEND_NO_BUFFER;
    memcpy(ikm_header(kmsg), msg, size);
    ikm_header(kmsg)->msgh_size = size;
    if ((mr = ipc_kmsg_copyin_from_kernel(kmsg)) != MACH_MSG_SUCCESS) {
        ipc_kmsg_free(kmsg);
        return mr;
    }
    mr = ipc_kmsg_send(kmsg, MACH_SEND_ALWAYS, 0);
    ipc_defer_run();
    return mr;
}

/*
 * Purpose: receive on a port whose receive right the kernel holds, into a
 *     kernel-layout buffer of rcv_size bytes: the header comes swapped
 *     (remote = reply right, now the caller's), every right as a port
 *     pointer the caller owns.  `timeout` is in ms; MACH_MSG_TIMEOUT_NONE
 *     waits for ever.
 * Conditions: no IPC locks held; may block (interruptibly: an aborted
 *     thread gets MACH_RCV_INTERRUPTED).
 * Returns: MACH_MSG_SUCCESS; MACH_RCV_TOO_LARGE (the message is destroyed);
 *     MACH_RCV_TIMED_OUT; MACH_RCV_INTERRUPTED; MACH_RCV_PORT_DIED;
 *     MACH_RCV_BODY_ERROR | MACH_MSG_VM_SPACE (received, but an
 *     out-of-line region could not be made a kernel buffer: address NULL).
 */
mach_msg_return_t
mach_msg_receive_from_kernel(struct ipc_port *port, mach_msg_header_t *msg,
                             mach_msg_size_t rcv_size, mach_msg_timeout_t timeout)
{
    mach_msg_option_t option = timeout != MACH_MSG_TIMEOUT_NONE ? MACH_RCV_TIMEOUT : 0;
    struct ipc_rcv_result res;
    mach_msg_return_t mr;

    if (rcv_size < sizeof(mach_msg_header_t))
        return MACH_RCV_TOO_LARGE;
    mr = ipc_mqueue_receive_port(port, option, rcv_size - IKM_HEADER_DELTA, timeout, &res);
    if (res.rr_kmsg != NULL && mr == MACH_MSG_SUCCESS) {
        mr = ipc_kmsg_copyout_to_kernel(res.rr_kmsg);
        memcpy(msg, ikm_header(res.rr_kmsg), ikm_header(res.rr_kmsg)->msgh_size);
        ipc_kmsg_free(res.rr_kmsg);
    } else if (res.rr_kmsg != NULL) {
        ipc_kmsg_destroy(res.rr_kmsg);
    }
    ipc_defer_run();
    return mr;
}

// The calling thread's kernel reply port, made on first use; a temporary
// one (*temp) when there is no thread structure yet.
static struct ipc_port *
rpc_reply_port(bool *temp)
{
    struct thread *self = current_thread();
    struct ipc_port *port;

    *temp = self == NULL;
    if (self != NULL && self->ith.ith_rpc_reply != NULL)
        return self->ith.ith_rpc_reply;
    port = ipc_port_alloc_special(ipc_space_kernel);
    if (port != NULL && self != NULL)
        self->ith.ith_rpc_reply = port;
    return port;
}

// Forgets the thread's kernel reply port and destroys it (the next RPC
// makes a new one).
static void
rpc_reply_port_drop(struct thread *self)
{
    struct ipc_port *port;

    spin_lock(&self->ith.ith_lock);
    port = self->ith.ith_rpc_reply;
    self->ith.ith_rpc_reply = IP_NULL;
    spin_unlock(&self->ith.ith_lock);
    if (port != IP_NULL) {
        ipc_port_dealloc_special(port);
        ipc_defer_run();
    }
}

/*
 * Purpose: a kernel-to-user RPC for mig KernelUser stubs: send `msg`
 *     (kernel layout, send_size bytes) with a send-once right to the
 *     calling thread's kernel reply port, then wait for the reply and put
 *     it in `msg` (rcv_size bytes, kernel layout, header swapped).
 * Conditions: no IPC locks held; blocks until the reply comes (an
 *     aborted thread gets MACH_RCV_INTERRUPTED).
 * Returns: as mach_msg_send_from_kernel, then as
 *     mach_msg_receive_from_kernel; MACH_SEND_NO_BUFFER when no reply port
 *     could be made.
 */
mach_msg_return_t
mach_msg_rpc_from_kernel(mach_msg_header_t *msg, mach_msg_size_t send_size,
                         mach_msg_size_t rcv_size)
{
    bool temp;
    struct ipc_port *reply = rpc_reply_port(&temp);
    mach_msg_return_t mr;

    if (reply == NULL)
        return MACH_SEND_NO_BUFFER;
    msg->msgh_local_port = reply;
    msg->msgh_bits = (msg->msgh_bits & ~(mach_msg_bits_t)MACH_MSGH_BITS_LOCAL_MASK) |
                     MACH_MSGH_BITS(0, MACH_MSG_TYPE_MAKE_SEND_ONCE);
    mr = mach_msg_send_from_kernel(msg, send_size);
    if (mr == MACH_MSG_SUCCESS) {
        mr = mach_msg_receive_from_kernel(reply, msg, rcv_size, MACH_MSG_TIMEOUT_NONE);
        // Interrupted (or a reply too large): the server may still answer.
        // A later RPC must not take that answer for its own, so the reply
        // port goes and a late answer finds it dead.
        if (mr != MACH_MSG_SUCCESS && !temp)
            rpc_reply_port_drop(current_thread());
    }
    if (temp) {
        ipc_port_dealloc_special(reply);
        ipc_defer_run();
    }
    return mr;
}

/*
 * Purpose: release everything a received kernel-form message holds: the
 *     reply right (msgh_remote_port) and every descriptor's rights and
 *     regions.  msgh_local_port holds no right.  For KernelServer stubs.
 * Conditions: no port lock held.
 */
void
mach_msg_destroy(mach_msg_header_t *msg)
{
    ipc_kmsg_destroy_right(msg->msgh_remote_port, MACH_MSGH_BITS_REMOTE(msg->msgh_bits));
    msg->msgh_remote_port = IP_NULL;
    ipc_kmsg_clean_body(msg, true);
}

/*
 * Purpose: release a right a KernelServer stub received but only used
 *     through its translation (disposition = its received type).
 * Conditions: no port lock held.
 */
void
mig_kernel_release_right(mach_port_t port, mach_msg_type_name_t disposition)
{
    ipc_kmsg_destroy_right(port, disposition);
}

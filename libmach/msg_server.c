/* SPDX-License-Identifier: MIT */
/*
 * mach_msg_server() and mach_msg_server_once(): the receive loop of a MIG
 * server (GNU signatures).
 *
 * The loop receives a request on RCV_NAME (a receive right or a port set),
 * hands it to DEMUX (a mig-generated <subsystem>_server(), or a function
 * that tries several), and sends the reply DEMUX built.  Ownership follows
 * docs/mig.md: the generated stubs have already destroyed a request they
 * answer with an error, and keep it when the routine returns MIG_NO_REPLY
 * (it will reply later), so the loop never destroys a request.  It sends the
 * reply unless its RetCode is MIG_NO_REPLY or there is no reply port (a
 * simpleroutine).  Replies go out with the receive of the next request in one
 * mach_msg call, the RPC fast path.
 *
 * A reply to a send right (not send-once) is sent with a zero send timeout,
 * so a client that stops receiving cannot block the server.  A reply that
 * cannot be delivered (MACH_SEND_INVALID_DEST, MACH_SEND_TIMED_OUT: the
 * client died or its queue is full) is destroyed, with the rights it held.
 */
#include <stdlib.h>

#include <mach/mach.h>

/* Decide whether REPLY is to be sent; destroy it if it is not. */
static boolean_t
reply_wanted(mach_msg_header_t *reply)
{
    mig_reply_error_t *r = (mig_reply_error_t *)reply;

    if ((reply->msgh_bits & MACH_MSGH_BITS_COMPLEX) == 0 && r->RetCode == MIG_NO_REPLY)
        return FALSE;
    if (reply->msgh_remote_port == MACH_PORT_NULL) {
        if (reply->msgh_bits & MACH_MSGH_BITS_COMPLEX)
            mach_msg_destroy(reply);
        return FALSE;
    }
    return TRUE;
}

/* The send options for REPLY: a zero timeout unless it goes to a send-once right. */
static mach_msg_option_t
reply_options(const mach_msg_header_t *reply)
{
    if (MACH_MSGH_BITS_REMOTE(reply->msgh_bits) == MACH_MSG_TYPE_MOVE_SEND_ONCE)
        return MACH_SEND_MSG;
    return MACH_SEND_MSG | MACH_SEND_TIMEOUT;
}

/* After a failed send of REPLY: destroy it if the kernel handed it back. */
static void
reply_failed(mach_msg_header_t *reply, mach_msg_return_t mr)
{
    if (mr == MACH_SEND_INVALID_DEST || mr == MACH_SEND_TIMED_OUT)
        mach_msg_destroy(reply);
}

/*
 * Serve requests on RCV_NAME until a receive fails, or with MACH_RCV_TIMEOUT
 * in OPTIONS until TIMEOUT ms pass without a request.  MAX_SIZE bounds both
 * messages (use the generated <subsystem>_max_size / mig buffer sizes);
 * OPTIONS may add MACH_RCV_* options (trailers, MACH_RCV_TIMEOUT ...);
 * MACH_RCV_LARGE is ignored, since a request left queued would come back
 * forever.
 * Returns the mach_msg() error that ended the loop (MACH_RCV_TIMED_OUT,
 * MACH_RCV_INVALID_NAME when the port is destroyed, ...), or
 * KERN_RESOURCE_SHORTAGE if the buffers cannot be allocated.  A request too
 * large for the buffer is destroyed by the kernel (MACH_RCV_TOO_LARGE) and
 * the loop goes on.
 */
mach_msg_return_t
mach_msg_server_timeout(boolean_t (*demux)(mach_msg_header_t *, mach_msg_header_t *),
                        mach_msg_size_t max_size, mach_port_t rcv_name, mach_msg_option_t options,
                        mach_msg_timeout_t timeout)
{
    mach_msg_size_t size = max_size + MAX_TRAILER_SIZE;
    mach_msg_header_t *request = malloc(size), *reply = malloc(size);
    mach_msg_option_t rcv = MACH_RCV_MSG | (options & ~(MACH_SEND_MSG | MACH_RCV_LARGE));
    mach_msg_return_t mr;

    if (request == NULL || reply == NULL) {
        free(request);
        free(reply);
        return KERN_RESOURCE_SHORTAGE;
    }
    mr = mach_msg(request, rcv, 0, size, rcv_name, timeout, MACH_PORT_NULL);
    for (;;) {
        if (mr == MACH_RCV_TOO_LARGE) {
            mr = mach_msg(request, rcv, 0, size, rcv_name, timeout, MACH_PORT_NULL);
            continue;
        }
        if (mr != MACH_MSG_SUCCESS)
            break;
        (void)demux(request, reply);
        if (!reply_wanted(reply)) {
            mr = mach_msg(request, rcv, 0, size, rcv_name, timeout, MACH_PORT_NULL);
            continue;
        }
        /* Send the reply and wait for the next request, into the reply buffer. */
        mr = mach_msg(reply, reply_options(reply) | rcv, reply->msgh_size, size, rcv_name, timeout,
                      MACH_PORT_NULL);
        if (mr != MACH_MSG_SUCCESS && !MACH_MSG_IS_RCV_ERROR(mr)) {
            reply_failed(reply, mr);
            mr = mach_msg(request, rcv, 0, size, rcv_name, timeout, MACH_PORT_NULL);
            continue;
        }
        /* The new request arrived in `reply`: swap the buffers. */
        mach_msg_header_t *t = request;
        request = reply;
        reply = t;
    }
    free(request);
    free(reply);
    return mr;
}

/* mach_msg_server_timeout() without a timeout: serves until a receive fails. */
mach_msg_return_t
mach_msg_server(boolean_t (*demux)(mach_msg_header_t *, mach_msg_header_t *),
                mach_msg_size_t max_size, mach_port_t rcv_name, mach_msg_option_t options)
{
    return mach_msg_server_timeout(demux, max_size, rcv_name, options & ~MACH_RCV_TIMEOUT,
                                   MACH_MSG_TIMEOUT_NONE);
}

/*
 * Receive and serve one request, send its reply (if any), and return:
 * MACH_MSG_SUCCESS, the receive error (MACH_RCV_TIMED_OUT with
 * MACH_RCV_TIMEOUT in OPTIONS ...), the send error of the reply (the reply
 * is then destroyed when undeliverable), or KERN_RESOURCE_SHORTAGE.
 * MACH_RCV_TIMEOUT in OPTIONS makes the receive a poll (timeout 0).
 */
mach_msg_return_t
mach_msg_server_once(boolean_t (*demux)(mach_msg_header_t *, mach_msg_header_t *),
                     mach_msg_size_t max_size, mach_port_t rcv_name, mach_msg_option_t options)
{
    mach_msg_size_t size = max_size + MAX_TRAILER_SIZE;
    mach_msg_header_t *request = malloc(size), *reply = malloc(size);
    mach_msg_option_t rcv = MACH_RCV_MSG | (options & ~(MACH_SEND_MSG | MACH_RCV_LARGE));
    mach_msg_return_t mr = KERN_RESOURCE_SHORTAGE;

    if (request == NULL || reply == NULL)
        goto out;
    mr = mach_msg(request, rcv, 0, size, rcv_name, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
    if (mr != MACH_MSG_SUCCESS)
        goto out;
    (void)demux(request, reply);
    if (reply_wanted(reply)) {
        mr = mach_msg(reply, reply_options(reply), reply->msgh_size, 0, MACH_PORT_NULL,
                      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
        if (mr != MACH_MSG_SUCCESS)
            reply_failed(reply, mr);
    }
out:
    free(request);
    free(reply);
    return mr;
}

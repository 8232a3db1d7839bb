/* SPDX-License-Identifier: MIT */
/*
 * mach_msg(): the classic seven-argument call over mach_msg_trap.
 *
 * The trap reports an interrupted send or receive (thread_abort(), a signal
 * delivered by the Unix server ...) as MACH_SEND_INTERRUPTED or
 * MACH_RCV_INTERRUPTED.  Unless the caller asked to see interruptions
 * (MACH_SEND_INTERRUPT, MACH_RCV_INTERRUPT), mach_msg() restarts the part that
 * was interrupted, so ordinary code never sees them.  An interrupted send
 * never reached the queue, so it is redone with the same options; after the
 * send part has succeeded only the receive is restarted.  A restarted
 * receive waits for the full timeout again.
 */
#include <mach/mach.h>

mach_msg_return_t
mach_msg(mach_msg_header_t *msg, mach_msg_option_t option, mach_msg_size_t send_size,
         mach_msg_size_t rcv_size, mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
         mach_port_name_t notify)
{
    mach_msg_return_t mr;

    mr = mach_msg_trap(msg, option, send_size, rcv_size, rcv_name, timeout, notify);
    if (mr == MACH_MSG_SUCCESS)
        return mr;

    if ((option & MACH_SEND_INTERRUPT) == 0) {
        while (mr == MACH_SEND_INTERRUPTED)
            mr = mach_msg_trap(msg, option, send_size, rcv_size, rcv_name, timeout, notify);
    }
    if ((option & MACH_RCV_INTERRUPT) == 0) {
        while (mr == MACH_RCV_INTERRUPTED)
            mr =
                mach_msg_trap(msg, option & ~MACH_SEND_MSG, 0, rcv_size, rcv_name, timeout, notify);
    }
    return mr;
}

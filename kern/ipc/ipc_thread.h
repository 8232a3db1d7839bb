/* SPDX-License-Identifier: MIT
 *
 * A thread's IPC state, embedded in struct thread as `ith` (kern/thread.h).
 * Kept free of other kernel headers' structures so thread.h can include it.
 *
 * The receive fields describe a receive in progress.  While the thread
 * waits in receive it is on its queue's list of waiting receivers
 * (ipc_mqueue.c), and the fields are protected by the lock of the port or
 * set that owns that queue: a sender on the RPC fast path reads them there
 * and hands the message over in ith_kmsg (mach_msg_fast.c).  Otherwise they
 * are the thread's own.  The port fields are protected by ith_lock.
 * ipc_tt.c sets them up.
 */
#ifndef _IPC_IPC_THREAD_H_
#define _IPC_IPC_THREAD_H_

#include <kern/types.h>
#include <kern/spinlock.h>
#include <mach/message.h>

struct ipc_kmsg;
struct ipc_port;
struct ipc_space;
struct thread;

struct ipc_thread {
    /* Receive in progress; while waiting, protected by the queue owner's
     * lock (see above). */
    struct ipc_kmsg *ith_kmsg;       /* message handed over to this thread */
    mach_msg_option_t ith_option;    /* options of the receive */
    mach_msg_size_t ith_msize;       /* room: user-layout size + trailer it can take */
    mach_msg_return_t ith_state;     /* result of the receive */
    mach_port_seqno_t ith_seqno;     /* sequence number of the message */
    struct ipc_space *ith_rcv_space; /* the space the receive right was named in */
    struct thread *ith_rcv_next;     /* next waiting receiver on the same queue */

    struct spinlock ith_lock; /* rank LOCK_RANK_IPC_ITK */
    /* Protected by ith_lock. */
    struct ipc_port *ith_self;      /* the thread's kernel port (receive right: kernel) */
    struct ipc_port *ith_sself;     /* send right: thread_get_special_port(KERNEL) */
    struct ipc_port *ith_exception; /* send right, or NULL */
    /* Receive right the kernel keeps for mach_msg_rpc_from_kernel (the
     * thread's own; created on first use). */
    struct ipc_port *ith_rpc_reply;
};

#endif

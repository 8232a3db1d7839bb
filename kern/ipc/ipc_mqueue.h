/* SPDX-License-Identifier: MIT
 *
 * Message queues: the FIFO of messages of one port (or of one port set,
 * which holds the messages of all its members) and the rendezvous of the
 * threads that wait to receive from it.  A queue has no lock of its own: it
 * is protected by the lock of the port or set that embeds it.  ipc_mqueue.c.
 */
#ifndef _IPC_IPC_MQUEUE_H_
#define _IPC_IPC_MQUEUE_H_

#include <kern/types.h>
#include <mach/message.h>
#include <kern/sched_prim.h>

struct ipc_kmsg;
struct ipc_port;
struct ipc_pset;
struct ipc_space;
struct thread;

struct ipc_mqueue {
    /* Protected by the lock of the port or set that embeds the queue. */
    struct ipc_kmsg *imq_head; /* oldest message */
    struct ipc_kmsg *imq_tail;
    unsigned imq_receivers;     /* threads waiting (event: the queue's address) */
    struct thread *imq_waiters; /* the same threads, oldest first (ith_rcv_next) */
};

/* A receiver a fast-path sender gave a message to, and will hand the CPU
 * to when it blocks in its own receive (ipc_mqueue_handoff).  The thread is
 * referenced until ipc_mqueue_handoff_finish. */
struct ipc_handoff {
    struct thread *ho_thread; /* NULL: none (any more) */
    event_t ho_event;         /* what it waits on: its queue */
};

/* How one receive went (filled by ipc_mqueue_receive). */
struct ipc_rcv_result {
    struct ipc_kmsg *rr_kmsg;  /* the message, dequeued (NULL if none) */
    mach_msg_size_t rr_needed; /* user-layout size + trailer it needed */
};

void ipc_mqueue_init(struct ipc_mqueue *mq);
void ipc_mqueue_enqueue(struct ipc_mqueue *mq, struct ipc_kmsg *kmsg);
void ipc_mqueue_remove(struct ipc_mqueue *mq, struct ipc_kmsg *kmsg);
struct ipc_kmsg *ipc_mqueue_dequeue_port(struct ipc_mqueue *mq, struct ipc_port *port);
void ipc_mqueue_move_port(struct ipc_mqueue *from, struct ipc_mqueue *to, struct ipc_port *port);

mach_msg_return_t ipc_mqueue_send(struct ipc_kmsg *kmsg, mach_msg_option_t option,
                                  mach_msg_timeout_t timeout);
mach_msg_return_t ipc_mqueue_receive(struct ipc_space *space, mach_port_name_t name,
                                     mach_msg_option_t option, mach_msg_size_t max_size,
                                     mach_msg_timeout_t timeout, struct ipc_rcv_result *res,
                                     struct ipc_handoff *ho);
bool ipc_mqueue_handoff(struct ipc_kmsg *kmsg, struct ipc_handoff *ho);
void ipc_mqueue_handoff_finish(struct ipc_handoff *ho);
mach_msg_return_t ipc_mqueue_receive_port(struct ipc_port *port, mach_msg_option_t option,
                                          mach_msg_size_t max_size, mach_msg_timeout_t timeout,
                                          struct ipc_rcv_result *res);

#endif

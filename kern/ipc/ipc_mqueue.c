// SPDX-License-Identifier: MIT
//
// Message queues (ipc_mqueue.h): queueing a message on its destination,
// with the queue limit and blocked senders, and receiving from a port or a
// port set, with timeouts, RCV_LARGE and interruption.
//
// A message queued for a port goes on the port's own queue, or on its set's
// while it is in one.  Its sequence number is given when it is queued
// (messages of one port are always received in queue order, so this is the
// order of receipt; mach_port_set_seqno renumbers the queued ones).
//
// Interrupted waits return MACH_SEND_INTERRUPTED / MACH_RCV_INTERRUPTED
// whatever the options: the thread must reach the trap boundary to be
// suspended or terminated.  Restarting when the caller did not ask for
// MACH_SEND_INTERRUPT / MACH_RCV_INTERRUPT is the job of libmach's mach_msg()
// (as in GNU Mach); a send is restarted with the rights given back to the
// sender (ipc_kmsg_copyout_pseudo), so nothing is lost in between.
//
// Hand-off (the RPC fast path, mach_msg_fast.c).  A receiver about to wait
// puts itself on its queue's list of waiters with what it can take
// (ith_msize, ith_option).  A fast-path sender that finds the queue empty
// and its oldest waiter able to take the message gives it the message in
// ith_kmsg -- it is never queued -- and later hands it the CPU
// (thread_handoff).  The receiver, woken by that or by anything else,
// looks at ith_kmsg first: a message handed over is its own whatever ended
// the wait (timeout, abort), so a hand-off, once made, is never undone.

#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_space.h>
#include <ipc/ipc_entry.h>
#include <kern/sched_prim.h>
#include <kern/thread.h>
#include <kern/assert.h>

#define NS_PER_MS 1000000ull

/* Initialize an empty queue. */
void
ipc_mqueue_init(struct ipc_mqueue *mq)
{
    mq->imq_head = mq->imq_tail = NULL;
    mq->imq_receivers = 0;
    mq->imq_waiters = NULL;
}

/*
 * Purpose: append a message.
 * Conditions: the queue's owner (port or set) locked.
 */
void
ipc_mqueue_enqueue(struct ipc_mqueue *mq, struct ipc_kmsg *kmsg)
{
    kmsg->ikm_next = NULL;
    kmsg->ikm_prev = mq->imq_tail;
    if (mq->imq_tail != NULL)
        mq->imq_tail->ikm_next = kmsg;
    else
        mq->imq_head = kmsg;
    mq->imq_tail = kmsg;
}

/*
 * Purpose: unlink a message from anywhere in the queue.
 * Conditions: the queue's owner locked; the message is on this queue.
 */
void
ipc_mqueue_remove(struct ipc_mqueue *mq, struct ipc_kmsg *kmsg)
{
    if (kmsg->ikm_prev != NULL)
        kmsg->ikm_prev->ikm_next = kmsg->ikm_next;
    else
        mq->imq_head = kmsg->ikm_next;
    if (kmsg->ikm_next != NULL)
        kmsg->ikm_next->ikm_prev = kmsg->ikm_prev;
    else
        mq->imq_tail = kmsg->ikm_prev;
    kmsg->ikm_next = kmsg->ikm_prev = NULL;
}

/*
 * Purpose: unlink and return the oldest message for `port` (any message
 *     if port is NULL).
 * Conditions: the queue's owner locked.
 * Returns: the message or NULL.
 */
struct ipc_kmsg *
ipc_mqueue_dequeue_port(struct ipc_mqueue *mq, struct ipc_port *port)
{
    for (struct ipc_kmsg *k = mq->imq_head; k != NULL; k = k->ikm_next) {
        if (port == NULL || ikm_header(k)->msgh_remote_port == port) {
            ipc_mqueue_remove(mq, k);
            return k;
        }
    }
    return NULL;
}

/*
 * Purpose: move every message for `port` from one queue to the end of
 *     another, keeping their order (a port joins or leaves a set).
 * Conditions: the owners of both queues locked.
 */
void
ipc_mqueue_move_port(struct ipc_mqueue *from, struct ipc_mqueue *to, struct ipc_port *port)
{
    struct ipc_kmsg *k, *next;

    for (k = from->imq_head; k != NULL; k = next) {
        next = k->ikm_next;
        if (ikm_header(k)->msgh_remote_port == port) {
            ipc_mqueue_remove(from, k);
            ipc_mqueue_enqueue(to, k);
        }
    }
}

// Queues kmsg on port (locked, active), on its set's queue if it has one.
static void
enqueue_locked(struct ipc_port *port, struct ipc_kmsg *kmsg)
{
    struct ipc_pset *pset = port->ip_pset;

    kmsg->ikm_seqno = port->ip_seqno++;
    port->ip_msgcount++;
    if (pset != NULL) {
        spin_lock(&pset->ips_lock);
        ipc_mqueue_enqueue(&pset->ips_messages, kmsg);
        if (pset->ips_messages.imq_receivers != 0)
            thread_wakeup((event_t)&pset->ips_messages);
        spin_unlock(&pset->ips_lock);
    } else {
        ipc_mqueue_enqueue(&port->ip_messages, kmsg);
        if (port->ip_messages.imq_receivers != 0)
            thread_wakeup((event_t)&port->ip_messages);
    }
}

// Waits for room on a full port (locked); returns with it locked.
static mach_msg_return_t
wait_for_room(struct ipc_port *port, mach_msg_option_t option, mach_msg_timeout_t timeout)
{
    wait_result_t wr;

    if ((option & MACH_SEND_TIMEOUT) && timeout == 0)
        return MACH_SEND_TIMED_OUT;
    port->ip_blocked_senders++;
    assert_wait((event_t)&port->ip_qlimit, true);
    if (option & MACH_SEND_TIMEOUT)
        thread_set_timeout(timeout * NS_PER_MS);
    ipc_port_unlock(port);
    wr = thread_block();
    ipc_port_lock(port);
    port->ip_blocked_senders--;
    if (wr == THREAD_TIMED_OUT)
        return MACH_SEND_TIMED_OUT;
    if (wr == THREAD_INTERRUPTED)
        return MACH_SEND_INTERRUPTED;
    return MACH_MSG_SUCCESS;
}

/*
 * Purpose: queue a copied-in message on its destination port.  While the
 *     queue holds ip_qlimit messages or more, the sender waits for room,
 *     unless the message travels on a send-once right or the option has
 *     MACH_SEND_ALWAYS (kernel notifications).  A message whose destination
 *     died is destroyed, and the send counts as done (Mach semantics).
 * Conditions: no IPC locks held; may block.  On MACH_MSG_SUCCESS the
 *     message is consumed; on MACH_SEND_TIMED_OUT or MACH_SEND_INTERRUPTED
 *     it is still the caller's.
 * Returns: MACH_MSG_SUCCESS, MACH_SEND_TIMED_OUT, MACH_SEND_INTERRUPTED.
 */
mach_msg_return_t
ipc_mqueue_send(struct ipc_kmsg *kmsg, mach_msg_option_t option, mach_msg_timeout_t timeout)
{
    mach_msg_header_t *hdr = ikm_header(kmsg);
    struct ipc_port *port = hdr->msgh_remote_port;
    bool sonce = MACH_MSGH_BITS_REMOTE(hdr->msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE;
    mach_msg_return_t mr;

    ipc_port_lock(port);
    for (;;) {
        if (!port->ip_active) {
            ipc_port_unlock(port);
            ipc_kmsg_destroy(kmsg);
            return MACH_MSG_SUCCESS;
        }
        if (sonce || (option & MACH_SEND_ALWAYS) || port->ip_msgcount < port->ip_qlimit)
            break;
        mr = wait_for_room(port, option, timeout);
        if (mr != MACH_MSG_SUCCESS) {
            ipc_port_unlock(port);
            return mr;
        }
    }
    enqueue_locked(port, kmsg);
    ipc_port_unlock(port);
    return MACH_MSG_SUCCESS;
}

// What a receive waits on: a port or a set, as named in `space`.
struct rcv_object {
    struct ipc_space *space;
    struct ipc_port *port;
    struct ipc_pset *pset;
};

static struct spinlock *
obj_lock(struct rcv_object *o)
{
    return o->pset != NULL ? &o->pset->ips_lock : &o->port->ip_lock;
}

static struct ipc_mqueue *
obj_queue(struct rcv_object *o)
{
    return o->pset != NULL ? &o->pset->ips_messages : &o->port->ip_messages;
}

// Is the object still what the receiver named?  Its lock held.
static mach_msg_return_t
obj_check_locked(struct rcv_object *o)
{
    if (o->pset != NULL)
        return o->pset->ips_active ? MACH_MSG_SUCCESS : MACH_RCV_PORT_DIED;
    if (!o->port->ip_active)
        return MACH_RCV_PORT_DIED;
    if (o->port->ip_receiver != o->space || o->port->ip_pset != NULL)
        return MACH_RCV_PORT_CHANGED;
    return MACH_MSG_SUCCESS;
}

// Takes the head message if it fits (or if it does not and RCV_LARGE is
// off: it is then dequeued for destruction).  Lock held.
static mach_msg_return_t
take_head(struct ipc_mqueue *mq, mach_msg_option_t option, mach_msg_size_t max_size,
          struct ipc_rcv_result *res)
{
    struct ipc_kmsg *kmsg = mq->imq_head;
    mach_msg_size_t needed = ipc_kmsg_user_size(kmsg) + ipc_kmsg_trailer_size(option);

    res->rr_needed = needed;
    if (needed > max_size && (option & MACH_RCV_LARGE))
        return MACH_RCV_TOO_LARGE;
    ipc_mqueue_remove(mq, kmsg);
    res->rr_kmsg = kmsg;
    return needed > max_size ? MACH_RCV_TOO_LARGE : MACH_MSG_SUCCESS;
}

// Puts self, waiting to receive `max_size` bytes, at the end of mq's
// waiters.  The owner's lock held.
static void
waiter_add(struct ipc_mqueue *mq, struct thread *self, struct ipc_space *space,
           mach_msg_option_t option, mach_msg_size_t max_size)
{
    struct thread **pp = &mq->imq_waiters;

    self->ith.ith_kmsg = NULL;
    self->ith.ith_option = option;
    self->ith.ith_msize = max_size;
    self->ith.ith_rcv_space = space;
    self->ith.ith_rcv_next = NULL;
    while (*pp != NULL)
        pp = &(*pp)->ith.ith_rcv_next;
    *pp = self;
}

// Takes self off mq's waiters (a sender that handed it a message did).
// The owner's lock held.
static void
waiter_remove(struct ipc_mqueue *mq, struct thread *self)
{
    struct thread **pp = &mq->imq_waiters;

    while (*pp != NULL && *pp != self)
        pp = &(*pp)->ith.ith_rcv_next;
    if (*pp != NULL)
        *pp = self->ith.ith_rcv_next;
    self->ith.ith_rcv_next = NULL;
}

// Blocks until the queue changes or a message is handed over (the thread
// in ho, if any, gets the CPU first).  Lock held on entry and return.
// MACH_MSG_SUCCESS with *handedp when a sender gave self a message.
static mach_msg_return_t
wait_for_message(struct rcv_object *o, mach_msg_option_t option, mach_msg_size_t max_size,
                 mach_msg_timeout_t timeout, struct ipc_handoff *ho, struct ipc_kmsg **handedp)
{
    struct ipc_mqueue *mq = obj_queue(o);
    struct thread *self = current_thread();
    wait_result_t wr;

    mq->imq_receivers++;
    waiter_add(mq, self, o->space, option, max_size);
    assert_wait((event_t)mq, true);
    if (option & MACH_RCV_TIMEOUT)
        thread_set_timeout(timeout * NS_PER_MS);
    spin_unlock(obj_lock(o));
    if (ho != NULL && ho->ho_thread != NULL) {
        struct thread *next = ho->ho_thread;
        ho->ho_thread = NULL;
        wr = thread_handoff(next, ho->ho_event); /* consumes the reference */
    } else {
        wr = thread_block();
    }
    spin_lock(obj_lock(o));
    mq->imq_receivers--;
    *handedp = self->ith.ith_kmsg;
    self->ith.ith_kmsg = NULL;
    if (*handedp != NULL)
        return MACH_MSG_SUCCESS; /* the sender took self off the list */
    waiter_remove(mq, self);
    if (wr == THREAD_INTERRUPTED)
        return MACH_RCV_INTERRUPTED;
    if (wr == THREAD_TIMED_OUT)
        return MACH_RCV_TIMED_OUT;
    return MACH_MSG_SUCCESS;
}

// A message left port's queue (or its set's): one fewer queued, and a
// sender waiting for room may go on.
static void
dequeued(struct ipc_port *port)
{
    ipc_port_lock(port);
    assert(port->ip_msgcount > 0 || !port->ip_active);
    if (port->ip_msgcount > 0)
        port->ip_msgcount--;
    if (port->ip_blocked_senders != 0 && port->ip_msgcount < port->ip_qlimit)
        thread_wakeup((event_t)&port->ip_qlimit);
    ipc_port_unlock(port);
}

// A message handed over by a fast-path sender: it was never queued, so
// nothing is dequeued; its size was checked by the sender.
static void
take_handed(struct ipc_kmsg *kmsg, mach_msg_option_t option, struct ipc_rcv_result *res)
{
    res->rr_kmsg = kmsg;
    res->rr_needed = ipc_kmsg_user_size(kmsg) + ipc_kmsg_trailer_size(option);
}

static mach_msg_return_t
receive_object(struct rcv_object *o, mach_msg_option_t option, mach_msg_size_t max_size,
               mach_msg_timeout_t timeout, struct ipc_rcv_result *res, struct ipc_handoff *ho)
{
    struct ipc_kmsg *handed = NULL;
    mach_msg_return_t mr;
    bool timed_out = false;

    res->rr_kmsg = NULL;
    res->rr_needed = 0;
    spin_lock(obj_lock(o));
    for (;;) {
        if ((mr = obj_check_locked(o)) != MACH_MSG_SUCCESS)
            break;
        if (obj_queue(o)->imq_head != NULL) {
            mr = take_head(obj_queue(o), option, max_size, res);
            break;
        }
        if (timed_out || ((option & MACH_RCV_TIMEOUT) && timeout == 0)) {
            mr = MACH_RCV_TIMED_OUT;
            break;
        }
        mr = wait_for_message(o, option, max_size, timeout, ho, &handed);
        if (handed != NULL) {
            take_handed(handed, option, res);
            break;
        }
        if (mr == MACH_RCV_INTERRUPTED)
            break;
        timed_out = mr == MACH_RCV_TIMED_OUT; /* one more look at the queue */
    }
    spin_unlock(obj_lock(o));
    if (res->rr_kmsg != NULL && handed == NULL)
        dequeued(ikm_header(res->rr_kmsg)->msgh_remote_port);
    return mr;
}

/*
 * Purpose: receive a message on the port or port set `name` denotes in
 *     `space`.  Waits (interruptibly, with the MACH_RCV_TIMEOUT timeout in
 *     ms; 0 polls) while nothing is queued.  `max_size` is what the
 *     receiver can take: user-layout size plus requested trailer.
 * Conditions: no IPC locks held; may block.
 * Returns: MACH_MSG_SUCCESS with res->rr_kmsg (dequeued, still in kernel
 *     form); MACH_RCV_TOO_LARGE with res->rr_needed, and with the message in
 *     res->rr_kmsg to destroy unless MACH_RCV_LARGE left it queued;
 *     MACH_RCV_INVALID_NAME (no receive right or set by that name);
 *     MACH_RCV_IN_SET (the port is in a set); MACH_RCV_TIMED_OUT;
 *     MACH_RCV_INTERRUPTED; MACH_RCV_PORT_DIED; MACH_RCV_PORT_CHANGED (the
 *     receive right moved away or into a set while waiting).
 *     With `ho` (a fast-path sender's receive), the receiver in ho gets
 *     the CPU when this thread first blocks (ho is then cleared); if it
 *     never blocks, ho is left for the caller's ipc_mqueue_handoff_finish.
 */
mach_msg_return_t
ipc_mqueue_receive(struct ipc_space *space, mach_port_name_t name, mach_msg_option_t option,
                   mach_msg_size_t max_size, mach_msg_timeout_t timeout, struct ipc_rcv_result *res,
                   struct ipc_handoff *ho)
{
    struct rcv_object o = {.space = space};
    struct ipc_entry *e;
    mach_msg_return_t mr;

    ipc_space_lock(space);
    e = space->is_active ? ipc_entry_lookup(space, name) : NULL;
    if (e != NULL && (e->ie_bits & MACH_PORT_TYPE_PORT_SET)) {
        o.pset = e->ie_object;
        ipc_pset_reference(o.pset);
    } else if (e != NULL && (e->ie_bits & MACH_PORT_TYPE_RECEIVE)) {
        o.port = e->ie_object;
        ipc_port_reference(o.port);
    }
    ipc_space_unlock(space);
    if (o.pset == NULL && o.port == NULL)
        return MACH_RCV_INVALID_NAME;
    if (o.port != NULL && __atomic_load_n(&o.port->ip_pset, __ATOMIC_RELAXED) != NULL)
        mr = MACH_RCV_IN_SET;
    else
        mr = receive_object(&o, option, max_size, timeout, res, ho);
    if (o.pset != NULL)
        ipc_pset_release(o.pset);
    else
        ipc_port_release(o.port);
    return mr;
}

/*
 * Purpose: receive on a port whose receive right the kernel holds (a
 *     kernel reply port).  As ipc_mqueue_receive otherwise.
 * Conditions: no IPC locks held; may block.  The caller holds a reference.
 */
mach_msg_return_t
ipc_mqueue_receive_port(struct ipc_port *port, mach_msg_option_t option, mach_msg_size_t max_size,
                        mach_msg_timeout_t timeout, struct ipc_rcv_result *res)
{
    struct rcv_object o = {.space = ipc_space_kernel, .port = port};

    return receive_object(&o, option, max_size, timeout, res, NULL);
}

// The receiver a message for `port` may be handed to: the oldest waiter on
// mq, if the queue is empty (nothing to overtake), the waiter still
// receives from where the message goes, and the message fits.  The
// owners' locks held.
static struct thread *
handoff_receiver_locked(struct ipc_port *port, struct ipc_mqueue *mq, struct ipc_kmsg *kmsg)
{
    struct thread *t = mq->imq_waiters;

    if (t == NULL || mq->imq_head != NULL)
        return NULL;
    if (port->ip_pset == NULL && t->ith.ith_rcv_space != port->ip_receiver)
        return NULL; /* the right moved while it waited: the slow path sorts it out */
    if (port->ip_pset != NULL && !port->ip_pset->ips_active)
        return NULL;
    if (ipc_kmsg_user_size(kmsg) + ipc_kmsg_trailer_size(t->ith.ith_option) > t->ith.ith_msize)
        return NULL; /* too large: the slow path gives it MACH_RCV_TOO_LARGE */
    return t;
}

/*
 * Purpose: the fast path's send: give a copied-in message to a thread
 *     already waiting to receive from its destination (or the destination's
 *     set) instead of queueing it.  Checks first, then commits: the message
 *     gets its sequence number and the receiver, taken off the waiters,
 *     gets the message in ith_kmsg; *ho names it (referenced) for the CPU
 *     hand-off.  A port held by the kernel (kernel objects, kernel reply
 *     ports) is never handed to.
 * Conditions: no IPC locks held.  The message is simple (no rights or
 *     memory in its body) and not circular.
 * Returns: true (message consumed, *ho set); false when there is no
 *     suitable receiver -- nothing changed, send it the ordinary way.
 */
bool
ipc_mqueue_handoff(struct ipc_kmsg *kmsg, struct ipc_handoff *ho)
{
    struct ipc_port *port = ikm_header(kmsg)->msgh_remote_port;
    struct ipc_pset *pset;
    struct ipc_mqueue *mq;
    struct thread *t = NULL;

    // An unlocked hint first: a kernel port (a kernel RPC) is never handed
    // to, so skip the lock; the check under the lock below is the real one.
    if (__atomic_load_n(&port->ip_receiver, __ATOMIC_RELAXED) == ipc_space_kernel)
        return false;
    ipc_port_lock(port);
    if (!port->ip_active || port->ip_receiver == ipc_space_kernel || port->ip_receiver == NULL) {
        ipc_port_unlock(port);
        return false;
    }
    pset = port->ip_pset;
    if (pset != NULL)
        spin_lock(&pset->ips_lock);
    mq = pset != NULL ? &pset->ips_messages : &port->ip_messages;
    if ((t = handoff_receiver_locked(port, mq, kmsg)) != NULL) {
        mq->imq_waiters = t->ith.ith_rcv_next;
        t->ith.ith_rcv_next = NULL;
        kmsg->ikm_seqno = port->ip_seqno++;
        t->ith.ith_kmsg = kmsg;
        thread_reference(t); /* it may wake, run and end before the hand-off */
        ho->ho_thread = t;
        ho->ho_event = (event_t)mq;
    }
    if (pset != NULL)
        spin_unlock(&pset->ips_lock);
    ipc_port_unlock(port);
    return t != NULL;
}

/*
 * Purpose: end a hand-off that ipc_mqueue_receive did not use (the sender
 *     did not block): the receiver in ho gets the CPU now and the caller
 *     goes on later; then release it.  Nothing to do if ho is empty.
 * Conditions: no locks held.
 */
void
ipc_mqueue_handoff_finish(struct ipc_handoff *ho)
{
    struct thread *t = ho->ho_thread;

    if (t == NULL)
        return;
    ho->ho_thread = NULL;
    if (t != current_thread() && ho->ho_event != 0)
        (void)thread_handoff(t, ho->ho_event); /* consumes the reference */
    else
        thread_deallocate(t);
}

// SPDX-License-Identifier: MIT
//
// Kernel messages (ipc_kmsg.h): allocation, getting a message from the
// sender (user memory or a kernel buffer, user layout) and putting one to
// the receiver, destroying a message with everything it carries, and
// sending: to a kernel object's server or onto a port's queue.
// Copyin (user -> kernel form) is in ipc_kmsg_copyin.c, copyout in
// ipc_kmsg_copyout.c.

#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_space.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_notify.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_ool.h>
#include <ipc/ipc_stats.h>
#include <kern/copyio.h>
#include <kern/kalloc.h>
#include <kern/assert.h>
#include <lib/string.h>

/*
 * Purpose: allocate a message with room for `kernel_size` bytes of kernel
 *     layout plus the largest trailer.
 * Conditions: may be called with IPC locks held.
 * Returns: the message (header uninitialized), or NULL.
 */
struct ipc_kmsg *
ipc_kmsg_alloc(mach_msg_size_t kernel_size)
{
    mach_msg_size_t room = kernel_size + MAX_TRAILER_SIZE;
    struct ipc_kmsg *kmsg = kalloc(sizeof(*kmsg) + room);

    if (kmsg == NULL)
        return NULL;
    kmsg->ikm_next = kmsg->ikm_prev = NULL;
    kmsg->ikm_size = room;
    kmsg->ikm_seqno = 0;
    kmsg->ikm_flags = 0;
    IPC_STAT_INC(st_kmsgs);
    return kmsg;
}

/*
 * Purpose: free a message's memory; it must hold no rights any more.
 * Conditions: any.
 */
void
ipc_kmsg_free(struct ipc_kmsg *kmsg)
{
    if (kmsg->ikm_flags & IKM_NOTIFY)
        IPC_STAT_DEC(st_notifications);
    kfree(kmsg, sizeof(*kmsg) + kmsg->ikm_size);
    IPC_STAT_DEC(st_kmsgs);
}

// Rewrites the user header that sits IKM_HEADER_DELTA bytes into the
// buffer as a kernel header at its start.  Port names are kept, cast into
// the pointer fields, until ipc_kmsg_copyin replaces them.
static void
header_user_to_kernel(struct ipc_kmsg *kmsg, mach_msg_size_t user_size)
{
    struct ipc_user_header uh;
    mach_msg_header_t *h = ikm_header(kmsg);

    memcpy(&uh, (char *)h + IKM_HEADER_DELTA, sizeof(uh));
    h->msgh_bits = uh.uh_bits;
    h->msgh_size = user_size + IKM_HEADER_DELTA;
    h->msgh_remote_port = (struct ipc_port *)(uintptr_t)uh.uh_remote;
    h->msgh_local_port = (struct ipc_port *)(uintptr_t)uh.uh_local;
    h->msgh_voucher_port = uh.uh_voucher;
    h->msgh_id = uh.uh_id;
}

static mach_msg_return_t
check_send_size(mach_msg_size_t size)
{
    if (size < sizeof(struct ipc_user_header) || (size & 3) != 0)
        return MACH_SEND_MSG_TOO_SMALL;
    if (size > IPC_KMSG_MAX_SIZE)
        return MACH_SEND_TOO_LARGE;
    return MACH_MSG_SUCCESS;
}

/*
 * Purpose: copy a message of `size` bytes from the current task's memory
 *     into a new kmsg (names not yet translated).
 * Conditions: no spinlocks held.
 * Returns: MACH_MSG_SUCCESS with *kmsgp; MACH_SEND_MSG_TOO_SMALL (below a
 *     header or not a multiple of 4); MACH_SEND_TOO_LARGE; MACH_SEND_NO_BUFFER;
 *     MACH_SEND_INVALID_DATA (unreadable buffer).
 */
mach_msg_return_t
ipc_kmsg_get(uintptr_t uaddr, mach_msg_size_t size, struct ipc_kmsg **kmsgp)
{
    mach_msg_return_t mr = check_send_size(size);
    struct ipc_kmsg *kmsg;

    if (mr != MACH_MSG_SUCCESS)
        return mr;
    if ((kmsg = ipc_kmsg_alloc(size + IKM_HEADER_DELTA)) == NULL)
        return MACH_SEND_NO_BUFFER;
    if (copyin(uaddr, (char *)ikm_header(kmsg) + IKM_HEADER_DELTA, size) != KERN_SUCCESS) {
        ipc_kmsg_free(kmsg);
        return MACH_SEND_INVALID_DATA;
    }
    header_user_to_kernel(kmsg, size);
    *kmsgp = kmsg;
    return MACH_MSG_SUCCESS;
}

/*
 * Purpose: as ipc_kmsg_get, from a user-layout message in kernel memory
 *     (ktests, and kernel code that speaks for a task).
 * Conditions: any that may allocate.
 * Returns: as ipc_kmsg_get, without MACH_SEND_INVALID_DATA.
 */
mach_msg_return_t
ipc_kmsg_get_from_kernel(const void *msg, mach_msg_size_t size, struct ipc_kmsg **kmsgp)
{
    mach_msg_return_t mr = check_send_size(size);
    struct ipc_kmsg *kmsg;

    if (mr != MACH_MSG_SUCCESS)
        return mr;
    if ((kmsg = ipc_kmsg_alloc(size + IKM_HEADER_DELTA)) == NULL)
        return MACH_SEND_NO_BUFFER;
    memcpy((char *)ikm_header(kmsg) + IKM_HEADER_DELTA, msg, size);
    header_user_to_kernel(kmsg, size);
    *kmsgp = kmsg;
    return MACH_MSG_SUCCESS;
}

/* The user-layout size of a kernel-form message (no trailer). */
mach_msg_size_t
ipc_kmsg_user_size(struct ipc_kmsg *kmsg)
{
    return ikm_header(kmsg)->msgh_size - IKM_HEADER_DELTA;
}

/*
 * Purpose: the size of the trailer a receive option asks for: none unless
 *     MACH_RCV_TRAILER_ELEMENTS is given (Quay's rule, DESIGN.md); the seqno
 *     trailer for MACH_RCV_TRAILER_SEQNO, the format-0 trailer beyond.
 */
mach_msg_size_t
ipc_kmsg_trailer_size(mach_msg_option_t option)
{
    unsigned elements = GET_RCV_ELEMENTS(option);

    if (elements == MACH_RCV_TRAILER_NULL)
        return 0;
    if (elements == MACH_RCV_TRAILER_SEQNO)
        return sizeof(mach_msg_seqno_trailer_t);
    return sizeof(mach_msg_format_0_trailer_t);
}

// Writes the requested trailer after a message already in user layout.
static mach_msg_size_t
write_trailer(struct ipc_kmsg *kmsg, mach_msg_option_t option)
{
    mach_msg_size_t usize = ipc_kmsg_user_size(kmsg);
    mach_msg_size_t tsize = ipc_kmsg_trailer_size(option);
    mach_msg_format_0_trailer_t t = {0};

    t.msgh_trailer_type = MACH_MSG_TRAILER_FORMAT_0;
    t.msgh_trailer_size = tsize;
    t.msgh_seqno = kmsg->ikm_seqno;
    memcpy((char *)ikm_header(kmsg) + IKM_HEADER_DELTA + usize, &t, tsize);
    return usize + tsize;
}

/*
 * Purpose: copy a copied-out (user layout) message, with the trailer the
 *     option asks for, to the current task's buffer, and free the kmsg.
 * Conditions: no spinlocks held.  Consumes the kmsg either way.
 * Returns: MACH_MSG_SUCCESS; MACH_RCV_INVALID_DATA (buffer not writable:
 *     the message is lost, as in Mach).
 */
mach_msg_return_t
ipc_kmsg_put(uintptr_t uaddr, struct ipc_kmsg *kmsg, mach_msg_option_t option)
{
    mach_msg_size_t n = write_trailer(kmsg, option);
    kern_return_t kr = copyout((char *)ikm_header(kmsg) + IKM_HEADER_DELTA, uaddr, n);

    ipc_kmsg_free(kmsg);
    return kr == KERN_SUCCESS ? MACH_MSG_SUCCESS : MACH_RCV_INVALID_DATA;
}

/*
 * Purpose: as ipc_kmsg_put, into a kernel buffer of `bufsize` bytes.
 * Returns: MACH_MSG_SUCCESS; MACH_RCV_TOO_LARGE if it does not fit (the
 *     kmsg is then not consumed).
 */
mach_msg_return_t
ipc_kmsg_put_to_kernel(void *buf, mach_msg_size_t bufsize, struct ipc_kmsg *kmsg,
                       mach_msg_option_t option)
{
    mach_msg_size_t n = ipc_kmsg_user_size(kmsg) + ipc_kmsg_trailer_size(option);

    if (n > bufsize)
        return MACH_RCV_TOO_LARGE;
    write_trailer(kmsg, option);
    memcpy(buf, (char *)ikm_header(kmsg) + IKM_HEADER_DELTA, n);
    ipc_kmsg_free(kmsg);
    return MACH_MSG_SUCCESS;
}

/*
 * Purpose: the received type of a right sent with `disposition`.
 */
mach_msg_type_name_t
ipc_object_copyin_type(mach_msg_type_name_t disposition)
{
    switch (disposition) {
    case MACH_MSG_TYPE_MOVE_RECEIVE:
        return MACH_MSG_TYPE_PORT_RECEIVE;
    case MACH_MSG_TYPE_MOVE_SEND_ONCE:
    case MACH_MSG_TYPE_MAKE_SEND_ONCE:
        return MACH_MSG_TYPE_PORT_SEND_ONCE;
    case MACH_MSG_TYPE_MOVE_SEND:
    case MACH_MSG_TYPE_MAKE_SEND:
    case MACH_MSG_TYPE_COPY_SEND:
        return MACH_MSG_TYPE_PORT_SEND;
    default:
        return 0;
    }
}

/*
 * Purpose: destroy one right a message carried, by its received type: a
 *     send right is released, a send-once right is used for a send-once
 *     notification, a receive right's port is destroyed (deferred).
 * Conditions: no lock on the port; other IPC locks may be held.
 */
void
ipc_kmsg_destroy_right(struct ipc_port *port, mach_msg_type_name_t type)
{
    if (!IP_VALID(port))
        return;
    switch (type) {
    case MACH_MSG_TYPE_PORT_SEND:
        ipc_port_release_send(port);
        break;
    case MACH_MSG_TYPE_PORT_SEND_ONCE:
        ipc_notify_send_once(port);
        break;
    case MACH_MSG_TYPE_PORT_RECEIVE:
        ipc_port_release_receive(port);
        break;
    default:
        panic("ipc_kmsg_destroy_right: type %u", type);
    }
}

/*
 * Purpose: release everything the descriptors of a kernel-form message
 *     hold: port rights, out-of-line port arrays and memory.  The
 *     descriptors are left naming nothing.
 * Conditions: as ipc_kmsg_destroy_right.  `received` is unused today (the
 *     same types are held in both forms); it marks the callers that see a
 *     received message (mach_msg_destroy).
 */
void
ipc_kmsg_clean_body(mach_msg_header_t *msg, bool received)
{
    mach_msg_body_t *body = (mach_msg_body_t *)(msg + 1);
    mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)(body + 1);

    (void)received;
    if (!(msg->msgh_bits & MACH_MSGH_BITS_COMPLEX))
        return;
    for (mach_msg_size_t i = 0; i < body->msgh_descriptor_count; i++) {
        switch (d->type.type) {
        case MACH_MSG_PORT_DESCRIPTOR:
            ipc_kmsg_destroy_right(d->port.name, d->port.disposition);
            d->port.name = IP_NULL;
            d = (mach_msg_descriptor_t *)((char *)d + sizeof(d->port));
            continue;
        case MACH_MSG_OOL_PORTS_DESCRIPTOR: {
            struct ipc_port **ports = d->ool_ports.address;
            for (mach_msg_size_t j = 0; ports != NULL && j < d->ool_ports.count; j++)
                ipc_kmsg_destroy_right(ports[j], d->ool_ports.disposition);
            ipc_ool_discard(ports, d->ool_ports.count * sizeof(*ports));
            d->ool_ports.address = NULL;
            break;
        }
        default: /* MACH_MSG_OOL_DESCRIPTOR, MACH_MSG_OOL_VOLATILE_DESCRIPTOR */
            ipc_ool_discard(d->out_of_line.address, d->out_of_line.size);
            d->out_of_line.address = NULL;
            break;
        }
        d++;
    }
}

/*
 * Purpose: destroy a copied-in message that will not be received: every
 *     right and region it carries is released (send-once rights with a
 *     send-once notification, receive rights by destroying their ports,
 *     deferred), then its memory.
 * Conditions: no port or set lock held; a space lock may be.
 */
void
ipc_kmsg_destroy(struct ipc_kmsg *kmsg)
{
    mach_msg_header_t *h = ikm_header(kmsg);

    ipc_kmsg_destroy_right(h->msgh_remote_port, MACH_MSGH_BITS_REMOTE(h->msgh_bits));
    ipc_kmsg_destroy_right(h->msgh_local_port, MACH_MSGH_BITS_LOCAL(h->msgh_bits));
    ipc_kmsg_clean_body(h, false);
    ipc_kmsg_free(kmsg);
}

// Is dest a kernel object whose server takes the message?
static bool
is_kobject(struct ipc_port *port)
{
    bool yes;

    ipc_port_lock(port);
    yes = port->ip_active && port->ip_receiver == ipc_space_kernel && port->ip_kotype != IKOT_NONE;
    ipc_port_unlock(port);
    return yes;
}

/*
 * Purpose: send a copied-in message: a message carrying a receive right in
 *     a cycle back to its destination is destroyed (it could never be
 *     received); a message to a kernel object is served at once and its
 *     reply sent; any other goes on the destination's queue.
 * Conditions: no IPC locks held; may block (queue full).
 * Returns: MACH_MSG_SUCCESS (message consumed); MACH_SEND_INVALID_DEST for
 *     a kernel message whose destination died (consumed); from
 *     ipc_mqueue_send MACH_SEND_TIMED_OUT or MACH_SEND_INTERRUPTED, with
 *     the message still the caller's.
 */
mach_msg_return_t
ipc_kmsg_send(struct ipc_kmsg *kmsg, mach_msg_option_t option, mach_msg_timeout_t timeout)
{
    struct ipc_port *port = ikm_header(kmsg)->msgh_remote_port;
    struct ipc_kmsg *reply;

    if (!IP_VALID(port)) {
        ipc_kmsg_destroy(kmsg);
        return MACH_SEND_INVALID_DEST;
    }
    if (kmsg->ikm_flags & IKM_CIRCULAR) {
        ipc_kmsg_destroy(kmsg);
        return MACH_MSG_SUCCESS;
    }
    if (is_kobject(port)) {
        reply = ipc_kobject_server(kmsg);
        if (reply != NULL)
            (void)ipc_kmsg_send(reply, MACH_SEND_ALWAYS, 0); /* always consumed */
        return MACH_MSG_SUCCESS;
    }
    return ipc_mqueue_send(kmsg, option, timeout);
}

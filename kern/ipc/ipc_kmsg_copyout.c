// SPDX-License-Identifier: MIT
//
// Copyout: turning a received message from kernel form into what the
// receiver sees (user layout, names in its space).  Each right is given to
// the space on its own (the space lock is taken per right, never across
// out-of-line memory, which may fault).  A right the space cannot take (no
// room for a name, too many urefs) is destroyed and shows up as
// MACH_PORT_DEAD, and the receive returns MACH_RCV_BODY_ERROR (or, for the
// reply port, MACH_RCV_HEADER_ERROR, and the body is destroyed) with
// MACH_MSG_IPC_SPACE; out-of-line memory that finds no room comes out at
// address 0 with MACH_MSG_VM_SPACE -- the classic Mach rules.
//
// After a failed send (timed out, interrupted), ipc_kmsg_copyout_pseudo
// gives the rights back to the sender the same way, header unswapped.

#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_space.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_ool.h>
#include <kern/assert.h>
#include <lib/string.h>

// Gives one right to the space; MACH_PORT_DEAD (right destroyed, *failed
// set) if it cannot take it.
static mach_port_name_t
copyout_right(struct ipc_space *space, struct ipc_port *port, mach_msg_type_name_t type,
              bool *failed)
{
    mach_port_name_t name = MACH_PORT_DEAD;
    kern_return_t kr = KERN_INVALID_TASK;

    if (port == IP_NULL)
        return MACH_PORT_NULL;
    if (port == IP_DEAD)
        return MACH_PORT_DEAD;
    ipc_space_lock(space);
    if (space->is_active)
        kr = ipc_right_copyout(space, port, type, &name);
    ipc_space_unlock(space);
    if (kr != KERN_SUCCESS) {
        ipc_kmsg_destroy_right(port, type);
        *failed = true;
        return MACH_PORT_DEAD;
    }
    return name;
}

static mach_msg_descriptor_t *
next_desc(mach_msg_descriptor_t *d)
{
    size_t n = d->type.type == MACH_MSG_PORT_DESCRIPTOR ? sizeof(d->port) : sizeof(*d);
    return (mach_msg_descriptor_t *)((char *)d + n);
}

// A port descriptor, rewritten in place in user layout.
static void
copyout_port_desc(struct ipc_space *space, mach_msg_descriptor_t *d, bool destroy, bool *failed)
{
    struct ipc_user_port_desc u = {0};

    u.upd_disposition = d->port.disposition;
    u.upd_type = MACH_MSG_PORT_DESCRIPTOR;
    if (destroy)
        ipc_kmsg_destroy_right(d->port.name, d->port.disposition);
    else
        u.upd_name = copyout_right(space, d->port.name, d->port.disposition, failed);
    memcpy(d, &u, sizeof(u));
}

// Out-of-line memory: a new region in the receiver (address 0 on failure).
static void
copyout_ool_desc(struct vm_map *map, mach_msg_ool_descriptor_t *d, bool destroy, bool *vm_failed)
{
    vm_offset_t addr = 0;

    if (destroy) {
        ipc_ool_discard(d->address, d->size);
    } else if (ipc_ool_copyout(map, d->address, d->size, &addr) != KERN_SUCCESS) {
        *vm_failed = true; /* the copy is gone: address 0, MACH_MSG_VM_SPACE */
        addr = 0;
    }
    d->address = (void *)addr;
}

// An out-of-line port array: the rights become names, the names a region.
static void
copyout_ool_ports_desc(struct ipc_space *space, struct vm_map *map,
                       mach_msg_ool_ports_descriptor_t *d, bool destroy, bool *failed,
                       bool *vm_failed)
{
    struct ipc_port **ports = d->address;
    mach_msg_size_t n = d->count;
    mach_port_name_t *names = destroy ? NULL : ipc_ool_alloc(n * sizeof(*names));
    vm_offset_t addr = 0;

    for (mach_msg_size_t j = 0; j < n; j++) {
        if (names == NULL)
            ipc_kmsg_destroy_right(ports[j], d->disposition);
        else
            names[j] = copyout_right(space, ports[j], d->disposition, failed);
    }
    ipc_ool_discard(ports, n * sizeof(*ports));
    if (names != NULL && ipc_ool_copyout(map, names, n * sizeof(*names), &addr) != KERN_SUCCESS) {
        *vm_failed = true;
        addr = 0;
    } else if (names == NULL && n != 0 && !destroy) {
        *vm_failed = true;
    }
    d->address = (void *)addr;
}

// The body of a kernel-form message, rewritten for the receiver (or, with
// destroy, emptied: rights destroyed, names NULL, addresses 0).
static mach_msg_return_t
copyout_body(mach_msg_header_t *h, struct ipc_space *space, struct vm_map *map, bool destroy)
{
    mach_msg_body_t *body = (mach_msg_body_t *)(h + 1);
    mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)(body + 1), *next;
    bool failed = false, vm_failed = false;
    mach_msg_return_t mr = MACH_MSG_SUCCESS;

    if (!(h->msgh_bits & MACH_MSGH_BITS_COMPLEX))
        return MACH_MSG_SUCCESS;
    for (mach_msg_size_t i = 0; i < body->msgh_descriptor_count; i++, d = next) {
        next = next_desc(d);
        if (d->type.type == MACH_MSG_PORT_DESCRIPTOR)
            copyout_port_desc(space, d, destroy, &failed);
        else if (d->type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR)
            copyout_ool_ports_desc(space, map, &d->ool_ports, destroy, &failed, &vm_failed);
        else
            copyout_ool_desc(map, &d->out_of_line, destroy, &vm_failed);
    }
    if (failed)
        mr |= MACH_RCV_BODY_ERROR | MACH_MSG_IPC_SPACE;
    if (vm_failed)
        mr |= MACH_RCV_BODY_ERROR | MACH_MSG_VM_SPACE;
    return mr;
}

// Writes the user header (24 bytes) where the user message starts.
static void
put_user_header(mach_msg_header_t *h, mach_msg_bits_t bits, mach_port_name_t remote,
                mach_port_name_t local)
{
    struct ipc_user_header uh = {
        .uh_bits = bits,
        .uh_size = h->msgh_size - IKM_HEADER_DELTA,
        .uh_remote = remote,
        .uh_local = local,
        .uh_voucher = MACH_PORT_NULL,
        .uh_id = h->msgh_id,
    };

    memcpy((char *)h + IKM_HEADER_DELTA, &uh, sizeof(uh));
}

// The name of dest's receive right in space, if space holds it.
static mach_port_name_t
receiver_name(struct ipc_port *dest, struct ipc_space *space)
{
    mach_port_name_t name = MACH_PORT_NULL;

    ipc_port_lock(dest);
    if (dest->ip_active && dest->ip_receiver == space)
        name = dest->ip_receiver_name;
    ipc_port_unlock(dest);
    return name;
}

// The message was delivered: the right it was sent with is used up.
static void
consume_dest(struct ipc_port *dest, mach_msg_type_name_t type)
{
    if (type == MACH_MSG_TYPE_PORT_SEND_ONCE)
        ipc_port_release_sonce(dest);
    else
        ipc_port_release_send(dest);
}

/*
 * Purpose: copy a received message out into `space` (task memory `map`;
 *     NULL: kernel memory for out-of-line data): the header is swapped
 *     (msgh_remote_port = the reply right's name, msgh_local_port = the
 *     name of the receive right it came through), the right it was sent
 *     with is used up, and every right and region goes to the receiver.
 *     The kmsg is left in user layout, IKM_HEADER_DELTA bytes into its
 *     buffer, for ipc_kmsg_put.
 * Conditions: no IPC locks held; may fault in user memory (out-of-line).
 * Returns: MACH_MSG_SUCCESS; MACH_RCV_HEADER_ERROR | MACH_MSG_IPC_SPACE
 *     (the reply right could not be named: it is MACH_PORT_DEAD and the
 *     body was destroyed); MACH_RCV_BODY_ERROR | MACH_MSG_IPC_SPACE and/or
 *     MACH_MSG_VM_SPACE.  The message is delivered in every case.
 */
mach_msg_return_t
ipc_kmsg_copyout(struct ipc_kmsg *kmsg, struct ipc_space *space, struct vm_map *map)
{
    mach_msg_header_t *h = ikm_header(kmsg);
    struct ipc_port *dest = h->msgh_remote_port, *reply = h->msgh_local_port;
    mach_msg_type_name_t dtype = MACH_MSGH_BITS_REMOTE(h->msgh_bits);
    mach_msg_type_name_t rtype = MACH_MSGH_BITS_LOCAL(h->msgh_bits);
    mach_msg_bits_t complex = h->msgh_bits & MACH_MSGH_BITS_COMPLEX;
    mach_port_name_t reply_name, dest_name;
    bool failed = false;
    mach_msg_return_t mr;

    reply_name = copyout_right(space, reply, rtype, &failed);
    dest_name = receiver_name(dest, space);
    consume_dest(dest, dtype);
    mr = copyout_body(h, space, map, failed);
    if (failed)
        mr = MACH_RCV_HEADER_ERROR | MACH_MSG_IPC_SPACE;
    put_user_header(h, complex | MACH_MSGH_BITS(reply != IP_NULL ? rtype : 0, dtype), reply_name,
                    dest_name);
    return mr;
}

/*
 * Purpose: give the rights of a message that could not be sent back to the
 *     sender's space, and leave the message in user layout (header not
 *     swapped: remote is the destination's name, local the reply's) for
 *     ipc_kmsg_put to return to the sender's buffer.  Rights the space can
 *     no longer take are destroyed.
 * Conditions: no IPC locks held.
 */
void
ipc_kmsg_copyout_pseudo(struct ipc_kmsg *kmsg, struct ipc_space *space, struct vm_map *map)
{
    mach_msg_header_t *h = ikm_header(kmsg);
    mach_msg_type_name_t dtype = MACH_MSGH_BITS_REMOTE(h->msgh_bits);
    mach_msg_type_name_t rtype = MACH_MSGH_BITS_LOCAL(h->msgh_bits);
    mach_msg_bits_t complex = h->msgh_bits & MACH_MSGH_BITS_COMPLEX;
    bool failed = false;
    mach_port_name_t dest_name = copyout_right(space, h->msgh_remote_port, dtype, &failed);
    mach_port_name_t reply_name = copyout_right(space, h->msgh_local_port, rtype, &failed);

    (void)copyout_body(h, space, map, false);
    put_user_header(h, complex | MACH_MSGH_BITS(dtype, rtype), dest_name, reply_name);
}

// Out-of-line memory for a kernel receiver: every region becomes a kernel
// buffer of exactly its size (a virtual copy from a task is read into one).
// A region that cannot be converted is released and comes out at address
// NULL; the caller learns it from the MACH_MSG_VM_SPACE return.
static mach_msg_return_t
copyout_ool_to_kernel(mach_msg_header_t *h)
{
    mach_msg_body_t *body = (mach_msg_body_t *)(h + 1);
    mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)(body + 1);
    mach_msg_return_t mr = MACH_MSG_SUCCESS;
    vm_offset_t addr;

    if (!(h->msgh_bits & MACH_MSGH_BITS_COMPLEX))
        return MACH_MSG_SUCCESS;
    for (mach_msg_size_t i = 0; i < body->msgh_descriptor_count; i++, d = next_desc(d)) {
        if (d->type.type != MACH_MSG_OOL_DESCRIPTOR &&
            d->type.type != MACH_MSG_OOL_VOLATILE_DESCRIPTOR)
            continue;
        if (ipc_ool_copyout(NULL, d->out_of_line.address, d->out_of_line.size, &addr) !=
            KERN_SUCCESS) {
            addr = 0;
            mr = MACH_RCV_BODY_ERROR | MACH_MSG_VM_SPACE;
        }
        d->out_of_line.address = (void *)addr;
    }
    return mr;
}

/*
 * Purpose: hand a received message to a kernel receiver: the header is
 *     swapped as for a user (remote = the reply right, local = the port it
 *     came through, with no right), the destination right is used up,
 *     every other right stays a port pointer the receiver now owns, and
 *     out-of-line regions become kernel buffers of exactly their size
 *     (ipc_ool.h), which the receiver frees with ipc_ool_discard.
 * Conditions: no IPC locks held, no spinlocks (a virtual copy is read
 *     through a scratch map).
 * Returns: MACH_MSG_SUCCESS; MACH_RCV_BODY_ERROR | MACH_MSG_VM_SPACE when
 *     a region could not be turned into a kernel buffer (no memory): its
 *     address is NULL, everything else is delivered.
 */
mach_msg_return_t
ipc_kmsg_copyout_to_kernel(struct ipc_kmsg *kmsg)
{
    mach_msg_header_t *h = ikm_header(kmsg);
    struct ipc_port *dest = h->msgh_remote_port;
    mach_msg_type_name_t dtype = MACH_MSGH_BITS_REMOTE(h->msgh_bits);
    mach_msg_type_name_t rtype = MACH_MSGH_BITS_LOCAL(h->msgh_bits);

    h->msgh_remote_port = h->msgh_local_port;
    h->msgh_local_port = dest;
    h->msgh_bits = (h->msgh_bits & MACH_MSGH_BITS_COMPLEX) |
                   MACH_MSGH_BITS(h->msgh_remote_port != IP_NULL ? rtype : 0, dtype);
    consume_dest(dest, dtype);
    return copyout_ool_to_kernel(h);
}

/* SPDX-License-Identifier: MIT */
/*
 * mach_msg_destroy(): release everything a received message holds.
 *
 * A server that rejects a request, or a client that throws a reply away,
 * must still give back the rights and memory the message carried, or they
 * leak.  A received message holds: the reply right named by msgh_remote_port
 * (its kind in the header's remote bits), and for a complex message each
 * descriptor's port right, out-of-line region, or out-of-line array of
 * rights.  msgh_local_port names the port it was received on and carries no
 * right.  Errors from the individual releases are ignored: the message is
 * being discarded, and a name that went dead meanwhile is nothing to free.
 */
#include <mach/mach.h>

/* Release one right of kind TYPE (a MACH_MSG_TYPE_PORT_* value) named NAME. */
static void
destroy_right(mach_port_t name, mach_msg_type_name_t type)
{
    if (!MACH_PORT_VALID(name))
        return;
    switch (type) {
    case MACH_MSG_TYPE_PORT_SEND:
    case MACH_MSG_TYPE_PORT_SEND_ONCE:
        (void)mach_port_deallocate(mach_task_self(), name);
        break;
    case MACH_MSG_TYPE_PORT_RECEIVE:
        (void)mach_port_mod_refs(mach_task_self(), name, MACH_PORT_RIGHT_RECEIVE, -1);
        break;
    default:
        break; /* a port name, or no right */
    }
}

/* Release what one descriptor holds; returns the descriptor's size. */
static size_t
destroy_descriptor(mach_msg_descriptor_t *d)
{
    switch (d->type.type) {
    case MACH_MSG_PORT_DESCRIPTOR:
        destroy_right(d->port.name, d->port.disposition);
        return sizeof(d->port);
    case MACH_MSG_OOL_DESCRIPTOR:
    case MACH_MSG_OOL_VOLATILE_DESCRIPTOR:
        if (d->out_of_line.size != 0)
            (void)vm_deallocate(mach_task_self(), (vm_address_t)d->out_of_line.address,
                                d->out_of_line.size);
        return sizeof(d->out_of_line);
    case MACH_MSG_OOL_PORTS_DESCRIPTOR: {
        mach_port_t *names = d->ool_ports.address;
        for (mach_msg_size_t i = 0; i < d->ool_ports.count; i++)
            destroy_right(names[i], d->ool_ports.disposition);
        if (d->ool_ports.count != 0)
            (void)vm_deallocate(mach_task_self(), (vm_address_t)names,
                                d->ool_ports.count * sizeof(mach_port_t));
        return sizeof(d->ool_ports);
    }
    default:
        return sizeof(*d);
    }
}

void
mach_msg_destroy(mach_msg_header_t *msg)
{
    mach_msg_body_t *body;
    char *p;

    destroy_right(msg->msgh_remote_port, MACH_MSGH_BITS_REMOTE(msg->msgh_bits));
    if ((msg->msgh_bits & MACH_MSGH_BITS_COMPLEX) == 0)
        return;
    body = (mach_msg_body_t *)(msg + 1);
    p = (char *)(body + 1);
    for (mach_msg_size_t i = 0; i < body->msgh_descriptor_count; i++)
        p += destroy_descriptor((mach_msg_descriptor_t *)p);
}

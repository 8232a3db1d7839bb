// SPDX-License-Identifier: MIT
//
// Copyin: turning a message as the sender wrote it (user layout, port
// names, dispositions) into the kernel form (port pointers holding rights,
// received types), decode then commit:
//
//   1. structure, no locks: header bits, descriptor count and types, sizes
//      within msgh_size; out-of-line memory becomes a copy (ipc_ool.c:
//      virtual, copy-on-write, or a kernel buffer when small) and port-name
//      arrays are read into the kernel (so every region is known readable);
//   2. check, space locked: every name in the header and the body denotes
//      the right its disposition needs, counting what the whole message
//      takes from each name (ipc_right_copyin_check);
//   3. commit, same lock hold: every right moves; nothing can fail here.
//
// A failure in 1 or 2 frees the copies and changes nothing anywhere, and
// returns the precise MACH_SEND_* code.  Only after 3 are the sender's
// regions deallocated as their descriptors asked.  A message for a kernel
// object comes from kernel code in kernel form already
// (ipc_kmsg_copyin_from_kernel).

#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_space.h>
#include <ipc/ipc_entry.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_ool.h>
#include <kern/kalloc.h>
#include <kern/assert.h>

#define OOL_PORTS_MAX (64u * 1024u) /* names in one out-of-line port array */

struct copyin {
    struct ipc_space *space;
    struct vm_map *map;
    mach_msg_header_t *h;
    char *end;                 /* end of the message (kernel layout) */
    mach_msg_size_t ndesc;     /* descriptors (0 if not complex) */
    mach_msg_size_t nprepared; /* descriptors through step 1 */
    vm_offset_t *srcs;         /* the sender's address of each OOL region */
    mach_port_name_t dest_name, reply_name;
    mach_msg_type_name_t dest_type, reply_type;
    int to_kernel; /* -1 not looked at yet; else dest_is_kernel() */
};

static mach_msg_descriptor_t *
first_desc(struct copyin *c)
{
    return (mach_msg_descriptor_t *)((mach_msg_body_t *)(c->h + 1) + 1);
}

static mach_msg_descriptor_t *
next_desc(mach_msg_descriptor_t *d)
{
    size_t n = d->type.type == MACH_MSG_PORT_DESCRIPTOR ? sizeof(d->port) : sizeof(*d);
    return (mach_msg_descriptor_t *)((char *)d + n);
}

// Step 1 for the header: bits and names.
static mach_msg_return_t
check_header(struct copyin *c)
{
    mach_msg_bits_t bits = c->h->msgh_bits;

    c->dest_name = (mach_port_name_t)(uintptr_t)c->h->msgh_remote_port;
    c->reply_name = (mach_port_name_t)(uintptr_t)c->h->msgh_local_port;
    c->dest_type = MACH_MSGH_BITS_REMOTE(bits);
    c->reply_type = MACH_MSGH_BITS_LOCAL(bits);
    if ((bits & ~MACH_MSGH_BITS_USER) != 0)
        return MACH_SEND_INVALID_HEADER;
    if (MACH_MSGH_BITS_VOUCHER(bits) != 0 || c->h->msgh_voucher_port != MACH_PORT_NULL)
        return MACH_SEND_INVALID_VOUCHER;
    if (!MACH_MSG_TYPE_PORT_ANY_SEND(c->dest_type))
        return MACH_SEND_INVALID_HEADER;
    if (c->reply_name != MACH_PORT_NULL && !MACH_MSG_TYPE_PORT_ANY(c->reply_type))
        return MACH_SEND_INVALID_HEADER;
    if (!MACH_PORT_VALID(c->dest_name))
        return MACH_SEND_INVALID_DEST;
    return MACH_MSG_SUCCESS;
}

static mach_msg_return_t
ool_error(kern_return_t kr)
{
    return kr == KERN_INVALID_ADDRESS ? MACH_SEND_INVALID_MEMORY : MACH_SEND_NO_BUFFER;
}

// Whether the destination name denotes a kernel object's port.  Looked at
// in step 1, before the rights are checked, so only a hint: the name may
// change meanwhile, and a copy of either kind reaches any receiver intact.
static bool
dest_is_kernel(struct copyin *c)
{
    bool kernel = false;

    ipc_space_lock(c->space);
    struct ipc_entry *e = c->space->is_active ? ipc_entry_lookup(c->space, c->dest_name) : NULL;
    if (e != NULL && (e->ie_bits & (MACH_PORT_TYPE_SEND_RIGHTS | MACH_PORT_TYPE_RECEIVE)) &&
        e->ie_object != NULL) {
        struct ipc_port *port = e->ie_object;
        ipc_port_lock(port);
        kernel = port->ip_active && port->ip_receiver == ipc_space_kernel;
        ipc_port_unlock(port);
    }
    ipc_space_unlock(c->space);
    return kernel;
}

// Step 1 for an out-of-line region: a copy of it (ipc_ool.c: virtual, or a
// kernel buffer when small), the sender's region left as it was.  Its
// removal (`deallocate`) waits for after_commit, so that a failure in steps
// 1-2 is undone by discarding the copy.  A region for a kernel object (a
// page for data_supply, a block for device_write) is read into a kernel
// buffer at once up to IPC_OOL_KERNEL_PHYS_MAX: that is what the kernel
// receiver gets anyway, and a virtual copy would cost a map copy now and a
// scratch map to read it later (ipc_ool.c, ool_materialize).
static mach_msg_return_t
prepare_ool(struct copyin *c, mach_msg_size_t i, mach_msg_ool_descriptor_t *d)
{
    vm_offset_t addr = (vm_offset_t)d->address;
    void *copy;
    kern_return_t kr;

    if (c->to_kernel < 0)
        c->to_kernel = dest_is_kernel(c);
    if (c->to_kernel && d->size <= IPC_OOL_KERNEL_PHYS_MAX)
        kr = ipc_ool_copyin_buffer(c->map, addr, d->size, &copy);
    else
        kr = ipc_ool_copyin(c->map, addr, d->size, &copy);
    if (kr != KERN_SUCCESS)
        return ool_error(kr);
    c->srcs[i] = addr;
    d->address = copy;
    return MACH_MSG_SUCCESS;
}

// Step 1 for an out-of-line port array: read the names into a kernel array
// of pointer-sized slots (names for now, ports after the commit).  Always
// a physical copy: every name is translated into a port, so there are no
// pages to share; the receiver's names are a new array (copyout).
static mach_msg_return_t
prepare_ool_ports(struct copyin *c, mach_msg_size_t i, mach_msg_ool_ports_descriptor_t *d)
{
    vm_offset_t addr = (vm_offset_t)d->address;
    mach_port_name_t *names;
    struct ipc_port **slots;
    kern_return_t kr;

    if (!MACH_MSG_TYPE_PORT_ANY(d->disposition))
        return MACH_SEND_INVALID_TYPE;
    if (d->count > OOL_PORTS_MAX)
        return MACH_SEND_TOO_LARGE;
    if (d->count == 0) {
        c->srcs[i] = addr;
        d->address = NULL;
        return MACH_MSG_SUCCESS;
    }
    if ((kr = ipc_ool_copyin_buffer(c->map, addr, d->count * sizeof(*names), (void **)&names)) !=
        KERN_SUCCESS)
        return ool_error(kr);
    slots = ipc_ool_alloc(d->count * sizeof(*slots));
    if (slots != NULL) {
        for (mach_msg_size_t j = 0; j < d->count; j++)
            slots[j] = (struct ipc_port *)(uintptr_t)names[j];
    }
    ipc_ool_discard(names, d->count * sizeof(*names));
    if (slots == NULL)
        return MACH_SEND_NO_BUFFER;
    c->srcs[i] = addr;
    d->address = slots;
    return MACH_MSG_SUCCESS;
}

static mach_msg_return_t
prepare_desc(struct copyin *c, mach_msg_size_t i, mach_msg_descriptor_t *d)
{
    if ((char *)d + sizeof(d->port) > c->end)
        return MACH_SEND_MSG_TOO_SMALL;
    if (d->type.type != MACH_MSG_PORT_DESCRIPTOR && (char *)(d + 1) > c->end)
        return MACH_SEND_MSG_TOO_SMALL;
    switch (d->type.type) {
    case MACH_MSG_PORT_DESCRIPTOR:
        return MACH_MSG_TYPE_PORT_ANY(d->port.disposition) ? MACH_MSG_SUCCESS
                                                           : MACH_SEND_INVALID_TYPE;
    case MACH_MSG_OOL_DESCRIPTOR:
    case MACH_MSG_OOL_VOLATILE_DESCRIPTOR:
        return prepare_ool(c, i, &d->out_of_line);
    case MACH_MSG_OOL_PORTS_DESCRIPTOR:
        return prepare_ool_ports(c, i, &d->ool_ports);
    default:
        return MACH_SEND_INVALID_TYPE;
    }
}

// Undoes step 1: frees the kernel copies of the prepared descriptors.
static void
unprepare_body(struct copyin *c)
{
    mach_msg_descriptor_t *d = first_desc(c);

    for (mach_msg_size_t i = 0; i < c->nprepared; i++, d = next_desc(d)) {
        if (d->type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR)
            ipc_ool_discard(d->ool_ports.address, d->ool_ports.count * sizeof(void *));
        else if (d->type.type != MACH_MSG_PORT_DESCRIPTOR)
            ipc_ool_discard(d->out_of_line.address, d->out_of_line.size);
    }
    kfree(c->srcs, c->ndesc * sizeof(*c->srcs));
    c->srcs = NULL;
}

// Step 1 for the body.
static mach_msg_return_t
prepare_body(struct copyin *c)
{
    mach_msg_body_t *body = (mach_msg_body_t *)(c->h + 1);
    mach_msg_descriptor_t *d;
    mach_msg_return_t mr;

    c->ndesc = 0;
    c->nprepared = 0;
    c->srcs = NULL;
    if (!(c->h->msgh_bits & MACH_MSGH_BITS_COMPLEX))
        return MACH_MSG_SUCCESS;
    if ((char *)(body + 1) > c->end)
        return MACH_SEND_MSG_TOO_SMALL;
    if (body->msgh_descriptor_count >
        (mach_msg_size_t)(c->end - (char *)(body + 1)) / sizeof(mach_msg_port_descriptor_t))
        return MACH_SEND_MSG_TOO_SMALL;
    c->ndesc = body->msgh_descriptor_count;
    if (c->ndesc != 0 && (c->srcs = kalloc(c->ndesc * sizeof(*c->srcs))) == NULL)
        return MACH_SEND_NO_BUFFER;
    d = first_desc(c);
    for (mach_msg_size_t i = 0; i < c->ndesc; i++, d = next_desc(d)) {
        if ((mr = prepare_desc(c, i, d)) != MACH_MSG_SUCCESS) {
            unprepare_body(c);
            return mr;
        }
        c->nprepared = i + 1;
    }
    return MACH_MSG_SUCCESS;
}

// Step 2 for one name: NULL and DEAD need no right.
static kern_return_t
check_name(struct copyin *c, mach_port_name_t name, mach_msg_type_name_t disp)
{
    struct ipc_entry *e;

    if (!MACH_PORT_VALID(name))
        return KERN_SUCCESS;
    e = ipc_entry_lookup(c->space, name);
    if (e == NULL)
        return KERN_INVALID_NAME;
    return ipc_right_copyin_check(c->space, e, disp, true);
}

// Step 2: every right of the message, space locked.
static mach_msg_return_t
check_rights(struct copyin *c)
{
    struct ipc_entry *e = ipc_entry_lookup(c->space, c->dest_name);
    mach_msg_descriptor_t *d = first_desc(c);

    c->space->is_epoch++;
    if (e == NULL || ipc_right_copyin_check(c->space, e, c->dest_type, false) != KERN_SUCCESS)
        return MACH_SEND_INVALID_DEST;
    if (check_name(c, c->reply_name, c->reply_type) != KERN_SUCCESS)
        return MACH_SEND_INVALID_REPLY;
    for (mach_msg_size_t i = 0; i < c->ndesc; i++, d = next_desc(d)) {
        if (d->type.type == MACH_MSG_PORT_DESCRIPTOR) {
            struct ipc_user_port_desc *u = (struct ipc_user_port_desc *)d;
            if (check_name(c, u->upd_name, u->upd_disposition) != KERN_SUCCESS)
                return MACH_SEND_INVALID_RIGHT;
        } else if (d->type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
            struct ipc_port **slots = d->ool_ports.address;
            for (mach_msg_size_t j = 0; j < d->ool_ports.count; j++) {
                mach_port_name_t name = (mach_port_name_t)(uintptr_t)slots[j];
                if (check_name(c, name, d->ool_ports.disposition) != KERN_SUCCESS)
                    return MACH_SEND_INVALID_RIGHT;
            }
        }
    }
    return MACH_MSG_SUCCESS;
}

// Step 3 for one name.
static struct ipc_port *
commit_name(struct copyin *c, mach_port_name_t name, mach_msg_type_name_t disp,
            struct ipc_port *dest)
{
    if (name == MACH_PORT_NULL)
        return IP_NULL;
    if (name == MACH_PORT_DEAD)
        return IP_DEAD;
    return ipc_right_copyin(c->space, name, ipc_entry_lookup(c->space, name), disp, dest);
}

// Step 3 for the body: ports into descriptors, types into received types.
static void
commit_body(struct copyin *c, struct ipc_port *dest)
{
    mach_msg_descriptor_t *d = first_desc(c);

    for (mach_msg_size_t i = 0; i < c->ndesc; i++, d = next_desc(d)) {
        if (d->type.type == MACH_MSG_PORT_DESCRIPTOR) {
            struct ipc_user_port_desc u = *(struct ipc_user_port_desc *)d;
            d->port.name = commit_name(c, u.upd_name, u.upd_disposition, dest);
            d->port.pad2 = 0;
            d->port.disposition = ipc_object_copyin_type(u.upd_disposition);
            d->port.type = MACH_MSG_PORT_DESCRIPTOR;
        } else if (d->type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
            struct ipc_port **slots = d->ool_ports.address;
            mach_msg_type_name_t disp = d->ool_ports.disposition;
            for (mach_msg_size_t j = 0; j < d->ool_ports.count; j++)
                slots[j] = commit_name(c, (mach_port_name_t)(uintptr_t)slots[j], disp, dest);
            d->ool_ports.disposition = ipc_object_copyin_type(disp);
        }
    }
}

// Step 3 for the header; returns the destination.
static struct ipc_port *
commit_header(struct copyin *c)
{
    mach_msg_header_t *h = c->h;
    struct ipc_port *dest, *reply;
    mach_msg_type_name_t rtype = 0;

    dest = commit_name(c, c->dest_name, c->dest_type, IP_NULL);
    reply = commit_name(c, c->reply_name, c->reply_type, dest);
    if (reply != IP_NULL)
        rtype = ipc_object_copyin_type(c->reply_type);
    h->msgh_bits = (h->msgh_bits & MACH_MSGH_BITS_COMPLEX) |
                   MACH_MSGH_BITS(ipc_object_copyin_type(c->dest_type), rtype);
    h->msgh_remote_port = dest;
    h->msgh_local_port = reply;
    return dest;
}

// After the commit: a receive right that leads back to dest makes the
// message circular; regions the sender asked to give up are deallocated.
static void
after_commit(struct ipc_kmsg *kmsg, struct copyin *c, struct ipc_port *dest)
{
    mach_msg_header_t *h = c->h;
    mach_msg_descriptor_t *d = first_desc(c);

    if (MACH_MSGH_BITS_LOCAL(h->msgh_bits) == MACH_MSG_TYPE_PORT_RECEIVE &&
        ipc_port_check_circularity(h->msgh_local_port, dest))
        kmsg->ikm_flags |= IKM_CIRCULAR;
    for (mach_msg_size_t i = 0; i < c->ndesc; i++, d = next_desc(d)) {
        if (d->type.type == MACH_MSG_PORT_DESCRIPTOR) {
            if (d->port.disposition == MACH_MSG_TYPE_PORT_RECEIVE && IP_VALID(d->port.name) &&
                ipc_port_check_circularity(d->port.name, dest))
                kmsg->ikm_flags |= IKM_CIRCULAR;
        } else if (d->type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
            struct ipc_port **slots = d->ool_ports.address;
            for (mach_msg_size_t j = 0; j < d->ool_ports.count; j++) {
                if (d->ool_ports.disposition == MACH_MSG_TYPE_PORT_RECEIVE && IP_VALID(slots[j]) &&
                    ipc_port_check_circularity(slots[j], dest))
                    kmsg->ikm_flags |= IKM_CIRCULAR;
            }
            if (d->ool_ports.deallocate)
                ipc_ool_dealloc_source(c->map, c->srcs[i],
                                       d->ool_ports.count * sizeof(mach_port_name_t));
        } else if (d->out_of_line.deallocate) {
            ipc_ool_dealloc_source(c->map, c->srcs[i], d->out_of_line.size);
        }
    }
    kfree(c->srcs, c->ndesc * sizeof(*c->srcs));
}

/*
 * Purpose: copy in a message got with ipc_kmsg_get (user layout, names) from
 *     `space`, whose task's address space is `map` (NULL: kernel memory, for
 *     tests and kernel code acting for a task), decode then commit.
 * Conditions: no IPC locks held; may fault in user memory.  On success the
 *     message holds its rights; on failure nothing changed anywhere and the
 *     kmsg is still the caller's to free (ipc_kmsg_free).
 * Returns: MACH_MSG_SUCCESS; MACH_SEND_INVALID_HEADER (bad bits or
 *     dispositions in the header); MACH_SEND_INVALID_VOUCHER;
 *     MACH_SEND_INVALID_DEST; MACH_SEND_INVALID_REPLY;
 *     MACH_SEND_INVALID_RIGHT (a descriptor's name lacks the right);
 *     MACH_SEND_INVALID_TYPE (descriptor type or disposition);
 *     MACH_SEND_MSG_TOO_SMALL (descriptors beyond msgh_size);
 *     MACH_SEND_INVALID_MEMORY (unreadable out-of-line memory);
 *     MACH_SEND_TOO_LARGE; MACH_SEND_NO_BUFFER.
 */
mach_msg_return_t
ipc_kmsg_copyin(struct ipc_kmsg *kmsg, struct ipc_space *space, struct vm_map *map)
{
    struct copyin c = {.space = space, .map = map, .h = ikm_header(kmsg), .to_kernel = -1};
    struct ipc_port *dest;
    mach_msg_return_t mr;

    c.end = (char *)c.h + c.h->msgh_size;
    if ((mr = check_header(&c)) != MACH_MSG_SUCCESS)
        return mr;
    if ((mr = prepare_body(&c)) != MACH_MSG_SUCCESS)
        return mr;
    ipc_space_lock(space);
    if (!space->is_active)
        mr = MACH_SEND_INVALID_DEST;
    else
        mr = check_rights(&c);
    if (mr != MACH_MSG_SUCCESS) {
        ipc_space_unlock(space);
        unprepare_body(&c);
        return mr;
    }
    dest = commit_header(&c);
    commit_body(&c, dest);
    ipc_space_unlock(space);
    after_commit(kmsg, &c, dest);
    return MACH_MSG_SUCCESS;
}

// A right the kernel gives a message, by disposition: moved rights pass as
// they are, made or copied ones are created now.
static struct ipc_port *
kernel_right(struct ipc_port *port, mach_msg_type_name_t disp, struct ipc_port *dest)
{
    if (!IP_VALID(port))
        return port;
    switch (disp) {
    case MACH_MSG_TYPE_MOVE_SEND:
    case MACH_MSG_TYPE_MOVE_SEND_ONCE:
        return port;
    case MACH_MSG_TYPE_MOVE_RECEIVE:
        ipc_port_lock(port);
        ipc_port_clear_receiver_locked(port, dest);
        ipc_port_unlock(port);
        return port;
    case MACH_MSG_TYPE_COPY_SEND:
        return ipc_port_copy_send(port);
    case MACH_MSG_TYPE_MAKE_SEND:
        return ipc_port_make_send(port);
    case MACH_MSG_TYPE_MAKE_SEND_ONCE:
        return ipc_port_make_sonce(port);
    default:
        panic("kernel message with disposition %u", disp);
    }
}

// Makes the kernel's out-of-line memory and port arrays the message's own:
// a region with `deallocate` set is handed over (it must be a copy from
// ipc_ool_alloc or ipc_ool_copy_object), others are copied.  Nothing
// changes on failure.
static mach_msg_return_t
kernel_take_memory(mach_msg_header_t *h, mach_msg_size_t ndesc)
{
    mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)((mach_msg_body_t *)(h + 1) + 1);

    for (mach_msg_size_t i = 0; i < ndesc; i++, d = next_desc(d)) {
        void **addrp;
        vm_size_t size;
        void *copy;

        if (d->type.type == MACH_MSG_PORT_DESCRIPTOR)
            continue;
        if (d->type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
            addrp = &d->ool_ports.address;
            size = d->ool_ports.count * sizeof(struct ipc_port *);
            if (d->ool_ports.deallocate)
                continue;
        } else {
            addrp = &d->out_of_line.address;
            size = d->out_of_line.size;
            if (d->out_of_line.deallocate)
                continue;
        }
        if (ipc_ool_copyin(NULL, (vm_offset_t)*addrp, size, &copy) != KERN_SUCCESS)
            return MACH_SEND_NO_BUFFER; /* TODO: undo earlier copies (kernel callers only) */
        *addrp = copy;
    }
    return MACH_MSG_SUCCESS;
}

/*
 * Purpose: make a message the kernel built in kernel form (port pointers
 *     with dispositions: the kernel's own rights are moved, or rights are
 *     made or copied from them) a copied-in message.  Used by
 *     mach_msg_send_from_kernel, kernel replies and notifications.
 * Conditions: no IPC locks held.  The header must be in kernel layout with
 *     msgh_size its kernel-layout size.
 * Returns: MACH_MSG_SUCCESS (the rights now belong to the message);
 *     MACH_SEND_NO_BUFFER (nothing moved).
 */
mach_msg_return_t
ipc_kmsg_copyin_from_kernel(struct ipc_kmsg *kmsg)
{
    mach_msg_header_t *h = ikm_header(kmsg);
    mach_msg_size_t ndesc = 0;
    mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)((mach_msg_body_t *)(h + 1) + 1);
    mach_msg_type_name_t rt = MACH_MSGH_BITS_REMOTE(h->msgh_bits);
    mach_msg_type_name_t lt = MACH_MSGH_BITS_LOCAL(h->msgh_bits);
    struct ipc_port *dest;

    if (h->msgh_bits & MACH_MSGH_BITS_COMPLEX)
        ndesc = ((mach_msg_body_t *)(h + 1))->msgh_descriptor_count;
    if (kernel_take_memory(h, ndesc) != MACH_MSG_SUCCESS)
        return MACH_SEND_NO_BUFFER;
    dest = kernel_right(h->msgh_remote_port, rt, IP_NULL);
    h->msgh_remote_port = dest;
    h->msgh_local_port = kernel_right(h->msgh_local_port, lt, dest);
    h->msgh_bits = (h->msgh_bits & MACH_MSGH_BITS_COMPLEX) |
                   MACH_MSGH_BITS(ipc_object_copyin_type(rt),
                                  h->msgh_local_port != IP_NULL ? ipc_object_copyin_type(lt) : 0);
    for (mach_msg_size_t i = 0; i < ndesc; i++, d = next_desc(d)) {
        if (d->type.type == MACH_MSG_PORT_DESCRIPTOR) {
            d->port.name = kernel_right(d->port.name, d->port.disposition, dest);
            d->port.disposition = ipc_object_copyin_type(d->port.disposition);
        } else if (d->type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
            struct ipc_port **ports = d->ool_ports.address;
            for (mach_msg_size_t j = 0; j < d->ool_ports.count; j++)
                ports[j] = kernel_right(ports[j], d->ool_ports.disposition, dest);
            d->ool_ports.disposition = ipc_object_copyin_type(d->ool_ports.disposition);
        }
    }
    return MACH_MSG_SUCCESS;
}

// SPDX-License-Identifier: MIT
//
// Rights (ipc_right.h): what a name denotes and every way it changes.
//
// Accounting, for one port P and one space S:
//   - an entry that denotes send and/or receive rights for P holds one
//     reference on P; its send urefs count as ONE of P's ip_srights;
//   - a send-once entry holds one reference and one ip_sorights;
//   - a dead name holds nothing (its port pointer is dropped when the entry
//     learns of the death, ipc_right_check);
//   - each right in a message holds one reference and, for send and
//     send-once rights, one count.
// Send and receive rights for one port share one name, found through the
// space's port hash (ipc_entry.c).  A dead-name request hangs off both the
// entry (ie_request) and the port (ip_dnrequests): see ipc_notify.c for who
// owns it when.
//
// Every function runs with the space locked, and defers what needs other
// locks (notifications, port destruction: ipc_defer.h).

#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <ipc/ipc_entry.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_notify.h>
#include <ipc/ipc_defer.h>
#include <kern/assert.h>

#define TYPE_SR (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE)

/*
 * Purpose: notice that the port a send or send-once name denotes died, and
 *     turn the name into a dead name (a send right keeps its urefs, a
 *     send-once right becomes one uref).  The entry's reference and right
 *     count on the port are dropped.
 * Conditions: space locked.
 * Returns: true if the entry is (now) a dead name.
 */
bool
ipc_right_check(struct ipc_space *space, struct ipc_entry *entry)
{
    uint32_t bits = entry->ie_bits;
    struct ipc_port *port = entry->ie_object;
    uint32_t urefs;
    bool active;

    assert_locked(&space->is_lock);
    if (bits & MACH_PORT_TYPE_DEAD_NAME)
        return true;
    if (!(bits & MACH_PORT_TYPE_SEND_RIGHTS) || (bits & MACH_PORT_TYPE_RECEIVE))
        return false;
    ipc_port_lock(port);
    active = port->ip_active;
    if (!active) {
        if (bits & MACH_PORT_TYPE_SEND)
            port->ip_srights--;
        else
            port->ip_sorights--;
    }
    ipc_port_unlock(port);
    if (active)
        return false;
    urefs = (bits & MACH_PORT_TYPE_SEND) ? IE_BITS_UREFS(bits) : 1;
    ipc_entry_set(space, entry, NULL, MACH_PORT_TYPE_DEAD_NAME | urefs);
    ipc_port_release(port); /* never the last: the dead port's destroyer holds one */
    return true;
}

/*
 * Purpose: look up a name for the mach_port_* calls.
 * Conditions: space locked.
 * Returns: KERN_SUCCESS with *entryp; KERN_INVALID_TASK (space dead);
 *     KERN_INVALID_NAME (the name denotes nothing).
 */
kern_return_t
ipc_right_lookup(struct ipc_space *space, mach_port_name_t name, struct ipc_entry **entryp)
{
    struct ipc_entry *e;

    assert_locked(&space->is_lock);
    if (!space->is_active)
        return KERN_INVALID_TASK;
    e = ipc_entry_lookup(space, name);
    if (e == NULL)
        return KERN_INVALID_NAME;
    *entryp = e;
    return KERN_SUCCESS;
}

// Drops the entry's dead-name request because the name is going away or
// no longer denotes the port: while the port lives, the request is taken
// off it and a port-deleted notification goes to the requester; once the
// port is dead, the request belongs to its destroyer (ipc_notify.c).
static void
request_cancel(struct ipc_space *space, mach_port_name_t name, struct ipc_entry *entry)
{
    struct ipc_dnrequest *req = entry->ie_request;
    struct ipc_port *port = entry->ie_object;

    if (req == NULL)
        return;
    entry->ie_request = NULL;
    if (port == NULL || (entry->ie_bits & MACH_PORT_TYPE_DEAD_NAME))
        return;
    ipc_port_lock(port);
    if (!port->ip_active) {
        ipc_port_unlock(port);
        return;
    }
    ipc_dnrequest_cancel(port, req);
    ipc_port_unlock(port);
    (void)space;
    ipc_notify_port_deleted(req->idr_notify, name);
    req->idr_notify = NULL;
    ipc_dnrequest_free(req);
}

// Removes a name (its request cancelled first).
static void
entry_delete(struct ipc_space *space, mach_port_name_t name, struct ipc_entry *entry)
{
    request_cancel(space, name, entry);
    ipc_entry_dealloc(space, name, entry);
}

// Releases a send right whose reference the entry keeps (the name still
// denotes the receive right): the no-senders notification may be due.
static void
release_send_keep_ref(struct ipc_port *port)
{
    ipc_port_reference(port);
    ipc_port_release_send(port);
}

// Starts or continues this copyin's tally on the entry.
static void
tally_start(struct ipc_space *space, struct ipc_entry *e)
{
    if (e->ie_tally_epoch != space->is_epoch) {
        e->ie_tally_epoch = space->is_epoch;
        e->ie_tally_moved = 0;
        e->ie_tally_flags = 0;
    }
}

// Claims one more send uref (moved) or the existence of one (copied).
static kern_return_t
tally_send(struct ipc_entry *e, bool move)
{
    uint32_t urefs = IE_BITS_UREFS(e->ie_bits);
    uint32_t moved = e->ie_tally_moved + (move ? 1 : 0);
    bool copied = (e->ie_tally_flags & IE_TALLY_COPIED) || !move;

    if (moved + (copied ? 1 : 0) > urefs)
        return KERN_INVALID_RIGHT;
    e->ie_tally_moved = (uint16_t)moved;
    if (!move)
        e->ie_tally_flags |= IE_TALLY_COPIED;
    return KERN_SUCCESS;
}

// Claims the receive right: used (MAKE_SEND, MAKE_SEND_ONCE) or moved.
// Rights are copied in in message order (header, then descriptors), so a
// message may make rights from a receive right and then move it (a
// send-once right and the receive right of one port in one message is a
// common pattern), but nothing may use it once it has moved.
static kern_return_t
tally_receive(struct ipc_entry *e, uint16_t flag)
{
    if (!(e->ie_bits & MACH_PORT_TYPE_RECEIVE))
        return KERN_INVALID_RIGHT;
    if (e->ie_tally_flags & IE_TALLY_RECV_MOVED)
        return KERN_INVALID_RIGHT;
    e->ie_tally_flags |= flag;
    return KERN_SUCCESS;
}

/*
 * Purpose: the decode half of copyin: could `disposition` be applied to
 *     this entry, on top of everything this message already claimed from
 *     it?  Claims are tallied on the entry for the space's current epoch
 *     (ipc_kmsg_copyin bumps is_epoch once per message), so a message that
 *     moves more urefs than a name has, or uses a receive right after
 *     moving it, fails here and changes nothing.  Dead names pass only if
 *     dead_ok (message bodies and the reply port; never the destination).
 * Conditions: space locked and active.
 * Returns: KERN_SUCCESS, KERN_INVALID_RIGHT.
 */
kern_return_t
ipc_right_copyin_check(struct ipc_space *space, struct ipc_entry *entry,
                       mach_msg_type_name_t disposition, bool dead_ok)
{
    bool dead = ipc_right_check(space, entry);
    uint32_t bits = entry->ie_bits;

    tally_start(space, entry);
    if (dead && !dead_ok)
        return KERN_INVALID_RIGHT;
    switch (disposition) {
    case MACH_MSG_TYPE_MOVE_RECEIVE:
        return tally_receive(entry, IE_TALLY_RECV_MOVED);
    case MACH_MSG_TYPE_MAKE_SEND:
    case MACH_MSG_TYPE_MAKE_SEND_ONCE:
        return tally_receive(entry, IE_TALLY_RECV_USED);
    case MACH_MSG_TYPE_COPY_SEND:
    case MACH_MSG_TYPE_MOVE_SEND:
        if (!(bits & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DEAD_NAME)))
            return KERN_INVALID_RIGHT;
        return tally_send(entry, disposition == MACH_MSG_TYPE_MOVE_SEND);
    case MACH_MSG_TYPE_MOVE_SEND_ONCE:
        if (dead)
            return tally_send(entry, true);
        if (!(bits & MACH_PORT_TYPE_SEND_ONCE) || (entry->ie_tally_flags & IE_TALLY_SONCE))
            return KERN_INVALID_RIGHT;
        entry->ie_tally_flags |= IE_TALLY_SONCE;
        return KERN_SUCCESS;
    default:
        return KERN_INVALID_RIGHT;
    }
}

// Takes one uref of a dead name.
static struct ipc_port *
copyin_dead(struct ipc_space *space, mach_port_name_t name, struct ipc_entry *entry, bool move)
{
    if (move) {
        uint32_t urefs = IE_BITS_UREFS(entry->ie_bits);
        if (urefs == 1)
            entry_delete(space, name, entry);
        else
            entry->ie_bits--;
    }
    return IP_DEAD;
}

static struct ipc_port *
copyin_move_receive(struct ipc_space *space, mach_port_name_t name, struct ipc_entry *entry,
                    struct ipc_port *dest)
{
    struct ipc_port *port = entry->ie_object;

    ipc_pset_remove_port(port);
    ipc_port_lock(port);
    ipc_port_clear_receiver_locked(port, dest);
    ipc_port_unlock(port);
    if (entry->ie_bits & MACH_PORT_TYPE_SEND) {
        ipc_entry_set(space, entry, port, entry->ie_bits & ~MACH_PORT_TYPE_RECEIVE);
        ipc_port_reference(port); /* the entry keeps its own */
    } else {
        entry_delete(space, name, entry); /* its reference moves to the message */
    }
    return port;
}

static struct ipc_port *
copyin_move_send(struct ipc_space *space, mach_port_name_t name, struct ipc_entry *entry)
{
    struct ipc_port *port = entry->ie_object;
    uint32_t bits = entry->ie_bits;

    if (IE_BITS_UREFS(bits) > 1) {
        entry->ie_bits--;
        ipc_port_lock(port);
        port->ip_srights++; /* the entry keeps one, the message gets one */
        ipc_port_reference(port);
        ipc_port_unlock(port);
    } else if (bits & MACH_PORT_TYPE_RECEIVE) {
        ipc_entry_set(space, entry, port, MACH_PORT_TYPE_RECEIVE);
        ipc_port_reference(port); /* the entry keeps its own; the right moves */
    } else {
        entry_delete(space, name, entry); /* right and reference move */
    }
    return port;
}

/*
 * Purpose: the commit half of copyin: apply `disposition` to the entry and
 *     return the right it yields for a message.  A moved receive right
 *     leaves its set and goes in transit towards `dest`.
 * Conditions: space locked; ipc_right_copyin_check said yes in this epoch.
 *     Cannot fail.
 * Returns: the port carrying the new right and a reference, or IP_DEAD for
 *     a dead name.
 */
struct ipc_port *
ipc_right_copyin(struct ipc_space *space, mach_port_name_t name, struct ipc_entry *entry,
                 mach_msg_type_name_t disposition, struct ipc_port *dest)
{
    struct ipc_port *port = entry->ie_object;

    assert_locked(&space->is_lock);
    if (entry->ie_bits & MACH_PORT_TYPE_DEAD_NAME) {
        return copyin_dead(space, name, entry, disposition != MACH_MSG_TYPE_COPY_SEND);
    }
    switch (disposition) {
    case MACH_MSG_TYPE_MOVE_RECEIVE:
        return copyin_move_receive(space, name, entry, dest);
    case MACH_MSG_TYPE_MAKE_SEND:
        ipc_port_lock(port);
        ipc_port_make_send_locked(port);
        ipc_port_unlock(port);
        return port;
    case MACH_MSG_TYPE_MAKE_SEND_ONCE:
        ipc_port_lock(port);
        ipc_port_make_sonce_locked(port);
        ipc_port_unlock(port);
        return port;
    case MACH_MSG_TYPE_COPY_SEND:
        ipc_port_lock(port);
        port->ip_srights++; /* even if it just died: the message destroys it */
        ipc_port_reference(port);
        ipc_port_unlock(port);
        return port;
    case MACH_MSG_TYPE_MOVE_SEND:
        return copyin_move_send(space, name, entry);
    case MACH_MSG_TYPE_MOVE_SEND_ONCE:
        entry_delete(space, name, entry);
        return port;
    default:
        panic("ipc_right_copyin: disposition %u passed the check", disposition);
    }
}

// Adds a send right from a message to an entry that already names the
// port.  Returns KERN_UREFS_OVERFLOW (nothing changed) at the limit.
static kern_return_t
copyout_send_merge(struct ipc_space *space, struct ipc_entry *e, struct ipc_port *port)
{
    uint32_t bits = e->ie_bits;

    if (bits & MACH_PORT_TYPE_SEND) {
        if (IE_BITS_UREFS(bits) >= MACH_PORT_UREFS_MAX)
            return KERN_UREFS_OVERFLOW;
        e->ie_bits++;
        ipc_port_lock(port);
        port->ip_srights--; /* merged into the entry's one */
        ipc_port_unlock(port);
    } else {
        ipc_entry_set(space, e, port, bits | MACH_PORT_TYPE_SEND | 1);
    }
    ipc_port_release(port); /* the entry holds one already */
    return KERN_SUCCESS;
}

// Receives a receive right into the entry `e` names (new, or holding send
// rights for the same port).
static void
copyout_receive(struct ipc_space *space, mach_port_name_t name, struct ipc_entry *e,
                struct ipc_port *port)
{
    bool merge = e->ie_bits != 0;

    ipc_port_lock(port);
    ipc_port_set_receiver_locked(port, space, name);
    ipc_port_unlock(port);
    ipc_entry_set(space, e, port, e->ie_bits | MACH_PORT_TYPE_RECEIVE);
    if (merge)
        ipc_port_release(port);
}

static bool
port_alive(struct ipc_port *port)
{
    bool active;

    ipc_port_lock(port);
    active = port->ip_active;
    ipc_port_unlock(port);
    return active;
}

// Drops a send or send-once right a message carried to a dead port.
static void
release_dead_right(struct ipc_port *port, mach_msg_type_name_t type)
{
    if (type == MACH_MSG_TYPE_PORT_SEND)
        ipc_port_release_send(port);
    else
        ipc_port_release_sonce(port);
}

/*
 * Purpose: give `space` the right a message carried (type is the received
 *     type: PORT_SEND, PORT_SEND_ONCE or PORT_RECEIVE), under the name it
 *     already uses for the port if any (send and receive), or a new one.
 *     A send or send-once right for a port that died comes out as
 *     MACH_PORT_DEAD and is released.
 * Conditions: space locked and active.  On success the right (and its
 *     reference) is consumed; on failure it stays with the caller.
 * Returns: KERN_SUCCESS with *namep; KERN_NO_SPACE; KERN_UREFS_OVERFLOW.
 */
kern_return_t
ipc_right_copyout(struct ipc_space *space, struct ipc_port *port, mach_msg_type_name_t type,
                  mach_port_name_t *namep)
{
    struct ipc_entry *e = NULL;
    mach_port_name_t name;
    kern_return_t kr;

    assert_locked(&space->is_lock);
    if (type != MACH_MSG_TYPE_PORT_RECEIVE && !port_alive(port)) {
        release_dead_right(port, type);
        *namep = MACH_PORT_DEAD;
        return KERN_SUCCESS;
    }
    if (type != MACH_MSG_TYPE_PORT_SEND_ONCE)
        e = ipc_entry_hash_lookup(space, port);
    if (e != NULL) {
        name = ipc_entry_name(space, e);
        if (type == MACH_MSG_TYPE_PORT_RECEIVE)
            copyout_receive(space, name, e, port);
        else if ((kr = copyout_send_merge(space, e, port)) != KERN_SUCCESS)
            return kr;
        *namep = name;
        return KERN_SUCCESS;
    }
    if ((kr = ipc_entry_alloc(space, &name, &e)) != KERN_SUCCESS)
        return kr;
    if (type == MACH_MSG_TYPE_PORT_RECEIVE)
        copyout_receive(space, name, e, port);
    else if (type == MACH_MSG_TYPE_PORT_SEND)
        ipc_entry_set(space, e, port, MACH_PORT_TYPE_SEND | 1);
    else
        ipc_entry_set(space, e, port, MACH_PORT_TYPE_SEND_ONCE | 1);
    *namep = name;
    return KERN_SUCCESS;
}

/*
 * Purpose: as ipc_right_copyout, under a name the caller chose
 *     (mach_port_insert_right).
 * Conditions: space locked and active.  Consumes the right on success.
 * Returns: KERN_SUCCESS; KERN_NAME_EXISTS (the name denotes something it
 *     cannot be merged with); KERN_RIGHT_EXISTS (the space names the port
 *     under another name); KERN_UREFS_OVERFLOW; KERN_INVALID_VALUE (name
 *     not representable); KERN_NO_SPACE; KERN_INVALID_CAPABILITY (the port
 *     is dead).
 */
kern_return_t
ipc_right_copyout_name(struct ipc_space *space, mach_port_name_t name, struct ipc_port *port,
                       mach_msg_type_name_t type)
{
    struct ipc_entry *e, *other = NULL;
    kern_return_t kr;

    assert_locked(&space->is_lock);
    if (type != MACH_MSG_TYPE_PORT_RECEIVE && !port_alive(port))
        return KERN_INVALID_CAPABILITY;
    if (type != MACH_MSG_TYPE_PORT_SEND_ONCE)
        other = ipc_entry_hash_lookup(space, port);
    if ((kr = ipc_entry_alloc_name(space, name, &e)) != KERN_SUCCESS)
        return kr;
    if (other != NULL && other != e)
        kr = KERN_RIGHT_EXISTS;
    else if (e->ie_bits != 0 && (other != e || type == MACH_MSG_TYPE_PORT_SEND_ONCE))
        kr = KERN_NAME_EXISTS;
    else if (e->ie_bits != 0 && type == MACH_MSG_TYPE_PORT_RECEIVE &&
             (e->ie_bits & MACH_PORT_TYPE_RECEIVE))
        kr = KERN_NAME_EXISTS;
    if (kr != KERN_SUCCESS) {
        if (e->ie_bits == 0)
            ipc_entry_dealloc(space, name, e);
        return kr;
    }
    if (type == MACH_MSG_TYPE_PORT_RECEIVE)
        copyout_receive(space, name, e, port);
    else if (e->ie_bits != 0)
        return copyout_send_merge(space, e, port);
    else if (type == MACH_MSG_TYPE_PORT_SEND)
        ipc_entry_set(space, e, port, MACH_PORT_TYPE_SEND | 1);
    else
        ipc_entry_set(space, e, port, MACH_PORT_TYPE_SEND_ONCE | 1);
    return KERN_SUCCESS;
}

// Destroys a send-once right a name held: the port gets a send-once
// notification in its place.
static void
destroy_sonce(struct ipc_space *space, mach_port_name_t name, struct ipc_entry *entry)
{
    struct ipc_port *port = entry->ie_object;

    entry_delete(space, name, entry);
    ipc_notify_send_once(port);
}

// The name stops denoting the receive right: the port dies (or goes to its
// port-destroyed requester).  The entry's reference goes along unless it
// still holds send rights.
static void
destroy_receive(struct ipc_space *space, mach_port_name_t name, struct ipc_entry *entry)
{
    struct ipc_port *port = entry->ie_object;

    ipc_pset_remove_port(port);
    ipc_port_lock(port);
    port->ip_receiver = NULL;
    port->ip_receiver_name = MACH_PORT_NULL;
    ipc_port_unlock(port);
    if (entry->ie_bits & MACH_PORT_TYPE_SEND) {
        ipc_entry_set(space, entry, port, entry->ie_bits & ~MACH_PORT_TYPE_RECEIVE);
        ipc_port_reference(port);
    } else {
        entry_delete(space, name, entry);
    }
    ipc_defer_destroy_port(port);
}

/*
 * Purpose: mach_port_deallocate: drop one uref of a send right or dead
 *     name, or the send-once right (with a send-once notification).
 * Conditions: space locked.
 * Returns: KERN_SUCCESS; KERN_INVALID_RIGHT (receive right alone, port set).
 */
kern_return_t
ipc_right_dealloc(struct ipc_space *space, mach_port_name_t name, struct ipc_entry *entry)
{
    struct ipc_port *port;
    uint32_t bits;

    assert_locked(&space->is_lock);
    ipc_right_check(space, entry);
    bits = entry->ie_bits;
    port = entry->ie_object;
    if (bits & MACH_PORT_TYPE_DEAD_NAME) {
        (void)copyin_dead(space, name, entry, true);
    } else if (bits & MACH_PORT_TYPE_SEND_ONCE) {
        destroy_sonce(space, name, entry);
    } else if (bits & MACH_PORT_TYPE_SEND) {
        if (IE_BITS_UREFS(bits) > 1) {
            entry->ie_bits--;
        } else if (bits & MACH_PORT_TYPE_RECEIVE) {
            ipc_entry_set(space, entry, port, MACH_PORT_TYPE_RECEIVE);
            release_send_keep_ref(port);
        } else {
            entry_delete(space, name, entry);
            ipc_port_release_send(port);
        }
    } else {
        return KERN_INVALID_RIGHT;
    }
    return KERN_SUCCESS;
}

/*
 * Purpose: mach_port_destroy: remove every right the name denotes.  A
 *     receive right's port dies; a send-once right sends its notification;
 *     a set is destroyed.
 * Conditions: space locked (active or being destroyed).
 */
void
ipc_right_destroy(struct ipc_space *space, mach_port_name_t name, struct ipc_entry *entry)
{
    uint32_t bits;
    struct ipc_port *port;

    assert_locked(&space->is_lock);
    if (entry->ie_bits & MACH_PORT_TYPE_PORT_SET) {
        struct ipc_pset *pset = entry->ie_object;
        ipc_entry_dealloc(space, name, entry);
        ipc_pset_destroy(pset);
        return;
    }
    ipc_right_check(space, entry);
    bits = entry->ie_bits;
    port = entry->ie_object;
    if (bits & MACH_PORT_TYPE_DEAD_NAME) {
        entry_delete(space, name, entry);
    } else if (bits & MACH_PORT_TYPE_SEND_ONCE) {
        destroy_sonce(space, name, entry);
    } else if (bits & MACH_PORT_TYPE_RECEIVE) {
        if (bits & MACH_PORT_TYPE_SEND) {
            ipc_entry_set(space, entry, port, MACH_PORT_TYPE_RECEIVE);
            ipc_port_lock(port);
            port->ip_srights--; /* no no-senders: the port is dying */
            ipc_port_unlock(port);
        }
        destroy_receive(space, name, entry);
    } else {
        entry_delete(space, name, entry);
        ipc_port_release_send(port);
    }
}

// Applies delta to the urefs of a send right or dead name; new count 0
// removes the right.
static kern_return_t
delta_urefs(struct ipc_space *space, mach_port_name_t name, struct ipc_entry *entry,
            mach_port_delta_t delta)
{
    uint32_t bits = entry->ie_bits;
    int64_t urefs = (int64_t)IE_BITS_UREFS(bits) + delta;
    struct ipc_port *port = entry->ie_object;

    if (urefs < 0)
        return KERN_INVALID_VALUE;
    if (urefs > MACH_PORT_UREFS_MAX)
        return KERN_UREFS_OVERFLOW;
    if (urefs > 0) {
        entry->ie_bits = IE_BITS_TYPE(bits) | (uint32_t)urefs;
    } else if (bits & MACH_PORT_TYPE_DEAD_NAME) {
        entry_delete(space, name, entry);
    } else if (bits & MACH_PORT_TYPE_RECEIVE) {
        ipc_entry_set(space, entry, port, MACH_PORT_TYPE_RECEIVE);
        release_send_keep_ref(port);
    } else {
        entry_delete(space, name, entry);
        ipc_port_release_send(port);
    }
    return KERN_SUCCESS;
}

// For the rights that exist once per name: delta must be 0 or -1.
static kern_return_t
delta_single(mach_port_delta_t delta)
{
    return (delta == 0 || delta == -1) ? KERN_SUCCESS : KERN_INVALID_VALUE;
}

/*
 * Purpose: mach_port_mod_refs: add delta to the user references of one
 *     kind of right the name denotes.
 * Conditions: space locked.
 * Returns: KERN_SUCCESS; KERN_INVALID_RIGHT (the name does not denote that
 *     right); KERN_INVALID_VALUE (bad right, or urefs would go below 0, or
 *     delta not 0/-1 for receive, send-once and port-set rights);
 *     KERN_UREFS_OVERFLOW.
 */
kern_return_t
ipc_right_delta(struct ipc_space *space, mach_port_name_t name, struct ipc_entry *entry,
                mach_port_right_t right, mach_port_delta_t delta)
{
    kern_return_t kr;
    uint32_t bits;

    assert_locked(&space->is_lock);
    if (right >= MACH_PORT_RIGHT_NUMBER)
        return KERN_INVALID_VALUE;
    ipc_right_check(space, entry);
    bits = entry->ie_bits;
    if (!(bits & MACH_PORT_TYPE(right)))
        return KERN_INVALID_RIGHT;
    if (right == MACH_PORT_RIGHT_SEND || right == MACH_PORT_RIGHT_DEAD_NAME)
        return delta_urefs(space, name, entry, delta);
    if ((kr = delta_single(delta)) != KERN_SUCCESS || delta == 0)
        return kr;
    if (right == MACH_PORT_RIGHT_RECEIVE)
        destroy_receive(space, name, entry);
    else
        ipc_right_destroy(space, name, entry); /* send-once or port set */
    return KERN_SUCCESS;
}

/*
 * Purpose: the rights a name denotes and its urefs (mach_port_type,
 *     mach_port_get_refs); a send right whose port died reads as a dead
 *     name.  The type includes MACH_PORT_TYPE_DNREQUEST-style bits never:
 *     Quay reports rights only.
 * Conditions: space locked.
 */
void
ipc_right_info(struct ipc_space *space, struct ipc_entry *entry, mach_port_type_t *typep,
               mach_port_urefs_t *urefsp)
{
    assert_locked(&space->is_lock);
    ipc_right_check(space, entry);
    *typep = IE_BITS_TYPE(entry->ie_bits);
    *urefsp = IE_BITS_UREFS(entry->ie_bits);
}

/*
 * Purpose: register (or, with notify NULL, cancel) a dead-name request on
 *     a name denoting send, send-once or receive rights.  If the name is
 *     already dead: with `immediate` (a non-zero sync) the dead-name
 *     notification is sent at once, with an extra uref for the name;
 *     otherwise it is an error.
 * Conditions: space locked and active.  Consumes `notify` (a send-once
 *     right) on success.
 * Returns: KERN_SUCCESS with *previousp (the replaced request's send-once
 *     right, or NULL); KERN_INVALID_RIGHT (port set, or dead without
 *     immediate); KERN_UREFS_OVERFLOW; KERN_RESOURCE_SHORTAGE.
 */
kern_return_t
ipc_right_dnrequest(struct ipc_space *space, mach_port_name_t name, struct ipc_entry *entry,
                    bool immediate, struct ipc_port *notify, struct ipc_port **previousp)
{
    struct ipc_dnrequest *req = entry->ie_request;
    struct ipc_port *port = entry->ie_object;

    assert_locked(&space->is_lock);
    if (entry->ie_bits & MACH_PORT_TYPE_PORT_SET)
        return KERN_INVALID_RIGHT;
    if (ipc_right_check(space, entry)) {
        if (!immediate || notify == NULL)
            return KERN_INVALID_RIGHT;
        if (IE_BITS_UREFS(entry->ie_bits) >= MACH_PORT_UREFS_MAX)
            return KERN_UREFS_OVERFLOW;
        entry->ie_bits++;
        ipc_notify_dead_name(notify, name);
        *previousp = NULL;
        return KERN_SUCCESS;
    }
    if (req == NULL && notify != NULL) {
        if ((req = ipc_dnrequest_alloc()) == NULL)
            return KERN_RESOURCE_SHORTAGE;
        req->idr_space = space;
        ipc_space_reference(space);
        req->idr_name = name;
        req->idr_notify = NULL;
        ipc_port_lock(port);
        req->idr_next = port->ip_dnrequests;
        port->ip_dnrequests = req;
        ipc_port_unlock(port);
        entry->ie_request = req;
    }
    *previousp = req != NULL ? req->idr_notify : NULL;
    if (req != NULL && notify == NULL) {
        ipc_port_lock(port);
        ipc_dnrequest_cancel(port, req);
        ipc_port_unlock(port);
        entry->ie_request = NULL;
        ipc_dnrequest_free(req);
    } else if (req != NULL) {
        req->idr_notify = notify;
    }
    return KERN_SUCCESS;
}

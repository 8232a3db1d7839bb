// SPDX-License-Identifier: MIT
//
// The mach_port_* calls (mach_port.h) with GNU Mach's kernel signatures.
// Each checks its arguments, does its work under the space lock through
// ipc_right / ipc_port / ipc_pset, and runs the deferred IPC work
// (notifications, port destruction) once the lock is dropped.

#include <ipc/mach_port.h>
#include <ipc/ipc_space.h>
#include <ipc/ipc_entry.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_notify.h>
#include <ipc/ipc_defer.h>
#include <ipc/ipc_kmsg.h>
#include <kern/kalloc.h>

// Ends a call that held the space lock.
static kern_return_t
done(struct ipc_space *space, kern_return_t kr)
{
    ipc_space_unlock(space);
    ipc_defer_run();
    return kr;
}

// Locks the space and finds `name`; on failure unlocks and returns why.
static kern_return_t
lookup(struct ipc_space *space, mach_port_name_t name, struct ipc_entry **entryp)
{
    kern_return_t kr;

    if (space == NULL)
        return KERN_INVALID_TASK;
    ipc_space_lock(space);
    if ((kr = ipc_right_lookup(space, name, entryp)) != KERN_SUCCESS)
        ipc_space_unlock(space);
    return kr;
}

static kern_return_t
allocate_dead_name(struct ipc_space *space, mach_port_name_t *namep, bool named)
{
    struct ipc_entry *e;
    kern_return_t kr;

    ipc_space_lock(space);
    if (!space->is_active)
        return done(space, KERN_INVALID_TASK);
    kr = named ? ipc_entry_alloc_name(space, *namep, &e) : ipc_entry_alloc(space, namep, &e);
    if (kr == KERN_SUCCESS && e->ie_bits != 0)
        kr = KERN_NAME_EXISTS;
    if (kr == KERN_SUCCESS)
        ipc_entry_set(space, e, NULL, MACH_PORT_TYPE_DEAD_NAME | 1);
    return done(space, kr);
}

/*
 * Purpose: mach_port_allocate: a new receive right, port set or dead name.
 * Returns: KERN_SUCCESS with *namep; KERN_INVALID_TASK; KERN_INVALID_VALUE
 *     (other rights); KERN_NO_SPACE; KERN_RESOURCE_SHORTAGE.
 */
kern_return_t
mach_port_allocate(struct ipc_space *space, mach_port_right_t right, mach_port_name_t *namep)
{
    struct ipc_port *port;
    struct ipc_pset *pset;
    mach_port_name_t name;
    kern_return_t kr;

    if (space == NULL)
        return KERN_INVALID_TASK;
    if (right == MACH_PORT_RIGHT_RECEIVE)
        kr = ipc_port_alloc(space, &name, &port);
    else if (right == MACH_PORT_RIGHT_PORT_SET)
        kr = ipc_pset_alloc(space, &name, &pset);
    else if (right == MACH_PORT_RIGHT_DEAD_NAME)
        kr = allocate_dead_name(space, &name, false);
    else
        return KERN_INVALID_VALUE;
    if (kr == KERN_SUCCESS)
        *namep = name;
    return kr;
}

/*
 * Purpose: mach_port_allocate_name: as mach_port_allocate, under `name`.
 * Returns: as mach_port_allocate; KERN_NAME_EXISTS; KERN_INVALID_VALUE also
 *     for MACH_PORT_NULL/DEAD and names Quay cannot represent (below 256).
 */
kern_return_t
mach_port_allocate_name(struct ipc_space *space, mach_port_right_t right, mach_port_name_t name)
{
    struct ipc_port *port;
    struct ipc_pset *pset;

    if (space == NULL)
        return KERN_INVALID_TASK;
    if (!MACH_PORT_VALID(name))
        return KERN_INVALID_VALUE;
    if (right == MACH_PORT_RIGHT_RECEIVE)
        return ipc_port_alloc_name(space, name, &port);
    if (right == MACH_PORT_RIGHT_PORT_SET)
        return ipc_pset_alloc_name(space, name, &pset);
    if (right == MACH_PORT_RIGHT_DEAD_NAME)
        return allocate_dead_name(space, &name, true);
    return KERN_INVALID_VALUE;
}

/*
 * Purpose: mach_port_destroy: remove every right `name` denotes.
 * Returns: KERN_SUCCESS; KERN_INVALID_TASK; KERN_INVALID_NAME.
 */
kern_return_t
mach_port_destroy(struct ipc_space *space, mach_port_name_t name)
{
    struct ipc_entry *e;
    kern_return_t kr = lookup(space, name, &e);

    if (kr != KERN_SUCCESS)
        return kr;
    ipc_right_destroy(space, name, e);
    return done(space, KERN_SUCCESS);
}

/*
 * Purpose: mach_port_deallocate: drop one send uref, a send-once right or
 *     a dead-name uref.
 * Returns: KERN_SUCCESS; KERN_INVALID_TASK; KERN_INVALID_NAME;
 *     KERN_INVALID_RIGHT.
 */
kern_return_t
mach_port_deallocate(struct ipc_space *space, mach_port_name_t name)
{
    struct ipc_entry *e;
    kern_return_t kr = lookup(space, name, &e);

    if (kr != KERN_SUCCESS)
        return kr;
    return done(space, ipc_right_dealloc(space, name, e));
}

/*
 * Purpose: mach_port_mod_refs.
 * Returns: see ipc_right_delta; KERN_INVALID_TASK; KERN_INVALID_NAME.
 */
kern_return_t
mach_port_mod_refs(struct ipc_space *space, mach_port_name_t name, mach_port_right_t right,
                   mach_port_delta_t delta)
{
    struct ipc_entry *e;
    kern_return_t kr;

    if (right >= MACH_PORT_RIGHT_NUMBER)
        return KERN_INVALID_VALUE;
    if ((kr = lookup(space, name, &e)) != KERN_SUCCESS)
        return kr;
    return done(space, ipc_right_delta(space, name, e, right, delta));
}

/*
 * Purpose: mach_port_get_refs: urefs of one kind of right (0 if the name
 *     does not denote it; 1 for receive, send-once and port-set rights).
 * Returns: KERN_SUCCESS with *refsp; KERN_INVALID_TASK; KERN_INVALID_NAME;
 *     KERN_INVALID_VALUE.
 */
kern_return_t
mach_port_get_refs(struct ipc_space *space, mach_port_name_t name, mach_port_right_t right,
                   mach_port_urefs_t *refsp)
{
    struct ipc_entry *e;
    mach_port_type_t type;
    mach_port_urefs_t urefs;
    kern_return_t kr;

    if (right >= MACH_PORT_RIGHT_NUMBER)
        return KERN_INVALID_VALUE;
    if ((kr = lookup(space, name, &e)) != KERN_SUCCESS)
        return kr;
    ipc_right_info(space, e, &type, &urefs);
    ipc_space_unlock(space);
    if (!(type & MACH_PORT_TYPE(right)))
        *refsp = 0;
    else if (right == MACH_PORT_RIGHT_SEND || right == MACH_PORT_RIGHT_DEAD_NAME)
        *refsp = urefs;
    else
        *refsp = 1;
    return KERN_SUCCESS;
}

/*
 * Purpose: mach_port_insert_right: give `space` the right `poly` carries
 *     (polyPoly: its received type) under `name`.
 * Conditions: consumes the right on success only.
 * Returns: KERN_SUCCESS; KERN_INVALID_TASK; KERN_INVALID_VALUE (bad name or
 *     type); KERN_INVALID_CAPABILITY (no port, or a dead one);
 *     KERN_NAME_EXISTS; KERN_RIGHT_EXISTS; KERN_UREFS_OVERFLOW;
 *     KERN_NO_SPACE.
 */
kern_return_t
mach_port_insert_right(struct ipc_space *space, mach_port_name_t name, struct ipc_port *poly,
                       mach_msg_type_name_t polyPoly)
{
    kern_return_t kr;

    if (space == NULL)
        return KERN_INVALID_TASK;
    if (!MACH_PORT_VALID(name) || !MACH_MSG_TYPE_PORT_ANY_RIGHT(polyPoly))
        return KERN_INVALID_VALUE;
    if (!IP_VALID(poly))
        return KERN_INVALID_CAPABILITY;
    ipc_space_lock(space);
    if (!space->is_active)
        return done(space, KERN_INVALID_TASK);
    kr = ipc_right_copyout_name(space, name, poly, polyPoly);
    return done(space, kr);
}

/*
 * Purpose: mach_port_extract_right: take a right out of `space` as a
 *     message would (msgt_name is a disposition).
 * Returns: KERN_SUCCESS with *polyp (IP_DEAD for a dead name) and
 *     *polyPolyp (its received type); KERN_INVALID_TASK; KERN_INVALID_NAME;
 *     KERN_INVALID_VALUE (bad disposition); KERN_INVALID_RIGHT.
 */
kern_return_t
mach_port_extract_right(struct ipc_space *space, mach_port_name_t name,
                        mach_msg_type_name_t msgt_name, struct ipc_port **polyp,
                        mach_msg_type_name_t *polyPolyp)
{
    struct ipc_entry *e;
    struct ipc_port *port;
    kern_return_t kr;

    if (!MACH_MSG_TYPE_PORT_ANY(msgt_name))
        return KERN_INVALID_VALUE;
    if ((kr = lookup(space, name, &e)) != KERN_SUCCESS)
        return kr;
    space->is_epoch++;
    if ((kr = ipc_right_copyin_check(space, e, msgt_name, true)) != KERN_SUCCESS)
        return done(space, kr);
    port = ipc_right_copyin(space, name, e, msgt_name, IP_NULL);
    *polyp = port;
    *polyPolyp = ipc_object_copyin_type(msgt_name);
    return done(space, KERN_SUCCESS);
}

// Locks the space and finds the receive right `name` denotes; on failure
// unlocks and returns why.
static kern_return_t
lookup_receive(struct ipc_space *space, mach_port_name_t name, struct ipc_port **portp)
{
    struct ipc_entry *e;
    kern_return_t kr = lookup(space, name, &e);

    if (kr != KERN_SUCCESS)
        return kr;
    if (!(e->ie_bits & MACH_PORT_TYPE_RECEIVE)) {
        ipc_space_unlock(space);
        return KERN_INVALID_RIGHT;
    }
    *portp = e->ie_object;
    return KERN_SUCCESS;
}

/*
 * Purpose: mach_port_move_member: put the receive right `member` into the
 *     set `after`, or with MACH_PORT_NULL take it out of its set.
 * Returns: KERN_SUCCESS; KERN_INVALID_TASK; KERN_INVALID_NAME;
 *     KERN_INVALID_RIGHT (member not a receive right, after not a set);
 *     KERN_NOT_IN_SET (removing a port that is in no set).
 */
kern_return_t
mach_port_move_member(struct ipc_space *space, mach_port_name_t member, mach_port_name_t after)
{
    struct ipc_port *port;
    struct ipc_entry *se;
    struct ipc_pset *pset;
    kern_return_t kr = lookup_receive(space, member, &port);

    if (kr != KERN_SUCCESS)
        return kr;
    if (after == MACH_PORT_NULL) {
        pset = port->ip_pset; /* stable: only this space's calls change it */
        kr = pset != NULL ? ipc_pset_remove(pset, port) : KERN_NOT_IN_SET;
        return done(space, kr);
    }
    se = ipc_entry_lookup(space, after);
    if (se == NULL)
        return done(space, KERN_INVALID_NAME);
    if (!(se->ie_bits & MACH_PORT_TYPE_PORT_SET))
        return done(space, KERN_INVALID_RIGHT);
    kr = ipc_pset_add(se->ie_object, port);
    return done(space, kr == KERN_ALREADY_IN_SET ? KERN_SUCCESS : kr);
}

/*
 * Purpose: mach_port_get_set_status: the names of a set's members.
 * Returns: KERN_SUCCESS with *membersp (kalloc'ed, *countp names; the
 *     caller kfree()s count * sizeof(mach_port_name_t); NULL when empty);
 *     KERN_INVALID_TASK; KERN_INVALID_NAME; KERN_INVALID_RIGHT (not a set);
 *     KERN_RESOURCE_SHORTAGE.
 */
kern_return_t
mach_port_get_set_status(struct ipc_space *space, mach_port_name_t name,
                         mach_port_name_t **membersp, mach_msg_type_number_t *countp)
{
    struct ipc_entry *e;
    struct ipc_pset *pset;
    mach_port_name_t *names = NULL;
    unsigned n = 0;
    kern_return_t kr = lookup(space, name, &e);

    if (kr != KERN_SUCCESS)
        return kr;
    if (!(e->ie_bits & MACH_PORT_TYPE_PORT_SET))
        return done(space, KERN_INVALID_RIGHT);
    pset = e->ie_object;
    /* Members are receive rights named in this space, whose names the
     * space lock keeps stable; the set's lock keeps the list. */
    spin_lock(&pset->ips_lock);
    if (pset->ips_nmembers != 0 && (names = kalloc(pset->ips_nmembers * sizeof(*names))) == NULL) {
        spin_unlock(&pset->ips_lock);
        return done(space, KERN_RESOURCE_SHORTAGE);
    }
    for (struct ipc_port *p = pset->ips_members; p != NULL; p = p->ip_pset_next)
        names[n++] = p->ip_receiver_name;
    spin_unlock(&pset->ips_lock);
    *membersp = names;
    *countp = n;
    return done(space, KERN_SUCCESS);
}

static kern_return_t
request_no_senders(struct ipc_port *port, mach_port_mscount_t sync, struct ipc_port *notify,
                   struct ipc_port **previousp)
{
    mach_port_mscount_t mscount;
    bool now = false;

    ipc_port_lock(port);
    *previousp = port->ip_nsrequest;
    port->ip_nsrequest = IP_NULL;
    if (notify != IP_NULL) {
        if (port->ip_srights == 0 && sync <= port->ip_mscount)
            now = true;
        else
            port->ip_nsrequest = notify;
    }
    mscount = port->ip_mscount;
    ipc_port_unlock(port);
    if (now)
        ipc_notify_no_senders(notify, mscount);
    return KERN_SUCCESS;
}

static kern_return_t
request_port_destroyed(struct ipc_port *port, mach_port_mscount_t sync, struct ipc_port *notify,
                       struct ipc_port **previousp)
{
    if (sync != 0)
        return KERN_INVALID_VALUE;
    ipc_port_lock(port);
    *previousp = port->ip_pdrequest;
    port->ip_pdrequest = notify;
    ipc_port_unlock(port);
    return KERN_SUCCESS;
}

/*
 * Purpose: mach_port_request_notification: register `notify` (a send-once
 *     right, or IP_NULL to cancel) for MACH_NOTIFY_DEAD_NAME (name denotes
 *     send, send-once or receive rights; if already dead and sync != 0, the
 *     notification is sent at once), MACH_NOTIFY_NO_SENDERS (receive right;
 *     sent at once if no send rights exist and the make-send count is at
 *     least sync) or MACH_NOTIFY_PORT_DESTROYED (receive right; sync 0).
 * Conditions: consumes `notify` on success.
 * Returns: KERN_SUCCESS with *previousp (the send-once right of the request
 *     it replaced, or IP_NULL); KERN_INVALID_TASK; KERN_INVALID_NAME;
 *     KERN_INVALID_RIGHT; KERN_INVALID_VALUE (unknown id, bad sync);
 *     KERN_UREFS_OVERFLOW; KERN_RESOURCE_SHORTAGE.
 */
kern_return_t
mach_port_request_notification(struct ipc_space *space, mach_port_name_t name, mach_msg_id_t id,
                               mach_port_mscount_t sync, struct ipc_port *notify,
                               struct ipc_port **previousp)
{
    struct ipc_entry *e;
    struct ipc_port *port;
    kern_return_t kr;

    if (id == MACH_NOTIFY_DEAD_NAME) {
        if ((kr = lookup(space, name, &e)) != KERN_SUCCESS)
            return kr;
        return done(space, ipc_right_dnrequest(space, name, e, sync != 0, notify, previousp));
    }
    if (id != MACH_NOTIFY_NO_SENDERS && id != MACH_NOTIFY_PORT_DESTROYED)
        return KERN_INVALID_VALUE;
    if ((kr = lookup_receive(space, name, &port)) != KERN_SUCCESS)
        return kr;
    if (id == MACH_NOTIFY_NO_SENDERS)
        kr = request_no_senders(port, sync, notify, previousp);
    else
        kr = request_port_destroyed(port, sync, notify, previousp);
    return done(space, kr);
}

/*
 * Purpose: mach_port_names: every name in the space and its type.
 * Returns: KERN_SUCCESS with two kalloc'ed arrays of *namesCnt == *typesCnt
 *     elements (kfree count * 4 bytes each; NULL when empty);
 *     KERN_INVALID_TASK; KERN_RESOURCE_SHORTAGE.
 */
kern_return_t
mach_port_names(struct ipc_space *space, mach_port_name_t **namesp,
                mach_msg_type_number_t *namesCnt, mach_port_type_t **typesp,
                mach_msg_type_number_t *typesCnt)
{
    mach_port_name_t *names = NULL;
    mach_port_type_t *types = NULL;
    mach_port_urefs_t urefs;
    uint32_t n = 0, count;

    if (space == NULL)
        return KERN_INVALID_TASK;
    ipc_space_lock(space);
    if (!space->is_active)
        return done(space, KERN_INVALID_TASK);
    count = space->is_in_use;
    if (count != 0) {
        names = kalloc(count * sizeof(*names));
        types = kalloc(count * sizeof(*types));
        if (names == NULL || types == NULL) {
            kfree(names, count * sizeof(*names));
            kfree(types, count * sizeof(*types));
            return done(space, KERN_RESOURCE_SHORTAGE);
        }
    }
    for (uint32_t i = 1; i < space->is_table_size && n < count; i++) {
        struct ipc_entry *e = &space->is_table[i];
        if (e->ie_bits == 0)
            continue;
        names[n] = ipc_entry_name(space, e);
        ipc_right_info(space, e, &types[n], &urefs);
        n++;
    }
    *namesp = names;
    *typesp = types;
    *namesCnt = *typesCnt = n;
    return done(space, KERN_SUCCESS);
}

/*
 * Purpose: mach_port_type: the rights a name denotes.
 * Returns: KERN_SUCCESS with *typep; KERN_INVALID_TASK; KERN_INVALID_NAME.
 */
kern_return_t
mach_port_type(struct ipc_space *space, mach_port_name_t name, mach_port_type_t *typep)
{
    struct ipc_entry *e;
    mach_port_urefs_t urefs;
    kern_return_t kr = lookup(space, name, &e);

    if (kr != KERN_SUCCESS)
        return kr;
    ipc_right_info(space, e, typep, &urefs);
    return done(space, KERN_SUCCESS);
}

/*
 * Purpose: mach_port_rename: `old_name`'s rights move to `new_name`.
 * Returns: KERN_SUCCESS; KERN_INVALID_TASK; KERN_INVALID_NAME (old);
 *     KERN_INVALID_VALUE (new not representable); KERN_NAME_EXISTS;
 *     KERN_NO_SPACE.
 */
kern_return_t
mach_port_rename(struct ipc_space *space, mach_port_name_t old_name, mach_port_name_t new_name)
{
    struct ipc_entry *e, *ne;
    kern_return_t kr;

    if ((kr = lookup(space, old_name, &e)) != KERN_SUCCESS)
        return kr;
    if ((kr = ipc_entry_alloc_name(space, new_name, &ne)) != KERN_SUCCESS)
        return done(space, kr);
    if (ne->ie_bits != 0)
        return done(space, KERN_NAME_EXISTS);
    e = ipc_entry_lookup(space, old_name); /* the table may have moved */
    ne->ie_request = e->ie_request;
    if (ne->ie_request != NULL)
        ne->ie_request->idr_name = new_name;
    e->ie_request = NULL;
    ipc_entry_set(space, ne, e->ie_object, e->ie_bits);
    if (e->ie_bits & MACH_PORT_TYPE_RECEIVE) {
        struct ipc_port *port = e->ie_object;
        ipc_port_lock(port);
        port->ip_receiver_name = new_name;
        ipc_port_unlock(port);
    } else if (e->ie_bits & MACH_PORT_TYPE_PORT_SET) {
        ((struct ipc_pset *)e->ie_object)->ips_name = new_name;
    }
    ipc_entry_dealloc(space, old_name, e);
    return done(space, KERN_SUCCESS);
}

/*
 * Purpose: mach_port_set_qlimit.
 * Returns: KERN_SUCCESS; KERN_INVALID_TASK; KERN_INVALID_NAME;
 *     KERN_INVALID_RIGHT; KERN_INVALID_VALUE (above MACH_PORT_QLIMIT_MAX).
 */
kern_return_t
mach_port_set_qlimit(struct ipc_space *space, mach_port_name_t name, mach_port_msgcount_t qlimit)
{
    struct ipc_port *port;
    kern_return_t kr;

    if (qlimit > MACH_PORT_QLIMIT_MAX)
        return KERN_INVALID_VALUE;
    if ((kr = lookup_receive(space, name, &port)) != KERN_SUCCESS)
        return kr;
    ipc_port_lock(port);
    ipc_port_set_qlimit_locked(port, qlimit);
    ipc_port_unlock(port);
    return done(space, KERN_SUCCESS);
}

/*
 * Purpose: mach_port_set_mscount.
 * Returns: KERN_SUCCESS; KERN_INVALID_TASK; KERN_INVALID_NAME;
 *     KERN_INVALID_RIGHT.
 */
kern_return_t
mach_port_set_mscount(struct ipc_space *space, mach_port_name_t name, mach_port_mscount_t mscount)
{
    struct ipc_port *port;
    kern_return_t kr = lookup_receive(space, name, &port);

    if (kr != KERN_SUCCESS)
        return kr;
    ipc_port_lock(port);
    port->ip_mscount = mscount;
    ipc_port_unlock(port);
    return done(space, KERN_SUCCESS);
}

/*
 * Purpose: mach_port_set_seqno: the next message received gets `seqno`.
 * Returns: as mach_port_set_mscount.
 */
kern_return_t
mach_port_set_seqno(struct ipc_space *space, mach_port_name_t name, mach_port_seqno_t seqno)
{
    struct ipc_port *port;
    kern_return_t kr = lookup_receive(space, name, &port);

    if (kr != KERN_SUCCESS)
        return kr;
    ipc_port_lock(port);
    ipc_port_set_seqno_locked(port, seqno);
    ipc_port_unlock(port);
    return done(space, KERN_SUCCESS);
}

/*
 * Purpose: mach_port_get_receive_status.
 * Returns: KERN_SUCCESS with *statusp; as mach_port_set_mscount.
 */
kern_return_t
mach_port_get_receive_status(struct ipc_space *space, mach_port_name_t name,
                             mach_port_status_t *statusp)
{
    struct ipc_port *port;
    mach_port_status_t st;
    kern_return_t kr = lookup_receive(space, name, &port);

    if (kr != KERN_SUCCESS)
        return kr;
    ipc_port_lock(port);
    st.mps_pset = port->ip_pset != NULL ? port->ip_pset->ips_name : MACH_PORT_NULL;
    st.mps_seqno = port->ip_seqno - port->ip_msgcount;
    st.mps_mscount = port->ip_mscount;
    st.mps_qlimit = port->ip_qlimit;
    st.mps_msgcount = port->ip_msgcount;
    st.mps_sorights = port->ip_sorights;
    st.mps_srights = port->ip_srights != 0;
    st.mps_pdrequest = port->ip_pdrequest != NULL;
    st.mps_nsrequest = port->ip_nsrequest != NULL;
    ipc_port_unlock(port);
    *statusp = st;
    return done(space, KERN_SUCCESS);
}

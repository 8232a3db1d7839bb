// SPDX-License-Identifier: MIT
//
// Port sets (ipc_pset.h): allocation, membership and destruction.  Adding
// a port moves its queued messages to the set's queue; removing it moves
// them back, so a message always sits on the queue its receiver reads.
// Lock order: a port before its set (kern/lock_order.h).

#include <ipc/ipc_pset.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_space.h>
#include <ipc/ipc_entry.h>
#include <ipc/ipc_stats.h>
#include <kern/sched_prim.h>
#include <kern/zalloc.h>
#include <kern/assert.h>

static struct zone *ipc_pset_zone;

/*
 * Purpose: create the port-set zone.
 * Conditions: ipc_init, once.
 */
void
ipc_pset_bootstrap(void)
{
    ipc_pset_zone = zone_create("ipc.pset", sizeof(struct ipc_pset), 0);
    assert(ipc_pset_zone != NULL);
}

/* Take a reference on a set; the caller holds one already. */
void
ipc_pset_reference(struct ipc_pset *pset)
{
    __atomic_add_fetch(&pset->ips_refs, 1, __ATOMIC_RELAXED);
}

/*
 * Purpose: drop a reference; the last frees the (destroyed) set.
 * Conditions: not holding the set's lock.
 */
void
ipc_pset_release(struct ipc_pset *pset)
{
    if (__atomic_sub_fetch(&pset->ips_refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    if (pset->ips_active || pset->ips_members != NULL)
        panic("ipc_pset_release: last reference to live set %p", pset);
    zfree(ipc_pset_zone, pset);
    IPC_STAT_DEC(st_psets);
}

static struct ipc_pset *
pset_alloc(void)
{
    struct ipc_pset *pset = zalloc(ipc_pset_zone);

    if (pset == NULL)
        return NULL;
    *pset = (struct ipc_pset){0};
    spinlock_init(&pset->ips_lock, "ipc.pset", LOCK_RANK_IPC_PSET);
    pset->ips_refs = 1;
    pset->ips_active = true;
    ipc_mqueue_init(&pset->ips_messages);
    IPC_STAT_INC(st_psets);
    return pset;
}

// Names a new set (entry just allocated) and returns KERN_SUCCESS; or, with
// an error, frees it.  Called with the space locked; unlocks it.
static kern_return_t
pset_name(struct ipc_space *space, kern_return_t kr, mach_port_name_t name, struct ipc_entry *e,
          struct ipc_pset *pset)
{
    if (kr == KERN_SUCCESS && e->ie_bits != 0)
        kr = KERN_NAME_EXISTS;
    if (kr != KERN_SUCCESS) {
        ipc_space_unlock(space);
        pset->ips_active = false;
        ipc_pset_release(pset);
        return kr;
    }
    pset->ips_space = space;
    pset->ips_name = name;
    ipc_entry_set(space, e, pset, MACH_PORT_TYPE_PORT_SET);
    ipc_space_unlock(space);
    return KERN_SUCCESS;
}

/*
 * Purpose: allocate a port set and name it in `space`.
 * Conditions: no locks held.
 * Returns: KERN_SUCCESS with *namep, *psetp; KERN_INVALID_TASK;
 *     KERN_NO_SPACE.
 */
kern_return_t
ipc_pset_alloc(struct ipc_space *space, mach_port_name_t *namep, struct ipc_pset **psetp)
{
    struct ipc_pset *pset = pset_alloc();
    struct ipc_entry *e = NULL;
    mach_port_name_t name = MACH_PORT_NULL;
    kern_return_t kr;

    if (pset == NULL)
        return KERN_NO_SPACE;
    ipc_space_lock(space);
    kr = space->is_active ? ipc_entry_alloc(space, &name, &e) : KERN_INVALID_TASK;
    kr = pset_name(space, kr, name, e, pset);
    if (kr == KERN_SUCCESS) {
        *namep = name;
        *psetp = pset;
    }
    return kr;
}

/*
 * Purpose: allocate a port set under a chosen name.
 * Conditions: no locks held.
 * Returns: as ipc_pset_alloc, plus KERN_NAME_EXISTS, KERN_INVALID_VALUE.
 */
kern_return_t
ipc_pset_alloc_name(struct ipc_space *space, mach_port_name_t name, struct ipc_pset **psetp)
{
    struct ipc_pset *pset = pset_alloc();
    struct ipc_entry *e = NULL;
    kern_return_t kr;

    if (pset == NULL)
        return KERN_NO_SPACE;
    ipc_space_lock(space);
    kr = space->is_active ? ipc_entry_alloc_name(space, name, &e) : KERN_INVALID_TASK;
    kr = pset_name(space, kr, name, e, pset);
    if (kr == KERN_SUCCESS)
        *psetp = pset;
    return kr;
}

// Unlinks port from pset's member list and gives it its messages back.
// Both locked.
static void
unlink_member(struct ipc_pset *pset, struct ipc_port *port)
{
    struct ipc_port **link = &pset->ips_members;

    while (*link != port)
        link = &(*link)->ip_pset_next;
    *link = port->ip_pset_next;
    port->ip_pset_next = NULL;
    port->ip_pset = NULL;
    pset->ips_nmembers--;
    ipc_mqueue_move_port(&pset->ips_messages, &port->ip_messages, port);
}

/*
 * Purpose: make `port` a member of `pset`, leaving any set it was in; its
 *     queued messages move to the set's queue.  Receivers waiting on the
 *     port directly wake up (it is in a set now: MACH_RCV_PORT_CHANGED).
 * Conditions: the caller holds the space lock that names both (so neither
 *     goes away); takes the port's lock, then the sets'.
 * Returns: KERN_SUCCESS; KERN_ALREADY_IN_SET if it is a member already;
 *     KERN_INVALID_RIGHT if the port or set is dead.
 */
kern_return_t
ipc_pset_add(struct ipc_pset *pset, struct ipc_port *port)
{
    struct ipc_pset *old;

    ipc_port_lock(port);
    old = port->ip_pset;
    if (old == pset) {
        ipc_port_unlock(port);
        return KERN_ALREADY_IN_SET;
    }
    if (old != NULL) {
        spin_lock(&old->ips_lock);
        unlink_member(old, port);
        spin_unlock(&old->ips_lock);
    }
    spin_lock(&pset->ips_lock);
    if (!pset->ips_active || !port->ip_active) {
        spin_unlock(&pset->ips_lock);
        ipc_port_unlock(port);
        return KERN_INVALID_RIGHT;
    }
    port->ip_pset = pset;
    port->ip_pset_next = pset->ips_members;
    pset->ips_members = port;
    pset->ips_nmembers++;
    ipc_mqueue_move_port(&port->ip_messages, &pset->ips_messages, port);
    if (pset->ips_messages.imq_head != NULL)
        thread_wakeup((event_t)&pset->ips_messages);
    spin_unlock(&pset->ips_lock);
    thread_wakeup((event_t)&port->ip_messages);
    ipc_port_unlock(port);
    return KERN_SUCCESS;
}

/*
 * Purpose: take `port` out of `pset`.
 * Conditions: as ipc_pset_add.
 * Returns: KERN_SUCCESS; KERN_NOT_IN_SET if it is not a member of pset.
 */
kern_return_t
ipc_pset_remove(struct ipc_pset *pset, struct ipc_port *port)
{
    ipc_port_lock(port);
    if (port->ip_pset != pset) {
        ipc_port_unlock(port);
        return KERN_NOT_IN_SET;
    }
    spin_lock(&pset->ips_lock);
    unlink_member(pset, port);
    spin_unlock(&pset->ips_lock);
    ipc_port_unlock(port);
    return KERN_SUCCESS;
}

/*
 * Purpose: take `port` out of whatever set it is in (its receive right is
 *     moving or being destroyed).
 * Conditions: the port's lock not held; takes it, then the set's.
 */
void
ipc_pset_remove_port(struct ipc_port *port)
{
    struct ipc_pset *pset;

    ipc_port_lock(port);
    pset = port->ip_pset;
    if (pset != NULL) {
        spin_lock(&pset->ips_lock);
        unlink_member(pset, port);
        spin_unlock(&pset->ips_lock);
    }
    ipc_port_unlock(port);
}

/*
 * Purpose: destroy a set whose name is gone: receivers waiting on it wake
 *     up (MACH_RCV_PORT_DIED) and every member leaves it.
 * Conditions: the set's lock not held; may hold the space lock.  Consumes
 *     the reference the name held.
 */
void
ipc_pset_destroy(struct ipc_pset *pset)
{
    struct ipc_port *port;

    spin_lock(&pset->ips_lock);
    pset->ips_active = false;
    thread_wakeup((event_t)&pset->ips_messages);
    spin_unlock(&pset->ips_lock);
    for (;;) {
        spin_lock(&pset->ips_lock);
        port = pset->ips_members;
        if (port != NULL)
            ipc_port_reference(port);
        spin_unlock(&pset->ips_lock);
        if (port == NULL)
            break;
        (void)ipc_pset_remove(pset, port);
        ipc_port_release(port);
    }
    assert(pset->ips_messages.imq_head == NULL);
    ipc_pset_release(pset);
}

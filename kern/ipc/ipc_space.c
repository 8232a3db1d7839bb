// SPDX-License-Identifier: MIT
//
// IPC spaces (ipc_space.h): creation, references, and destruction, which
// releases every right the space holds.  The entry table itself is in
// ipc_entry.c; what each right means is in ipc_right.c.

#include <ipc/ipc_space.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_defer.h>
#include <ipc/ipc_stats.h>
#include <kern/zalloc.h>
#include <kern/assert.h>

struct ipc_space *ipc_space_kernel;

static struct zone *ipc_space_zone;

static struct ipc_space *
space_alloc(void)
{
    struct ipc_space *space = zalloc(ipc_space_zone);

    if (space == NULL)
        return NULL;
    spinlock_init(&space->is_lock, "ipc.space", LOCK_RANK_IPC_SPACE);
    space->is_refs = 1;
    space->is_active = true;
    space->is_in_use = 0;
    space->is_epoch = 0;
    IPC_STAT_INC(st_spaces);
    return space;
}

/*
 * Purpose: create the space zone and the kernel's space (which has no
 *     table: nothing is ever named in it).
 * Conditions: ipc_init, once, at boot.
 */
void
ipc_space_bootstrap(void)
{
    ipc_space_zone = zone_create("ipc.space", sizeof(struct ipc_space), 0);
    assert(ipc_space_zone != NULL);
    ipc_space_kernel = space_alloc();
    assert(ipc_space_kernel != NULL);
    ipc_space_kernel->is_table = NULL;
    ipc_space_kernel->is_hash = NULL;
    ipc_space_kernel->is_table_size = 0;
}

/*
 * Purpose: create an empty space.
 * Conditions: no locks held.
 * Returns: the space with one reference (the creator's), or NULL when
 *     memory is short.
 */
struct ipc_space *
ipc_space_create(void)
{
    struct ipc_space *space = space_alloc();

    if (space == NULL)
        return NULL;
    if (ipc_entry_table_init(space) != KERN_SUCCESS) {
        zfree(ipc_space_zone, space);
        IPC_STAT_DEC(st_spaces);
        return NULL;
    }
    return space;
}

/*
 * Purpose: take a reference on a space.
 * Conditions: the caller already holds one (or a lock that keeps it).
 */
void
ipc_space_reference(struct ipc_space *space)
{
    __atomic_add_fetch(&space->is_refs, 1, __ATOMIC_RELAXED);
}

/*
 * Purpose: drop a reference; the last one frees the space.
 * Conditions: no lock on the space held.  The last reference may only go
 *     after ipc_space_destroy (or for a space that never named anything).
 */
void
ipc_space_release(struct ipc_space *space)
{
    if (__atomic_sub_fetch(&space->is_refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    assert(space != ipc_space_kernel);
    if (space->is_table != NULL)
        ipc_entry_table_free(space);
    zfree(ipc_space_zone, space);
    IPC_STAT_DEC(st_spaces);
}

// Destroys the right at the lowest index in use, if any; false when the
// space holds no more rights.  One entry per lock hold, so a large space
// does not keep interrupts off for long.
static bool
destroy_one(struct ipc_space *space)
{
    ipc_space_lock(space);
    for (uint32_t i = 1; i < space->is_table_size; i++) {
        struct ipc_entry *e = &space->is_table[i];
        if (e->ie_bits == 0)
            continue;
        ipc_right_destroy(space, ipc_entry_name(space, e), e);
        ipc_space_unlock(space);
        ipc_defer_run();
        return true;
    }
    ipc_space_unlock(space);
    return false;
}

/*
 * Purpose: destroy a space (its task is going away): mark it inactive, so
 *     that nothing new is named in it and messages are no longer received
 *     into it, then destroy every right it holds, as mach_port_destroy
 *     would, sending the notifications that causes.
 * Conditions: no IPC locks held.  The caller keeps its reference and
 *     releases it afterwards.
 */
void
ipc_space_destroy(struct ipc_space *space)
{
    ipc_space_lock(space);
    if (!space->is_active) {
        ipc_space_unlock(space);
        return;
    }
    space->is_active = false;
    ipc_space_unlock(space);
    while (destroy_one(space))
        continue;
}

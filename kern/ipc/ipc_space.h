/* SPDX-License-Identifier: MIT
 *
 * IPC spaces: a task's names for port rights (Mach's ipc_space).  Every
 * task has one; ktests create spaces of their own without a task.  The
 * kernel's space, ipc_space_kernel, is not a table: it marks ports whose
 * receive right the kernel holds (kernel objects, the kernel's reply
 * ports).  ipc_space.c; entries in ipc_entry.h.
 */
#ifndef _IPC_IPC_SPACE_H_
#define _IPC_IPC_SPACE_H_

#include <kern/types.h>
#include <kern/spinlock.h>
#include <ipc/ipc_entry.h>

struct ipc_space {
    struct spinlock is_lock;
    uint32_t is_refs; /* atomic: ipc_space_reference / ipc_space_release */

    /* Protected by is_lock. */
    bool is_active;             /* false once ipc_space_destroy began */
    struct ipc_entry *is_table; /* is_table_size entries; [0] heads the free list */
    uint32_t is_table_size;
    uint32_t is_in_use; /* entries that denote rights */
    uint32_t *is_hash;  /* is_table_size buckets of entry indexes (0: none) */
    uint32_t is_epoch;  /* copyin tally generation (ipc_right_copyin_check) */
};

extern struct ipc_space *ipc_space_kernel;

static inline void
ipc_space_lock(struct ipc_space *space)
{
    spin_lock(&space->is_lock);
}

static inline void
ipc_space_unlock(struct ipc_space *space)
{
    spin_unlock(&space->is_lock);
}

void ipc_space_bootstrap(void);
struct ipc_space *ipc_space_create(void);
void ipc_space_reference(struct ipc_space *space);
void ipc_space_release(struct ipc_space *space);
void ipc_space_destroy(struct ipc_space *space);

#endif

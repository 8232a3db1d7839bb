/* SPDX-License-Identifier: MIT
 *
 * Entries: what one name means in one IPC space.  A space's entries form a
 * table indexed by the upper 24 bits of the name; the low 8 bits are a
 * generation number, bumped each time the entry is freed, so a stale name
 * does not silently denote a new right.  Index 0 is never a name (it heads
 * the free list), so MACH_PORT_NULL is never allocated, and the table never
 * grows near index 0xffffff, so MACH_PORT_DEAD is not either.
 *
 * ie_bits holds the rights the name denotes (MACH_PORT_TYPE_* bits) and the
 * user references (low 16 bits): the number of send rights or dead-name
 * references; a send-once right or a receive right alone has 1.
 *
 * A second structure, a hash from port to entry, finds the name under which
 * a space already holds send or receive rights to a port, because send and
 * receive rights to one port share one name.  ipc_entry.c.
 */
#ifndef _IPC_IPC_ENTRY_H_
#define _IPC_IPC_ENTRY_H_

#include <kern/types.h>
#include <mach/kern_return.h>
#include <mach/port.h>

struct ipc_space;
struct ipc_dnrequest;

#define IE_BITS_UREFS_MASK 0x0000ffffu
#define IE_BITS_TYPE_MASK  0x001f0000u
#define IE_BITS_UREFS(b)   ((b)&IE_BITS_UREFS_MASK)
#define IE_BITS_TYPE(b)    ((b)&IE_BITS_TYPE_MASK)

#define IE_INDEX(name)           ((name) >> 8)
#define IE_GEN(name)             ((name)&0xffu)
#define IE_MAKE_NAME(index, gen) ((mach_port_name_t)(((index) << 8) | (gen)))
#define IE_TABLE_INITIAL         64
#define IE_TABLE_MAX             (1u << 18) /* indexes stay far below 0xffffff */

/* Per-copyin tally flags (ie_tally_flags), see ipc_right_copyin_check. */
#define IE_TALLY_RECV_MOVED 0x1 /* MOVE_RECEIVE seen */
#define IE_TALLY_RECV_USED  0x2 /* MAKE_SEND or MAKE_SEND_ONCE seen */
#define IE_TALLY_SONCE      0x4 /* MOVE_SEND_ONCE seen */
#define IE_TALLY_COPIED     0x8 /* COPY_SEND seen */

struct ipc_entry {
    /* All fields protected by the space's lock. */
    void *ie_object;  /* struct ipc_port * or struct ipc_pset *; NULL if dead or free */
    uint32_t ie_bits; /* MACH_PORT_TYPE_* | urefs; 0 when free */
    uint32_t ie_gen;  /* generation: low 8 bits of the current name */
    struct ipc_dnrequest *ie_request;    /* dead-name request on this name, if any */
    uint32_t ie_next_free, ie_prev_free; /* free list (free entries only) */
    uint32_t ie_hash_next;               /* port -> entry hash chain (send/receive) */
    uint32_t ie_tally_epoch;             /* copyin tally, valid while == is_epoch */
    uint16_t ie_tally_moved;             /* MOVE_SEND urefs claimed by this copyin */
    uint16_t ie_tally_flags;
};

struct ipc_entry *ipc_entry_lookup(struct ipc_space *space, mach_port_name_t name);
kern_return_t ipc_entry_alloc(struct ipc_space *space, mach_port_name_t *namep,
                              struct ipc_entry **entryp);
kern_return_t ipc_entry_alloc_name(struct ipc_space *space, mach_port_name_t name,
                                   struct ipc_entry **entryp);
void ipc_entry_dealloc(struct ipc_space *space, mach_port_name_t name, struct ipc_entry *entry);
mach_port_name_t ipc_entry_name(struct ipc_space *space, struct ipc_entry *entry);

void ipc_entry_set(struct ipc_space *space, struct ipc_entry *entry, void *object, uint32_t bits);
struct ipc_entry *ipc_entry_hash_lookup(struct ipc_space *space, void *object);

kern_return_t ipc_entry_table_init(struct ipc_space *space);
void ipc_entry_table_free(struct ipc_space *space);

#endif

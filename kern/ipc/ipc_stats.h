/* SPDX-License-Identifier: MIT
 *
 * IPC accounting: live objects of each kind, so tests (and later a
 * host_info flavour) can check that every right, message and notification
 * was released after a test task.  Counters are updated atomically by the
 * code that creates and frees each object; a snapshot is not atomic across
 * counters.  ipc_stats.c.
 */
#ifndef _IPC_IPC_STATS_H_
#define _IPC_IPC_STATS_H_

#include <kern/types.h>

struct ipc_stats {
    uint64_t st_spaces;             /* ipc_space structures allocated */
    uint64_t st_ports;              /* ports allocated (alive or dead but referenced) */
    uint64_t st_ports_active;       /* ports not yet dead */
    uint64_t st_psets;              /* port sets allocated */
    uint64_t st_entries;            /* names in use in all spaces (rights held) */
    uint64_t st_kmsgs;              /* messages allocated (queued, in flight, deferred) */
    uint64_t st_notifications;      /* notifications sent and not yet received or destroyed */
    uint64_t st_notifications_lost; /* notifications dropped for lack of memory (ever) */
    uint64_t st_dnrequests;         /* dead-name requests registered */
    uint64_t st_ool_bytes;          /* bytes of out-of-line memory held by messages */
};

/* The counters, updated with __atomic builtins (ipc_stats.c owns them). */
extern struct ipc_stats ipc_stats_counters;

#define IPC_STAT_INC(field)    __atomic_add_fetch(&ipc_stats_counters.field, 1, __ATOMIC_RELAXED)
#define IPC_STAT_DEC(field)    __atomic_sub_fetch(&ipc_stats_counters.field, 1, __ATOMIC_RELAXED)
#define IPC_STAT_ADD(field, n) __atomic_add_fetch(&ipc_stats_counters.field, (n), __ATOMIC_RELAXED)
#define IPC_STAT_SUB(field, n) __atomic_sub_fetch(&ipc_stats_counters.field, (n), __ATOMIC_RELAXED)

struct ipc_stats ipc_stats_get(void);

#endif

// SPDX-License-Identifier: MIT
//
// IPC accounting: the counters of live IPC objects (ipc_stats.h).  Each
// object's own file counts it in and out; this file only owns the counters
// and takes snapshots of them.

#include <ipc/ipc_stats.h>

struct ipc_stats ipc_stats_counters;

/*
 * Purpose: a snapshot of the IPC counters, for leak checks.
 * Conditions: any context.  Counters are read one at a time, so a snapshot
 *     taken while other CPUs work is not consistent across fields.
 * Returns: the counters.
 */
struct ipc_stats
ipc_stats_get(void)
{
    struct ipc_stats s;
    const uint64_t *src = (const uint64_t *)&ipc_stats_counters;
    uint64_t *dst = (uint64_t *)&s;

    for (size_t i = 0; i < sizeof(s) / sizeof(uint64_t); i++)
        dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
    return s;
}

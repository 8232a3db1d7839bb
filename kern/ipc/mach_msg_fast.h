/* SPDX-License-Identifier: MIT
 *
 * The RPC fast path (mach_msg_fast.c): a combined send and receive whose
 * simple message finds its receiver already waiting gives the message to
 * that thread and the CPU with it, without queueing either.  The build
 * switch QUAY_IPC_FASTPATH (CMake option, default ON) compiles it in; the
 * kernel command line `ipc_fastpath=0` turns it off at boot, so the tests
 * run both ways with one kernel.
 */
#ifndef _IPC_MACH_MSG_FAST_H_
#define _IPC_MACH_MSG_FAST_H_

#include <kern/types.h>
#include <mach/message.h>

struct ipc_kmsg;
struct ipc_space;
struct ipc_handoff;
struct vm_map;

/* Cumulative counters, updated atomically. */
struct ipc_fast_stats {
    uint64_t fs_hits;      /* messages handed straight to a waiting receiver */
    uint64_t fs_fallbacks; /* combined calls that took the ordinary path */
};

extern struct ipc_fast_stats ipc_fast_stats;

void ipc_fastpath_init(const char *cmdline);
bool ipc_fastpath_enabled(void);
bool ipc_fastpath_set(bool on);
bool mach_msg_fast_wanted(mach_msg_option_t option);
mach_msg_return_t mach_msg_send_kmsg_fast(struct ipc_kmsg *kmsg, struct ipc_space *space,
                                          struct vm_map *map, mach_msg_option_t option,
                                          mach_msg_timeout_t timeout, struct ipc_kmsg **unsentp,
                                          struct ipc_handoff *ho);

#endif

// SPDX-License-Identifier: MIT
//
// The RPC fast path (mach_msg_fast.h), in the spirit of seL4's fastpath and
// of Mach 3's and XNU's hand-off: a client's mach_msg(SEND|RCV) with a
// small simple request, to a port whose server thread is already blocked
// in receive, gives the request to that thread and switches to it
// directly; the client blocks in its own receive on the way.  The server's
// mach_msg(SEND|RCV) reply, to the client waiting on its reply port, does
// the same the other way.  What it saves is the queue, the broadcast
// wake-up of every receiver, the run-queue trip of the woken one and its
// second look at the queue.
//
// The path is short and checks before it commits:
//   1. mach_msg_fast_wanted: the call's options (before anything happens);
//   2. message_fits: the message as the sender wrote it (simple, small,
//      reply disposition none or a send-once right) -- else the ordinary
//      send, from the start;
//   3. the ordinary copyin (ipc_kmsg_copyin), which decodes, then commits
//      the rights; a bad message fails exactly as on the slow path;
//   4. ipc_mqueue_handoff: under the destination's lock, a waiting receiver
//      that can take the message, on an empty queue of a port not held by
//      the kernel -- if there is none, nothing has changed and the message
//      is sent the ordinary way (queued, receivers woken); if there is, the
//      message becomes the receiver's, which cannot fail;
//   5. the caller's receive (ipc_mqueue_receive with the hand-off), which
//      gives the receiver the CPU when it blocks (thread_handoff).
// So the fast path never starts anything it cannot finish: from step 4's
// commit on, the send is done, exactly as after a slow-path enqueue.
//
// Options that only shape the caller's own receive (RCV_TIMEOUT,
// RCV_LARGE, trailers, the INTERRUPT flags) are allowed: that receive is
// the ordinary one.  SEND_TIMEOUT, SEND_ALWAYS and the NOTIFY options keep
// a call on the slow path, so their handling lives in one place.

#include <ipc/mach_msg_fast.h>
#include <ipc/mach_msg.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_defer.h>
#include <kern/cmdline.h>
#include <kern/console.h>

/* Largest message (user layout) the fast path takes: a null RPC, a mig
 * request with a few scalars. */
#define FAST_MAX_SIZE 256u

#define FAST_OPTIONS_NEEDED (MACH_SEND_MSG | MACH_RCV_MSG)
#define FAST_OPTIONS_ALLOWED                                                                       \
    (FAST_OPTIONS_NEEDED | MACH_SEND_INTERRUPT | MACH_RCV_INTERRUPT | MACH_RCV_TIMEOUT |           \
     MACH_RCV_LARGE | MACH_RCV_TRAILER_MASK | MACH_RCV_TRAILER_TYPE(0xf))

struct ipc_fast_stats ipc_fast_stats;

#if defined(QUAY_IPC_FASTPATH) && QUAY_IPC_FASTPATH
static bool fastpath_on = true; /* written once at boot, and by ktests */
#else
static bool fastpath_on = false;
#endif

/*
 * Purpose: read `ipc_fastpath=0|1` from the kernel command line.  A kernel
 *     built without QUAY_IPC_FASTPATH has no fast path to turn on.
 * Conditions: kmain, before any task runs.
 */
void
ipc_fastpath_init(const char *cmdline)
{
    long on = cmdline_get_long(cmdline, "ipc_fastpath", fastpath_on);

#if defined(QUAY_IPC_FASTPATH) && QUAY_IPC_FASTPATH
    fastpath_on = on != 0;
#else
    if (on != 0)
        kprintf("ipc: built without QUAY_IPC_FASTPATH; ipc_fastpath=%ld ignored\n", on);
#endif
    kprintf("ipc: RPC fast path %s\n", fastpath_on ? "on" : "off");
}

/* Is the fast path on? */
bool
ipc_fastpath_enabled(void)
{
    return __atomic_load_n(&fastpath_on, __ATOMIC_RELAXED);
}

/*
 * Purpose: turn the fast path on or off (ktests compare both ways).  A
 *     kernel built without it stays off.
 * Returns: the previous setting.
 */
bool
ipc_fastpath_set(bool on)
{
#if defined(QUAY_IPC_FASTPATH) && QUAY_IPC_FASTPATH
    return __atomic_exchange_n(&fastpath_on, on, __ATOMIC_RELAXED);
#else
    (void)on;
    return false;
#endif
}

/*
 * Purpose: step 1: may a mach_msg call with these options take the fast
 *     path?  Combined send and receive, with nothing the hand-off would
 *     have to handle.
 */
bool
mach_msg_fast_wanted(mach_msg_option_t option)
{
    return ipc_fastpath_enabled() && (option & FAST_OPTIONS_NEEDED) == FAST_OPTIONS_NEEDED &&
           (option & ~(mach_msg_option_t)FAST_OPTIONS_ALLOWED) == 0;
}

// Step 2: the message as got from the sender (kernel header, names not yet
// translated): simple, small, and a reply right that is none or send-once.
static bool
message_fits(struct ipc_kmsg *kmsg)
{
    mach_msg_header_t *h = ikm_header(kmsg);
    mach_msg_type_name_t rtype = MACH_MSGH_BITS_LOCAL(h->msgh_bits);

    if (h->msgh_bits & MACH_MSGH_BITS_COMPLEX)
        return false;
    if (ipc_kmsg_user_size(kmsg) > FAST_MAX_SIZE)
        return false;
    if (h->msgh_local_port == NULL)
        return true;
    return rtype == MACH_MSG_TYPE_MAKE_SEND_ONCE || rtype == MACH_MSG_TYPE_MOVE_SEND_ONCE;
}

/*
 * Purpose: the send half of a combined mach_msg that mach_msg_fast_wanted
 *     accepted: steps 2 to 4 above.  A message handed over leaves its
 *     receiver in *ho, for the caller's receive to give the CPU to (then
 *     ipc_mqueue_handoff_finish).
 * Conditions: as mach_msg_send_kmsg; *ho empty on entry.
 * Returns: as mach_msg_send_kmsg.
 */
mach_msg_return_t
mach_msg_send_kmsg_fast(struct ipc_kmsg *kmsg, struct ipc_space *space, struct vm_map *map,
                        mach_msg_option_t option, mach_msg_timeout_t timeout,
                        struct ipc_kmsg **unsentp, struct ipc_handoff *ho)
{
    mach_msg_return_t mr;

    if (!message_fits(kmsg)) {
        __atomic_add_fetch(&ipc_fast_stats.fs_fallbacks, 1, __ATOMIC_RELAXED);
        return mach_msg_send_kmsg(kmsg, space, map, option, timeout, unsentp);
    }
    *unsentp = NULL;
    if ((mr = ipc_kmsg_copyin(kmsg, space, map)) != MACH_MSG_SUCCESS) {
        ipc_kmsg_free(kmsg);
        return mr;
    }
    if (ipc_mqueue_handoff(kmsg, ho)) {
        __atomic_add_fetch(&ipc_fast_stats.fs_hits, 1, __ATOMIC_RELAXED);
    } else {
        __atomic_add_fetch(&ipc_fast_stats.fs_fallbacks, 1, __ATOMIC_RELAXED);
        mr = ipc_kmsg_send(kmsg, option, timeout); /* SEND_TIMEOUT is not allowed here */
        if (mr == MACH_SEND_INTERRUPTED) {
            ipc_kmsg_copyout_pseudo(kmsg, space, map);
            *unsentp = kmsg;
        }
    }
    ipc_defer_run();
    return mr;
}

// SPDX-License-Identifier: MIT
//
// The IPC traps (mach_traps.h): argument glue between the trap table and
// the IPC code.  Each works on the calling thread's task: its IPC space and
// its address space, reached through current_thread().

#include <ipc/mach_traps.h>
#include <ipc/mach_msg.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_space.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_defer.h>
#include <ipc/ipc_host.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/mach_msg_fast.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/copyio.h>

// The calling task's IPC space (referenced) and address space; false when
// it has none any more (its task is being torn down).
static bool
current_spaces(struct ipc_space **spacep, struct vm_map **mapp)
{
    struct task *task = current_task();
    struct ipc_space *space;

    spin_lock(&task->itk.itk_lock);
    space = task->itk.itk_space;
    if (space != NULL)
        ipc_space_reference(space);
    spin_unlock(&task->itk.itk_lock);
    *spacep = space;
    *mapp = task->map;
    return space != NULL;
}

// The send half; with `ho`, by the fast path (mach_msg_fast.c).
static mach_msg_return_t
trap_send(struct ipc_space *space, struct vm_map *map, uintptr_t msg, mach_msg_option_t option,
          mach_msg_size_t send_size, mach_msg_timeout_t timeout, struct ipc_handoff *ho)
{
    struct ipc_kmsg *kmsg, *unsent;
    mach_msg_return_t mr = ipc_kmsg_get(msg, send_size, &kmsg);

    if (mr != MACH_MSG_SUCCESS)
        return mr;
    if (ho != NULL)
        mr = mach_msg_send_kmsg_fast(kmsg, space, map, option, timeout, &unsent, ho);
    else
        mr = mach_msg_send_kmsg(kmsg, space, map, option, timeout, &unsent);
    if (unsent != NULL)
        (void)ipc_kmsg_put(msg, unsent, 0); /* the rights went back to the space */
    return mr;
}

// The receive half; `ho`: the receiver a fast-path send gave its message.
static mach_msg_return_t
trap_receive(struct ipc_space *space, struct vm_map *map, uintptr_t msg, mach_msg_option_t option,
             mach_msg_size_t rcv_size, mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
             struct ipc_handoff *ho)
{
    struct ipc_kmsg *kmsg;
    mach_msg_size_t needed = 0;
    mach_msg_return_t mr, put;

    mr = mach_msg_receive_kmsg(space, map, rcv_name, option, rcv_size, timeout, &kmsg, &needed, ho);
    ipc_mqueue_handoff_finish(ho);
    if (mr == MACH_RCV_TOO_LARGE && (option & MACH_RCV_LARGE)) {
        if (copyout(&needed, msg + offsetof(struct ipc_user_header, uh_size), sizeof(needed)) !=
            KERN_SUCCESS)
            return MACH_RCV_INVALID_DATA;
    }
    if (kmsg == NULL)
        return mr;
    put = ipc_kmsg_put(msg, kmsg, option);
    return put != MACH_MSG_SUCCESS ? put : mr;
}

/*
 * Purpose: mach_msg(): send the message at `msg` (MACH_SEND_MSG), then
 *     receive into the same buffer from rcv_name (MACH_RCV_MSG).  Quay has
 *     no msg-accepted notifications: MACH_SEND_NOTIFY is refused with
 *     MACH_SEND_INVALID_NOTIFY before anything happens; MACH_RCV_NOTIFY is
 *     obsolete (as in XNU) and ignored, and so is `notify` without them.
 * Conditions: trap context, no locks held; may block.
 * Returns: the send's error if it failed, else the receive's result; see
 *     <mach/message.h>.  Interrupted waits return MACH_SEND_INTERRUPTED /
 *     MACH_RCV_INTERRUPTED whatever the options; libmach's mach_msg()
 *     restarts them unless MACH_SEND_INTERRUPT / MACH_RCV_INTERRUPT asked
 *     otherwise (ipc_mqueue.c explains why).  A combined call may take the
 *     RPC fast path (mach_msg_fast.c), with the same results.
 */
mach_msg_return_t
mach_msg_trap(uintptr_t msg, mach_msg_option_t option, mach_msg_size_t send_size,
              mach_msg_size_t rcv_size, mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
              mach_port_name_t notify)
{
    struct ipc_space *space;
    struct vm_map *map;
    struct ipc_handoff ho = {0}, *hop = mach_msg_fast_wanted(option) ? &ho : NULL;
    mach_msg_return_t mr = MACH_MSG_SUCCESS;

    (void)notify;
    if ((option & MACH_SEND_MSG) && (option & MACH_SEND_NOTIFY))
        return MACH_SEND_INVALID_NOTIFY;
    if (!current_spaces(&space, &map))
        return (option & MACH_SEND_MSG) ? MACH_SEND_INVALID_DEST : MACH_RCV_INVALID_NAME;
    if (option & MACH_SEND_MSG)
        mr = trap_send(space, map, msg, option, send_size, timeout, hop);
    if (mr == MACH_MSG_SUCCESS && (option & MACH_RCV_MSG))
        mr = trap_receive(space, map, msg, option, rcv_size, rcv_name, timeout, &ho);
    ipc_space_release(space);
    ipc_defer_run();
    return mr;
}

// Names a send right (consumed) in the caller's space.
static mach_port_name_t
name_send_right(struct ipc_port *sright)
{
    struct ipc_space *space;
    struct vm_map *map;
    mach_port_name_t name = MACH_PORT_NULL;
    kern_return_t kr = KERN_INVALID_TASK;

    if (!IP_VALID(sright))
        return sright == IP_DEAD ? MACH_PORT_DEAD : MACH_PORT_NULL;
    if (current_spaces(&space, &map)) {
        ipc_space_lock(space);
        if (space->is_active)
            kr = ipc_right_copyout(space, sright, MACH_MSG_TYPE_PORT_SEND, &name);
        ipc_space_unlock(space);
        ipc_space_release(space);
    }
    if (kr != KERN_SUCCESS) {
        ipc_port_release_send(sright);
        name = MACH_PORT_NULL;
    }
    ipc_defer_run();
    return name;
}

/*
 * Purpose: mach_reply_port(): a new port, its receive right named in the
 *     caller's space.
 * Returns: the name, or MACH_PORT_NULL when no name or memory is left.
 */
mach_port_name_t
mach_reply_port(void)
{
    struct ipc_space *space;
    struct vm_map *map;
    struct ipc_port *port;
    mach_port_name_t name;

    if (!current_spaces(&space, &map))
        return MACH_PORT_NULL;
    if (ipc_port_alloc(space, &name, &port) != KERN_SUCCESS)
        name = MACH_PORT_NULL;
    ipc_space_release(space);
    return name;
}

/*
 * Purpose: mach_task_self(): a send right to the caller's task port.
 * Returns: its name (one more uref each call); MACH_PORT_NULL if none.
 */
mach_port_name_t
task_self_trap(void)
{
    struct task *task = current_task();
    struct ipc_port *sright;

    spin_lock(&task->itk.itk_lock);
    sright = ipc_port_copy_send(task->itk.itk_sself);
    spin_unlock(&task->itk.itk_lock);
    return name_send_right(sright);
}

/*
 * Purpose: mach_thread_self(): a send right to the caller's thread port.
 * Returns: its name; MACH_PORT_NULL if none.
 */
mach_port_name_t
thread_self_trap(void)
{
    struct thread *self = current_thread();
    struct ipc_port *sright;

    spin_lock(&self->ith.ith_lock);
    sright = ipc_port_copy_send(self->ith.ith_sself);
    spin_unlock(&self->ith.ith_lock);
    return name_send_right(sright);
}

/*
 * Purpose: mach_host_self(): a send right to the host port.
 * Returns: its name; MACH_PORT_NULL if none.
 */
mach_port_name_t
host_self_trap(void)
{
    return name_send_right(convert_host_to_port(&realhost));
}

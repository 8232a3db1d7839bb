/* SPDX-License-Identifier: MIT
 *
 * Helpers of the kernel-RPC ktests (test/kern/rpc_*.c): a client task made
 * for the test whose IPC space holds a send right to its own task port and
 * a reply port, and rpc_call(), which sends a user-layout request message
 * to a kernel port through mach_msg_kernel_buffers and receives the reply,
 * exactly as a user task's mig stub would.  The leak check compares the
 * IPC counters and the task zone with their values when the test began.
 */
#ifndef _TEST_KERN_RPC_TEST_H_
#define _TEST_KERN_RPC_TEST_H_

#include "ipc_test.h"
#include <ipc/ipc_tt.h>
#include <kern/task.h>
#include <kern/zalloc.h>
#include <mach/mig_errors.h>
#include <mach/task_special_ports.h>

struct rpc_client {
    struct task *task;
    struct ipc_space *space;
    mach_port_name_t self;  /* send right to the client's own task port */
    mach_port_name_t reply; /* receive right the replies come to */
};

/* A mig error reply in user layout. */
#pragma pack(push, 4)
struct rpc_error_reply {
    struct ipc_user_header h;
    kern_return_t ret;
};
#pragma pack(pop)

static inline uint64_t
rpc_tasks_in_use(void)
{
    struct zone_stats st;

    return zone_find_stats("task", &st) ? st.zs_in_use : 0;
}

static inline bool
rpc_client_init(struct rpc_client *c)
{
    struct ipc_port *self;

    memset(c, 0, sizeof(*c));
    if (task_create_internal(NULL, "rpc-test", &c->task) != KERN_SUCCESS)
        return false;
    c->space = c->task->itk.itk_space;
    if (ipc_task_get_special_port(c->task, TASK_KERNEL_PORT, &self) != KERN_SUCCESS)
        return false;
    ipc_space_lock(c->space);
    (void)ipc_right_copyout(c->space, self, MACH_MSG_TYPE_PORT_SEND, &c->self);
    ipc_space_unlock(c->space);
    c->reply = tport(c->space);
    return MACH_PORT_VALID(c->self) && MACH_PORT_VALID(c->reply);
}

static inline void
rpc_client_done(struct rpc_client *c)
{
    (void)task_terminate_internal(c->task, 0);
    task_deallocate(c->task); /* no threads: the last reference */
    ipc_defer_run();
}

/*
 * Sends the `size`-byte request `req` (user layout; its header's remote
 * port and id set by the caller) to `dest` with a send-once reply right
 * and receives the reply into `buf`.  Returns the mach_msg result.
 */
static inline mach_msg_return_t
rpc_call(struct rpc_client *c, mach_port_name_t dest, mach_msg_id_t id, const void *req,
         mach_msg_size_t size, struct tbuf *buf)
{
    struct ipc_user_header *h = &buf->h;

    memset(buf, 0, sizeof(*buf));
    memcpy(buf, req, size);
    h->uh_bits = (h->uh_bits & MACH_MSGH_BITS_COMPLEX) |
                 MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
    h->uh_size = size;
    h->uh_remote = dest;
    h->uh_local = c->reply;
    h->uh_id = id;
    return mach_msg_kernel_buffers(c->space, buf, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT,
                                   size, sizeof(*buf), c->reply, 1000);
}

/* The return code of a reply in `buf` whose RetCode follows the header
 * (error replies and replies without descriptors). */
static inline kern_return_t
rpc_ret(const struct tbuf *buf)
{
    return ((const struct rpc_error_reply *)buf)->ret;
}

#endif

// SPDX-License-Identifier: MIT
//
// ktests of the mach.defs kernel server (kern/task_server.c and friends):
// real request messages, laid out as a user's mig stub lays them out, sent
// to a task port through mach_msg_kernel_buffers and answered inside
// mach_msg by the generated KernelServer stubs.  Each test checks the reply
// and that tasks, ports, names and messages are back to their baseline.

#include "rpc_test.h"
#include <mach/task_info.h>
#include <mach/task_special_ports.h>

#define ID_TASK_CREATE    2000
#define ID_TASK_TERMINATE 2001
#define ID_TASK_INFO      2004
#define ID_TASK_SPECIAL   2006
#define ID_SKIPPED        2008
#define ID_THREAD_SUSPEND 2012

#pragma pack(push, 4)
struct req_task_create {
    struct ipc_user_header h;
    boolean_t inherit_memory;
};
struct rep_task_create {
    struct ipc_user_header h;
    mach_msg_body_t body;
    struct ipc_user_port_desc child;
    kern_return_t ret;
};
struct req_task_info {
    struct ipc_user_header h;
    int flavor;
    mach_msg_type_number_t count;
};
struct rep_task_info {
    struct ipc_user_header h;
    kern_return_t ret;
    mach_msg_type_number_t count;
    struct task_basic_info info;
};
struct req_special {
    struct ipc_user_header h;
    int which;
};
#pragma pack(pop)

// task_create through the RPC: the child's task port, named in c's space.
static kern_return_t
rpc_task_create(struct rpc_client *c, mach_port_name_t *child)
{
    struct req_task_create req = {.inherit_memory = TRUE};
    struct tbuf buf;
    struct rep_task_create *rep = (struct rep_task_create *)&buf;

    if (rpc_call(c, c->self, ID_TASK_CREATE, &req, sizeof(req), &buf) != MACH_MSG_SUCCESS)
        return KERN_FAILURE;
    if (!(rep->h.uh_bits & MACH_MSGH_BITS_COMPLEX))
        return rpc_ret(&buf);
    if (rep->h.uh_id != ID_TASK_CREATE + 100 || rep->h.uh_size != sizeof(*rep) ||
        rep->body.msgh_descriptor_count != 1 ||
        rep->child.upd_disposition != MACH_MSG_TYPE_PORT_SEND)
        return KERN_FAILURE;
    *child = rep->child.upd_name;
    return rep->ret;
}

static kern_return_t
rpc_task_info(struct rpc_client *c, mach_port_name_t task, int flavor, mach_msg_type_number_t count,
              struct task_basic_info *info)
{
    struct req_task_info req = {.flavor = flavor, .count = count};
    struct tbuf buf;
    struct rep_task_info *rep = (struct rep_task_info *)&buf;

    if (rpc_call(c, task, ID_TASK_INFO, &req, sizeof(req), &buf) != MACH_MSG_SUCCESS)
        return KERN_FAILURE;
    if (rep->ret != KERN_SUCCESS)
        return rep->ret;
    if (rep->h.uh_size != sizeof(*rep) || rep->count != TASK_BASIC_INFO_COUNT)
        return KERN_FAILURE;
    *info = rep->info;
    return KERN_SUCCESS;
}

// A request with no arguments; returns its RetCode.
static kern_return_t
rpc_simple(struct rpc_client *c, mach_port_name_t dest, mach_msg_id_t id)
{
    struct ipc_user_header req = {0};
    struct tbuf buf;

    if (rpc_call(c, dest, id, &req, sizeof(req), &buf) != MACH_MSG_SUCCESS)
        return KERN_FAILURE;
    return rpc_ret(&buf);
}

KTEST(rpc, task_create_then_terminate_returns_task_and_port_counts_to_baseline)
{
    IPC_TEST_BEGIN();
    uint64_t tasks = rpc_tasks_in_use();
    struct rpc_client c;
    struct task_basic_info info;
    mach_port_name_t child = MACH_PORT_NULL;

    KT_ASSERT(rpc_client_init(&c));
    KT_EQ(rpc_task_create(&c, &child), KERN_SUCCESS);
    KT_EQ(ttype(c.space, child), MACH_PORT_TYPE_SEND);
    KT_EQ(trefs(c.space, child, MACH_PORT_RIGHT_SEND), 1); // moved, not copied
    KT_EQ(rpc_tasks_in_use(), tasks + 2);                  // the client and its child

    memset(&info, 0xff, sizeof(info));
    KT_EQ(rpc_task_info(&c, child, TASK_BASIC_INFO, TASK_BASIC_INFO_COUNT, &info), KERN_SUCCESS);
    KT_EQ(info.suspend_count, 0);
    KT_EQ(info.virtual_size, 0);
    KT_EQ(info.resident_size, 0);

    KT_EQ(rpc_simple(&c, child, ID_TASK_TERMINATE), KERN_SUCCESS);
    KT_EQ(ttype(c.space, child), MACH_PORT_TYPE_DEAD_NAME);
    KT_EQ(rpc_tasks_in_use(), tasks + 1); // the child is gone at once
    KT_EQ(mach_port_deallocate(c.space, child), KERN_SUCCESS);
    rpc_client_done(&c);
    KT_EQ(rpc_tasks_in_use(), tasks);
    IPC_TEST_END();
}

KTEST(rpc, task_info_with_a_bad_flavor_or_short_count_fails_invalid_argument)
{
    IPC_TEST_BEGIN();
    struct rpc_client c;
    struct task_basic_info info;

    KT_ASSERT(rpc_client_init(&c));
    KT_EQ(rpc_task_info(&c, c.self, 9999, TASK_BASIC_INFO_COUNT, &info), KERN_INVALID_ARGUMENT);
    KT_EQ(rpc_task_info(&c, c.self, TASK_BASIC_INFO, TASK_BASIC_INFO_COUNT - 1, &info),
          KERN_INVALID_ARGUMENT);
    KT_EQ(rpc_task_info(&c, c.self, TASK_BASIC_INFO, TASK_BASIC_INFO_COUNT, &info), KERN_SUCCESS);
    KT_EQ(trefs(c.space, c.self, MACH_PORT_RIGHT_SEND), 1);
    rpc_client_done(&c);
    IPC_TEST_END();
}

KTEST(rpc, malformed_or_misdirected_requests_get_mig_errors_and_change_nothing)
{
    IPC_TEST_BEGIN();
    uint64_t tasks = rpc_tasks_in_use();
    struct rpc_client c;
    struct req_special special = {.which = 999};
    struct tbuf buf;

    KT_ASSERT(rpc_client_init(&c));
    // A skipped id, a request too short for task_create, a thread call on a
    // task port, an unknown special port.
    KT_EQ(rpc_simple(&c, c.self, ID_SKIPPED), MIG_BAD_ID);
    KT_EQ(rpc_simple(&c, c.self, ID_TASK_CREATE), MIG_BAD_ARGUMENTS);
    KT_EQ(rpc_simple(&c, c.self, ID_THREAD_SUSPEND), KERN_INVALID_ARGUMENT);
    KT_EQ(rpc_call(&c, c.self, ID_TASK_SPECIAL, &special, sizeof(special), &buf), MACH_MSG_SUCCESS);
    KT_EQ(buf.h.uh_size, sizeof(struct rpc_error_reply));
    KT_EQ(rpc_ret(&buf), KERN_INVALID_ARGUMENT);
    // Nothing was created, the request's rights were all released.
    KT_EQ(rpc_tasks_in_use(), tasks + 1);
    KT_EQ(trefs(c.space, c.self, MACH_PORT_RIGHT_SEND), 1);
    KT_EQ(ttype(c.space, c.reply), MACH_PORT_TYPE_RECEIVE);
    rpc_client_done(&c);
    IPC_TEST_END();
}

// SPDX-License-Identifier: MIT
//
// ktests of the mach_port.defs and mach_host.defs kernel servers
// (kern/ipc/mach_port_server.c, kern/kern/host_server.c), through real
// request messages to a task port and the host port: rights made by RPC
// land in the target space, arrays come back inline or out of line and
// are freed exactly once, and a port of the wrong kind is refused.

#include "rpc_test.h"
#include <ipc/ipc_host.h>
#include <ipc/ipc_ool.h>
#include <mach/host_info.h>

#define ID_PORT_ALLOCATE 3200
#define ID_PORT_NAMES    3211
#define ID_HOST_INFO     2600

#pragma pack(push, 4)
struct req_allocate {
    struct ipc_user_header h;
    mach_port_right_t right;
};
struct rep_allocate {
    struct ipc_user_header h;
    kern_return_t ret;
    mach_port_name_t name;
};
struct rep_names {
    struct ipc_user_header h;
    mach_msg_body_t body;
    mach_msg_ool_descriptor_t names;
    mach_msg_ool_descriptor_t types;
    kern_return_t ret;
    mach_msg_type_number_t names_count;
    mach_msg_type_number_t types_count;
};
struct req_host_info {
    struct ipc_user_header h;
    int flavor;
    mach_msg_type_number_t count;
};
struct rep_host_info {
    struct ipc_user_header h;
    kern_return_t ret;
    mach_msg_type_number_t count;
    struct host_basic_info info;
};
#pragma pack(pop)

static kern_return_t
rpc_port_allocate(struct rpc_client *c, mach_port_right_t right, mach_port_name_t *name)
{
    struct req_allocate req = {.right = right};
    struct tbuf buf;
    struct rep_allocate *rep = (struct rep_allocate *)&buf;

    if (rpc_call(c, c->self, ID_PORT_ALLOCATE, &req, sizeof(req), &buf) != MACH_MSG_SUCCESS)
        return KERN_FAILURE;
    if (rep->ret != KERN_SUCCESS)
        return rep->ret;
    if (rep->h.uh_size != sizeof(*rep))
        return KERN_FAILURE;
    *name = rep->name;
    return KERN_SUCCESS;
}

KTEST(rpc, mach_port_allocate_by_rpc_names_a_receive_right_in_the_target)
{
    IPC_TEST_BEGIN();
    struct rpc_client c;
    mach_port_name_t name = MACH_PORT_NULL, other = MACH_PORT_NULL;
    uint64_t entries;

    KT_ASSERT(rpc_client_init(&c));
    KT_EQ(rpc_port_allocate(&c, MACH_PORT_RIGHT_RECEIVE, &name), KERN_SUCCESS);
    KT_EQ(ttype(c.space, name), MACH_PORT_TYPE_RECEIVE);
    entries = ipc_stats_get().st_entries;
    KT_EQ(rpc_port_allocate(&c, 99, &other), KERN_INVALID_VALUE);
    KT_EQ(other, MACH_PORT_NULL);
    KT_EQ(ipc_stats_get().st_entries, entries);
    rpc_client_done(&c);
    IPC_TEST_END();
}

// mach_port_names on c's space: the count it reports, after checking both
// arrays agree; out-of-line arrays (kernel copies) are freed here.
static mach_msg_type_number_t
rpc_name_count(struct rpc_client *c, bool *ool)
{
    struct ipc_user_header req = {0};
    struct tbuf buf;
    struct rep_names *rep = (struct rep_names *)&buf;
    mach_msg_type_number_t n;

    if (rpc_call(c, c->self, ID_PORT_NAMES, &req, sizeof(req), &buf) != MACH_MSG_SUCCESS ||
        !(rep->h.uh_bits & MACH_MSGH_BITS_COMPLEX) || rep->ret != KERN_SUCCESS ||
        rep->names_count != rep->types_count)
        return 0;
    n = rep->names_count;
    *ool = rep->names.size != 0;
    ipc_ool_discard(rep->names.address, rep->names.size);
    ipc_ool_discard(rep->types.address, rep->types.size);
    return n;
}

KTEST(rpc, mach_port_names_arrays_come_out_of_line_and_are_freed_once)
{
    IPC_TEST_BEGIN();
    struct rpc_client c;
    mach_port_name_t name;
    bool ool = true;
    unsigned i;

    KT_ASSERT(rpc_client_init(&c));
    KT_EQ(rpc_name_count(&c, &ool), 2); // self and reply
    KT_ASSERT(ool);                     // always out of line (GNU Mach's contract)
    // More names than a kalloc'ed array of one page.
    for (i = 0; i < 600; i++)
        KT_EQ(mach_port_allocate(c.space, MACH_PORT_RIGHT_DEAD_NAME, &name), KERN_SUCCESS);
    KT_EQ(rpc_name_count(&c, &ool), 602);
    KT_ASSERT(ool);
    rpc_client_done(&c); // IPC_TEST_END checks the OOL bytes came back
    IPC_TEST_END();
}

KTEST(rpc, host_info_answers_on_the_host_port_and_refuses_a_task_port)
{
    IPC_TEST_BEGIN();
    struct rpc_client c;
    struct req_host_info req = {.flavor = HOST_BASIC_INFO, .count = HOST_BASIC_INFO_COUNT};
    struct tbuf buf;
    struct rep_host_info *rep = (struct rep_host_info *)&buf;
    mach_port_name_t host = MACH_PORT_NULL;

    KT_ASSERT(rpc_client_init(&c));
    ipc_space_lock(c.space);
    (void)ipc_right_copyout(c.space, convert_host_to_port(&realhost), MACH_MSG_TYPE_PORT_SEND,
                            &host);
    ipc_space_unlock(c.space);
    KT_ASSERT(MACH_PORT_VALID(host));
    KT_EQ(rpc_call(&c, host, ID_HOST_INFO, &req, sizeof(req), &buf), MACH_MSG_SUCCESS);
    KT_EQ(rep->ret, KERN_SUCCESS);
    KT_EQ(rep->count, HOST_BASIC_INFO_COUNT);
    KT_ASSERT(rep->info.max_cpus >= 1 && rep->info.memory_size >= 16ul << 20);
    KT_EQ(rpc_call(&c, c.self, ID_HOST_INFO, &req, sizeof(req), &buf), MACH_MSG_SUCCESS);
    KT_EQ(rpc_ret(&buf), KERN_INVALID_HOST);
    req.flavor = 9999;
    KT_EQ(rpc_call(&c, host, ID_HOST_INFO, &req, sizeof(req), &buf), MACH_MSG_SUCCESS);
    KT_EQ(rpc_ret(&buf), KERN_INVALID_ARGUMENT);
    KT_EQ(trefs(c.space, host, MACH_PORT_RIGHT_SEND), 1);
    rpc_client_done(&c);
    IPC_TEST_END();
}

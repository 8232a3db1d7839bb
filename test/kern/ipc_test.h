/* SPDX-License-Identifier: MIT
 *
 * Helpers shared by the IPC ktests (test/kern/ipc_*.c): user-layout message
 * structures (the kernel's own mach_msg_header_t has the kernel layout),
 * sending and receiving with kernel buffers between spaces made for the
 * test, moving a right between spaces, and the leak check against the
 * counters taken when the test began.
 */
#ifndef _TEST_KERN_IPC_TEST_H_
#define _TEST_KERN_IPC_TEST_H_

#include <debug/ktest.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_space.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_stats.h>
#include <ipc/ipc_defer.h>
#include <ipc/mach_msg.h>
#include <ipc/mach_port.h>
#include <lib/string.h>
#include <kern/kalloc.h>
#include <mach/notify.h>

#pragma pack(push, 4)
struct tmsg {
    struct ipc_user_header h;
    uint32_t data[4];
};

struct tmsg_port {
    struct ipc_user_header h;
    mach_msg_body_t body;
    struct ipc_user_port_desc port;
    uint32_t data;
};

struct tmsg_name {
    struct ipc_user_header h;
    mach_port_name_t name; /* port-deleted, dead-name; mscount for no-senders */
};
#pragma pack(pop)

/* A receive buffer big enough for every test message and a trailer. */
struct tbuf {
    union {
        struct ipc_user_header h;
        struct tmsg_name n;
        char bytes[512];
    };
} __attribute__((aligned(8)));

static inline void
tmsg_init(struct ipc_user_header *h, mach_msg_size_t size, mach_port_name_t dest,
          mach_msg_type_name_t dtype, mach_port_name_t reply, mach_msg_type_name_t rtype,
          mach_msg_id_t id)
{
    memset(h, 0, size);
    h->uh_bits = MACH_MSGH_BITS(dtype, rtype);
    h->uh_size = size;
    h->uh_remote = dest;
    h->uh_local = reply;
    h->uh_id = id;
}

static inline mach_msg_return_t
tsend(struct ipc_space *space, void *msg, mach_msg_size_t size)
{
    return mach_msg_kernel_buffers(space, msg, MACH_SEND_MSG | MACH_SEND_TIMEOUT, size, 0,
                                   MACH_PORT_NULL, 0);
}

/* Polls: MACH_RCV_TIMED_OUT when nothing is queued. */
static inline mach_msg_return_t
trecv(struct ipc_space *space, mach_port_name_t name, struct tbuf *buf, mach_msg_option_t extra)
{
    memset(buf, 0, sizeof(*buf));
    return mach_msg_kernel_buffers(space, buf, MACH_RCV_MSG | MACH_RCV_TIMEOUT | extra, 0,
                                   sizeof(*buf), name, 0);
}

/* Takes a right out of `from` with disposition `disp` and names it in `to`. */
static inline mach_port_name_t
tgive(struct ipc_space *from, mach_port_name_t name, mach_msg_type_name_t disp,
      struct ipc_space *to)
{
    struct ipc_port *port;
    mach_msg_type_name_t type;
    mach_port_name_t out = MACH_PORT_NULL;

    if (mach_port_extract_right(from, name, disp, &port, &type) != KERN_SUCCESS)
        return MACH_PORT_NULL;
    ipc_space_lock(to);
    if (ipc_right_copyout(to, port, type, &out) != KERN_SUCCESS) {
        ipc_space_unlock(to);
        ipc_kmsg_destroy_right(port, type);
        ipc_defer_run();
        return MACH_PORT_NULL;
    }
    ipc_space_unlock(to);
    ipc_defer_run();
    return out;
}

static inline mach_port_urefs_t
trefs(struct ipc_space *space, mach_port_name_t name, mach_port_right_t right)
{
    mach_port_urefs_t refs = 0xdead;

    if (mach_port_get_refs(space, name, right, &refs) != KERN_SUCCESS)
        return 0xdead;
    return refs;
}

static inline mach_port_type_t
ttype(struct ipc_space *space, mach_port_name_t name)
{
    mach_port_type_t type = 0;

    if (mach_port_type(space, name, &type) != KERN_SUCCESS)
        return 0;
    return type;
}

static inline mach_port_name_t
tport(struct ipc_space *space)
{
    mach_port_name_t name = MACH_PORT_NULL;

    (void)mach_port_allocate(space, MACH_PORT_RIGHT_RECEIVE, &name);
    return name;
}

static inline void
tspace_done(struct ipc_space *space)
{
    ipc_space_destroy(space);
    ipc_space_release(space);
    ipc_defer_run();
}

/* Every IPC counter but the cumulative ones is back where it was. */
static inline bool
tstats_equal(const struct ipc_stats *a, const struct ipc_stats *b)
{
    return a->st_spaces == b->st_spaces && a->st_ports == b->st_ports &&
           a->st_ports_active == b->st_ports_active && a->st_psets == b->st_psets &&
           a->st_entries == b->st_entries && a->st_kmsgs == b->st_kmsgs &&
           a->st_notifications == b->st_notifications && a->st_dnrequests == b->st_dnrequests &&
           a->st_ool_bytes == b->st_ool_bytes;
}

#define IPC_TEST_BEGIN() struct ipc_stats ipc_test_base_ = ipc_stats_get()

#define IPC_TEST_END()                                                                             \
    do {                                                                                           \
        struct ipc_stats now_ = ipc_stats_get();                                                   \
        KT_EQ(now_.st_ports, ipc_test_base_.st_ports);                                             \
        KT_EQ(now_.st_entries, ipc_test_base_.st_entries);                                         \
        KT_EQ(now_.st_kmsgs, ipc_test_base_.st_kmsgs);                                             \
        KT_ASSERT(tstats_equal(&now_, &ipc_test_base_));                                           \
    } while (0)

#endif

/* SPDX-License-Identifier: MIT
 *
 * An RPC in one mach_msg call: the client sends a request with a
 * MAKE_SEND_ONCE reply right and receives on its reply port
 * (MACH_SEND_MSG | MACH_RCV_MSG); a server thread receives, answers on the
 * send-once right with the request id + 100, and loops.  Many round trips
 * in a row return the right answers, and the server's rcv+send in one call
 * (reply, then wait for the next request) works too.
 */
#include "ut_msg.h"

#define ROUNDS  200
#define STOP_ID 999

static mach_port_name_t service;

static void *
server(void *arg)
{
    union {
        ut_simple_msg_t m;
        ut_msg_buf_t buf;
    } u;
    mach_msg_option_t option = MACH_RCV_MSG;
    mach_msg_size_t send_size = 0;
    mach_msg_return_t mr;

    (void)arg;
    for (;;) {
        mr = mach_msg(&u.m.h, option, send_size, sizeof(u.buf), service, 0, MACH_PORT_NULL);
        if (mr != MACH_MSG_SUCCESS)
            return (void *)(uintptr_t)mr;
        if (u.m.h.msgh_id == STOP_ID ||
            MACH_MSGH_BITS_REMOTE(u.m.h.msgh_bits) != MACH_MSG_TYPE_PORT_SEND_ONCE)
            break;
        u.m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
        u.m.h.msgh_local_port = MACH_PORT_NULL;
        u.m.h.msgh_size = sizeof(u.m);
        u.m.h.msgh_id += 100;
        u.m.data[0] = u.m.data[0] * 3 + 1;
        option = MACH_SEND_MSG | MACH_RCV_MSG;
        send_size = sizeof(u.m);
    }
    if (u.m.h.msgh_id != STOP_ID)
        return (void *)(uintptr_t)1;
    return NULL;
}

int
main(void)
{
    mach_port_name_t reply;
    quay_thread_t t;
    void *result = (void *)1;
    union {
        ut_simple_msg_t m;
        ut_msg_buf_t buf;
    } u;

    ut_stats_begin();
    service = ut_port_send();
    reply = ut_port();
    UT_KR(quay_thread_create(server, NULL, &t), KERN_SUCCESS);

    for (uint32_t i = 0; i < ROUNDS; i++) {
        memset(&u.m, 0, sizeof(u.m));
        u.m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
        u.m.h.msgh_size = sizeof(u.m);
        u.m.h.msgh_remote_port = service;
        u.m.h.msgh_local_port = reply;
        u.m.h.msgh_id = 1000 + (mach_msg_id_t)i;
        u.m.data[0] = i;
        UT_KR(mach_msg(&u.m.h, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, sizeof(u.m),
                       sizeof(u.buf), reply, 5000, MACH_PORT_NULL),
              MACH_MSG_SUCCESS);
        UT_EQ(u.m.h.msgh_bits, MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE));
        UT_EQ(u.m.h.msgh_local_port, reply);
        UT_EQ(u.m.h.msgh_id, 1100 + i);
        UT_EQ(u.m.data[0], i * 3 + 1);
    }
    UT_EQ(ut_status(reply).mps_sorights, 0);
    UT_EQ(ut_refs(service, MACH_PORT_RIGHT_SEND), 1);

    UT_KR(ut_send(service, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, STOP_ID), MACH_MSG_SUCCESS);
    UT_KR(quay_thread_join(t, &result), KERN_SUCCESS);
    UT_EQ((uintptr_t)result, 0);
    ut_expect_empty(service);

    ut_port_destroy(reply);
    ut_port_destroy(service);
    ut_stats_expect_baseline();
    return ut_pass();
}

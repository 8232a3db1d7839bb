/* SPDX-License-Identifier: MIT
 *
 * Helpers for the message tests in test/user/ (mach_msg, dispositions,
 * descriptors, queues).  Built on utest.h: every helper that can fail ends
 * the task through UT_FAIL, so a test reads as a list of steps.
 *
 *   (ut_port, ut_port_send, ut_refs, ut_status, ut_sleep_ms: utest.h)
 *   ut_sonce(port)           a new send-once right to PORT, under its own name
 *   ut_type(name)            mach_port_type, or MACH_PORT_TYPE_NONE if no such name
 *   ut_names()               how many names the task's space holds
 *   ut_send(...)             build and send a simple message
 *   ut_send_port(...)        send a message carrying one port descriptor
 *   ut_recv(...)             receive into a buffer
 *   ut_flag_*                atomic flags shared with a test's threads
 *   ut_now_ms()              host_get_time in milliseconds
 *   ut_abort_until(t, done)  thread_abort T until its mach_msg has returned
 *   ut_arm_no_senders(p, n)  no-senders notification for P sent to N
 *   ut_expect_notification   receive one notification and check its id
 *
 * Messages in these tests are small; UT_MSG_BUF is room for any of them
 * plus the largest trailer.
 */
#ifndef UT_MSG_H
#define UT_MSG_H

#include <quay/threads.h>

#include "utest.h"

#define UT_PAGE 4096u

/* A simple message: header and four words of data. */
typedef struct {
    mach_msg_header_t h;
    uint32_t data[4];
} ut_simple_msg_t;

/* A receive buffer big enough for every message these tests send. */
typedef union {
    mach_msg_header_t h;
    char bytes[1024];
    uint64_t align;
} ut_msg_buf_t;

/* The port descriptors of a message, from its header. */
static inline mach_msg_port_descriptor_t *
ut_port_desc(mach_msg_header_t *h, unsigned i)
{
    mach_msg_body_t *body = (mach_msg_body_t *)(h + 1);
    return (mach_msg_port_descriptor_t *)(body + 1) + i;
}

/* A send-once right to PORT (whose receive right we hold), under a new name. */
static inline mach_port_name_t
ut_sonce(mach_port_name_t port)
{
    mach_port_t right = MACH_PORT_NULL;
    mach_msg_type_name_t type = 0;

    UT_KR(mach_port_extract_right(mach_task_self(), port, MACH_MSG_TYPE_MAKE_SEND_ONCE, &right,
                                  &type),
          KERN_SUCCESS);
    UT_EQ(type, MACH_MSG_TYPE_PORT_SEND_ONCE);
    UT_ASSERT(MACH_PORT_VALID(right) && right != port);
    return right;
}

static inline mach_port_type_t
ut_type(mach_port_name_t name)
{
    mach_port_type_t type = MACH_PORT_TYPE_NONE;
    kern_return_t kr = mach_port_type(mach_task_self(), name, &type);

    if (kr == KERN_INVALID_NAME)
        return MACH_PORT_TYPE_NONE;
    UT_KR(kr, KERN_SUCCESS);
    return type;
}

/* How many names the task's space holds right now. */
static inline unsigned
ut_names(void)
{
    mach_port_name_array_t names = NULL;
    mach_port_type_array_t types = NULL;
    mach_msg_type_number_t nnames = 0, ntypes = 0;

    UT_KR(mach_port_names(mach_task_self(), &names, &nnames, &types, &ntypes), KERN_SUCCESS);
    UT_EQ(nnames, ntypes);
    if (nnames != 0) {
        UT_KR(vm_deallocate(mach_task_self(), (vm_address_t)names, nnames * sizeof(*names)),
              KERN_SUCCESS);
        UT_KR(vm_deallocate(mach_task_self(), (vm_address_t)types, ntypes * sizeof(*types)),
              KERN_SUCCESS);
    }
    return nnames;
}

/* Destroy a receive right we hold (and any send rights under its name). */
static inline void
ut_port_destroy(mach_port_name_t name)
{
    UT_KR(mach_port_destroy(mach_task_self(), name), KERN_SUCCESS);
}

/*
 * Send a simple message with ID and DATA0 to DEST (disposition DTYPE) with
 * reply REPLY (disposition RTYPE, 0 for none); returns mach_msg's result.
 */
static inline mach_msg_return_t
ut_send_opt(mach_port_name_t dest, mach_msg_type_name_t dtype, mach_port_name_t reply,
            mach_msg_type_name_t rtype, mach_msg_id_t id, uint32_t data0, mach_msg_option_t option,
            mach_msg_timeout_t timeout)
{
    ut_simple_msg_t m;

    memset(&m, 0, sizeof(m));
    m.h.msgh_bits = MACH_MSGH_BITS(dtype, rtype);
    m.h.msgh_size = sizeof(m);
    m.h.msgh_remote_port = dest;
    m.h.msgh_local_port = reply;
    m.h.msgh_id = id;
    m.data[0] = data0;
    return mach_msg(&m.h, MACH_SEND_MSG | option, sizeof(m), 0, MACH_PORT_NULL, timeout,
                    MACH_PORT_NULL);
}

static inline mach_msg_return_t
ut_send(mach_port_name_t dest, mach_msg_type_name_t dtype, mach_port_name_t reply,
        mach_msg_type_name_t rtype, mach_msg_id_t id)
{
    return ut_send_opt(dest, dtype, reply, rtype, id, 0, 0, MACH_MSG_TIMEOUT_NONE);
}

/* A message carrying one port descriptor. */
typedef struct {
    mach_msg_header_t h;
    mach_msg_body_t body;
    mach_msg_port_descriptor_t port;
} ut_port_msg_t;

/* Send to DEST (COPY_SEND) a message with ID carrying NAME with DISP, with
 * extra send OPTIONs and TIMEOUT. */
static inline mach_msg_return_t
ut_send_port_opt(mach_port_name_t dest, mach_port_name_t name, mach_msg_type_name_t disp,
                 mach_msg_id_t id, mach_msg_option_t option, mach_msg_timeout_t timeout)
{
    ut_port_msg_t m;

    memset(&m, 0, sizeof(m));
    m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
    m.h.msgh_size = sizeof(m);
    m.h.msgh_remote_port = dest;
    m.h.msgh_id = id;
    m.body.msgh_descriptor_count = 1;
    m.port.name = name;
    m.port.disposition = disp;
    m.port.type = MACH_MSG_PORT_DESCRIPTOR;
    return mach_msg(&m.h, MACH_SEND_MSG | option, sizeof(m), 0, MACH_PORT_NULL, timeout,
                    MACH_PORT_NULL);
}

static inline mach_msg_return_t
ut_send_port(mach_port_name_t dest, mach_port_name_t name, mach_msg_type_name_t disp,
             mach_msg_id_t id)
{
    return ut_send_port_opt(dest, name, disp, id, 0, MACH_MSG_TIMEOUT_NONE);
}

/* Receive on NAME into BUF (SIZE bytes) with OPTION and TIMEOUT. */
static inline mach_msg_return_t
ut_recv_opt(mach_port_name_t name, void *buf, mach_msg_size_t size, mach_msg_option_t option,
            mach_msg_timeout_t timeout)
{
    return mach_msg((mach_msg_header_t *)buf, MACH_RCV_MSG | option, 0, size, name, timeout,
                    MACH_PORT_NULL);
}

/* Receive one message that must be waiting (or arrive within a second). */
static inline void
ut_recv(mach_port_name_t name, ut_msg_buf_t *buf)
{
    memset(buf, 0, sizeof(*buf));
    UT_KR(ut_recv_opt(name, buf, sizeof(*buf), MACH_RCV_TIMEOUT, 1000), MACH_MSG_SUCCESS);
}

/* Nothing is queued on NAME (a poll times out). */
static inline void
ut_expect_empty(mach_port_name_t name)
{
    ut_msg_buf_t buf;

    UT_KR(ut_recv_opt(name, &buf, sizeof(buf), MACH_RCV_TIMEOUT, 0), MACH_RCV_TIMED_OUT);
}

/* Atomic flags shared with the threads a test starts. */
static inline void
ut_flag_set(volatile uint32_t *flag, uint32_t value)
{
    __atomic_store_n(flag, value, __ATOMIC_SEQ_CST);
}

static inline uint32_t
ut_flag_get(const volatile uint32_t *flag)
{
    return __atomic_load_n(flag, __ATOMIC_SEQ_CST);
}

/* Wait (up to about 5 s) until *FLAG becomes VALUE. */
static inline void
ut_flag_wait(const volatile uint32_t *flag, uint32_t value)
{
    for (int i = 0; i < 500 && ut_flag_get(flag) != value; i++)
        ut_sleep_ms(10);
    UT_EQ(ut_flag_get(flag), value);
}

/* Milliseconds since boot, from host_get_time. */
static inline uint64_t
ut_now_ms(void)
{
    time_value_t t;
    mach_port_t host = mach_host_self();

    UT_KR(host_get_time(host, &t), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), host), KERN_SUCCESS);
    return (uint64_t)t.seconds * 1000 + (uint64_t)t.microseconds / 1000;
}

/*
 * Interrupt THREAD (a kernel thread port), which is about to block or is
 * blocked in mach_msg, until *DONE says its call returned: thread_abort has
 * no effect on a thread still running in user mode, so keep trying.
 */
static inline void
ut_abort_until(mach_port_t thread, const volatile uint32_t *done)
{
    for (int i = 0; i < 500 && !ut_flag_get(done); i++) {
        ut_sleep_ms(10);
        if (!ut_flag_get(done))
            UT_KR(thread_abort(thread), KERN_SUCCESS);
    }
    ut_flag_wait(done, 1);
}

/* Arm a no-senders notification for PORT, delivered to NOTIFY (a send-once
 * right made from our receive right for NOTIFY), with sync 1: it fires when
 * the last send right goes once one has been made.  (With sync 0 and no
 * send right made yet, mscount 0 >= sync and Mach sends it at once.) */
static inline void
ut_arm_no_senders(mach_port_name_t port, mach_port_name_t notify)
{
    mach_port_t previous = MACH_PORT_NULL;

    UT_KR(mach_port_request_notification(mach_task_self(), port, MACH_NOTIFY_NO_SENDERS, 1, notify,
                                         MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous),
          KERN_SUCCESS);
    UT_EQ(previous, MACH_PORT_NULL);
}

/*
 * Receive one kernel notification on PORT and check its id; the message is
 * left in BUF.  A notification travels on a send-once right: the receiver
 * sees MACH_MSG_TYPE_PORT_SEND_ONCE as the local bits and no reply.
 */
static inline void
ut_expect_notification(mach_port_name_t port, mach_msg_id_t id, ut_msg_buf_t *buf)
{
    ut_recv(port, buf);
    UT_EQ(buf->h.msgh_id, id);
    UT_EQ(MACH_MSGH_BITS_LOCAL(buf->h.msgh_bits), MACH_MSG_TYPE_PORT_SEND_ONCE);
    UT_EQ(buf->h.msgh_local_port, port);
    UT_EQ(buf->h.msgh_remote_port, MACH_PORT_NULL);
}

/* The make-send count a no-senders notification in BUF reports. */
static inline mach_port_mscount_t
ut_no_senders_mscount(ut_msg_buf_t *buf)
{
    mach_port_mscount_t mscount;

    UT_EQ(buf->h.msgh_size, sizeof(mach_msg_header_t) + sizeof(mach_port_mscount_t));
    memcpy(&mscount, buf->bytes + sizeof(mach_msg_header_t), sizeof(mscount));
    return mscount;
}

#endif

/* SPDX-License-Identifier: MIT
 *
 * Out-of-line port arrays (mach_msg_ool_ports_descriptor_t): every name in an
 * array is carried with the descriptor's disposition (COPY_SEND,
 * MAKE_SEND_ONCE, MOVE_RECEIVE here), MACH_PORT_NULL and MACH_PORT_DEAD pass
 * as they are, the receiver gets each array in fresh memory of its own with
 * the received type in the descriptor, and `deallocate` removes the sender's
 * array (its page is free again: vm_allocate at that address succeeds).
 */
#include "ut_msg.h"

typedef struct {
    mach_msg_header_t h;
    mach_msg_body_t body;
    mach_msg_ool_ports_descriptor_t d[3];
} ports_msg_t;

static void
set_desc(mach_msg_ool_ports_descriptor_t *d, void *addr, mach_msg_size_t count,
         mach_msg_type_name_t disp, boolean_t dealloc)
{
    d->address = addr;
    d->count = count;
    d->disposition = disp;
    d->deallocate = dealloc;
    d->copy = MACH_MSG_PHYSICAL_COPY;
    d->type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
}

int
main(void)
{
    mach_port_name_t carrier, s[3], t, r[2], *got;
    mach_port_name_t send_names[5], sonce_names[2];
    vm_address_t page = 0;
    ports_msg_t m;
    ut_msg_buf_t buf;
    ports_msg_t *in = (ports_msg_t *)&buf;

    ut_stats_begin();
    carrier = ut_port_send();
    for (int i = 0; i < 3; i++)
        s[i] = ut_port_send();
    t = ut_port();
    r[0] = ut_port();
    r[1] = ut_port();
    UT_KR(ut_send(r[1], MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 55), MACH_MSG_SUCCESS);

    send_names[0] = s[0];
    send_names[1] = MACH_PORT_NULL;
    send_names[2] = s[1];
    send_names[3] = MACH_PORT_DEAD;
    send_names[4] = s[2];
    sonce_names[0] = t;
    sonce_names[1] = t;
    /* The receive rights travel in a page of their own, given up on send. */
    UT_KR(vm_allocate(mach_task_self(), &page, UT_PAGE, TRUE), KERN_SUCCESS);
    memcpy((void *)page, r, sizeof(r));

    memset(&m, 0, sizeof(m));
    m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
    m.h.msgh_size = sizeof(m);
    m.h.msgh_remote_port = carrier;
    m.body.msgh_descriptor_count = 3;
    set_desc(&m.d[0], send_names, 5, MACH_MSG_TYPE_COPY_SEND, FALSE);
    set_desc(&m.d[1], sonce_names, 2, MACH_MSG_TYPE_MAKE_SEND_ONCE, FALSE);
    set_desc(&m.d[2], (void *)page, 2, MACH_MSG_TYPE_MOVE_RECEIVE, TRUE);
    UT_KR(mach_msg(&m.h, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
          MACH_MSG_SUCCESS);

    for (int i = 0; i < 3; i++)
        UT_EQ(ut_refs(s[i], MACH_PORT_RIGHT_SEND), 1);
    UT_EQ(ut_status(t).mps_sorights, 2);
    UT_EQ(ut_type(r[0]), MACH_PORT_TYPE_NONE);
    UT_EQ(ut_type(r[1]), MACH_PORT_TYPE_NONE);
    /* The sender's page is gone: it can be allocated again, exactly there. */
    UT_KR(vm_allocate(mach_task_self(), &page, UT_PAGE, FALSE), KERN_SUCCESS);
    UT_EQ(((mach_port_name_t *)page)[0], 0);
    UT_KR(vm_deallocate(mach_task_self(), page, UT_PAGE), KERN_SUCCESS);

    ut_recv(carrier, &buf);
    UT_EQ(in->body.msgh_descriptor_count, 3);

    UT_EQ(in->d[0].type, MACH_MSG_OOL_PORTS_DESCRIPTOR);
    UT_EQ(in->d[0].disposition, MACH_MSG_TYPE_PORT_SEND);
    UT_EQ(in->d[0].count, 5);
    got = in->d[0].address;
    UT_ASSERT(got != NULL && got != send_names);
    UT_EQ(got[0], s[0]);
    UT_EQ(got[1], MACH_PORT_NULL);
    UT_EQ(got[2], s[1]);
    UT_EQ(got[3], MACH_PORT_DEAD);
    UT_EQ(got[4], s[2]);
    for (int i = 0; i < 3; i++)
        UT_EQ(ut_refs(s[i], MACH_PORT_RIGHT_SEND), 2);
    UT_KR(vm_deallocate(mach_task_self(), (vm_address_t)got, 5 * sizeof(*got)), KERN_SUCCESS);

    UT_EQ(in->d[1].disposition, MACH_MSG_TYPE_PORT_SEND_ONCE);
    UT_EQ(in->d[1].count, 2);
    got = in->d[1].address;
    UT_ASSERT(MACH_PORT_VALID(got[0]) && MACH_PORT_VALID(got[1]) && got[0] != got[1]);
    UT_EQ(ut_type(got[0]), MACH_PORT_TYPE_SEND_ONCE);
    UT_EQ(ut_type(got[1]), MACH_PORT_TYPE_SEND_ONCE);
    UT_KR(ut_send(got[0], MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 1), MACH_MSG_SUCCESS);
    UT_KR(ut_send(got[1], MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 2), MACH_MSG_SUCCESS);
    UT_EQ(ut_status(t).mps_msgcount, 2);
    UT_KR(vm_deallocate(mach_task_self(), (vm_address_t)got, 2 * sizeof(*got)), KERN_SUCCESS);

    UT_EQ(in->d[2].disposition, MACH_MSG_TYPE_PORT_RECEIVE);
    UT_EQ(in->d[2].count, 2);
    got = in->d[2].address;
    UT_EQ(ut_type(got[0]), MACH_PORT_TYPE_RECEIVE);
    UT_EQ(ut_type(got[1]), MACH_PORT_TYPE_RECEIVE);
    UT_EQ(ut_status(got[0]).mps_msgcount, 0);
    UT_EQ(ut_status(got[1]).mps_msgcount, 1); /* its queue came along */
    r[0] = got[0];
    r[1] = got[1];
    UT_KR(vm_deallocate(mach_task_self(), (vm_address_t)got, 2 * sizeof(*got)), KERN_SUCCESS);

    ut_port_destroy(r[0]);
    ut_port_destroy(r[1]);
    ut_port_destroy(t);
    for (int i = 0; i < 3; i++)
        ut_port_destroy(s[i]);
    ut_port_destroy(carrier);
    ut_stats_expect_baseline();
    return ut_pass();
}

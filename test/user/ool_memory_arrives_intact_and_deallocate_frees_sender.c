/* SPDX-License-Identifier: MIT
 *
 * Out-of-line memory: a small region (100 bytes from the stack, kept by the
 * sender) and a multi-page region (5 pages, `deallocate` set) arrive with
 * their contents in fresh regions of the receiver's own, which it can
 * vm_deallocate; the sender's copy of the first is untouched, and the pages
 * of the second left the sender's address space in the send (vm_allocate at
 * that address succeeds and gives zero-filled memory).
 */
#include "ut_msg.h"

#define BIG_PAGES 5u

typedef struct {
    mach_msg_header_t h;
    mach_msg_body_t body;
    mach_msg_ool_descriptor_t small;
    mach_msg_ool_descriptor_t big;
} ool_msg_t;

static void
set_ool(mach_msg_ool_descriptor_t *d, void *addr, mach_msg_size_t size, boolean_t dealloc)
{
    d->address = addr;
    d->size = size;
    d->deallocate = dealloc;
    d->copy = MACH_MSG_VIRTUAL_COPY;
    d->type = MACH_MSG_OOL_DESCRIPTOR;
}

int
main(void)
{
    mach_port_name_t carrier;
    unsigned char small[100];
    vm_address_t big = 0, again;
    const vm_size_t big_size = BIG_PAGES * UT_PAGE;
    ool_msg_t m;
    ut_msg_buf_t buf;
    ool_msg_t *in = (ool_msg_t *)&buf;
    const unsigned char *p;
    const uint32_t *w;

    ut_stats_begin();
    carrier = ut_port_send();
    for (unsigned i = 0; i < sizeof(small); i++)
        small[i] = (unsigned char)(i * 7 + 3);
    UT_KR(vm_allocate(mach_task_self(), &big, big_size, TRUE), KERN_SUCCESS);
    for (vm_size_t i = 0; i < big_size / 4; i++)
        ((uint32_t *)big)[i] = (uint32_t)(0xb16b00b5u ^ i);

    memset(&m, 0, sizeof(m));
    m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
    m.h.msgh_size = sizeof(m);
    m.h.msgh_remote_port = carrier;
    m.body.msgh_descriptor_count = 2;
    set_ool(&m.small, small, sizeof(small), FALSE);
    set_ool(&m.big, (void *)big, (mach_msg_size_t)big_size, TRUE);
    UT_KR(mach_msg(&m.h, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
          MACH_MSG_SUCCESS);

    /* The big region is gone from the sender. */
    again = big;
    UT_KR(vm_allocate(mach_task_self(), &again, big_size, FALSE), KERN_SUCCESS);
    UT_EQ(again, big);
    UT_EQ(((uint32_t *)again)[0], 0);
    UT_EQ(((uint32_t *)again)[big_size / 4 - 1], 0);
    UT_KR(vm_deallocate(mach_task_self(), again, big_size), KERN_SUCCESS);

    ut_recv(carrier, &buf);
    UT_EQ(buf.h.msgh_size, sizeof(ool_msg_t));
    UT_EQ(in->body.msgh_descriptor_count, 2);

    UT_EQ(in->small.type, MACH_MSG_OOL_DESCRIPTOR);
    UT_EQ(in->small.size, sizeof(small));
    p = in->small.address;
    UT_ASSERT(p != NULL && p != small);
    for (unsigned i = 0; i < sizeof(small); i++)
        UT_EQ(p[i], (unsigned char)(i * 7 + 3));
    UT_EQ(small[99], (unsigned char)(99 * 7 + 3));

    UT_EQ(in->big.type, MACH_MSG_OOL_DESCRIPTOR);
    UT_EQ(in->big.size, big_size);
    w = in->big.address;
    UT_ASSERT(w != NULL);
    for (vm_size_t i = 0; i < big_size / 4; i++)
        UT_EQ(w[i], (uint32_t)(0xb16b00b5u ^ i));

    /* The receiver owns both regions. */
    UT_KR(vm_deallocate(mach_task_self(), (vm_address_t)p, sizeof(small)), KERN_SUCCESS);
    UT_KR(vm_deallocate(mach_task_self(), (vm_address_t)w, big_size), KERN_SUCCESS);

    ut_port_destroy(carrier);
    ut_stats_expect_baseline();
    return ut_pass();
}

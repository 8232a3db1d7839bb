/* SPDX-License-Identifier: MIT
 *
 * Out-of-line memory has copy semantics even when moved by virtual copy: what
 * the sender writes to its region after mach_msg returns is not seen by the
 * receiver, and what the receiver writes to its region does not change the
 * sender's.  Both sides can write (copy-on-write resolves the fault).
 */
#include "ut_msg.h"

#define PAGES 2u

typedef struct {
    mach_msg_header_t h;
    mach_msg_body_t body;
    mach_msg_ool_descriptor_t ool;
} ool_msg_t;

int
main(void)
{
    mach_port_name_t carrier;
    vm_address_t region = 0;
    const vm_size_t size = PAGES * UT_PAGE;
    uint32_t *mine, *theirs;
    ool_msg_t m;
    ut_msg_buf_t buf;
    ool_msg_t *in = (ool_msg_t *)&buf;

    ut_stats_begin();
    carrier = ut_port_send();
    UT_KR(vm_allocate(mach_task_self(), &region, size, TRUE), KERN_SUCCESS);
    mine = (uint32_t *)region;
    for (vm_size_t i = 0; i < size / 4; i++)
        mine[i] = (uint32_t)i;

    memset(&m, 0, sizeof(m));
    m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
    m.h.msgh_size = sizeof(m);
    m.h.msgh_remote_port = carrier;
    m.body.msgh_descriptor_count = 1;
    m.ool.address = mine;
    m.ool.size = (mach_msg_size_t)size;
    m.ool.deallocate = FALSE;
    m.ool.copy = MACH_MSG_VIRTUAL_COPY;
    m.ool.type = MACH_MSG_OOL_DESCRIPTOR;
    UT_KR(mach_msg(&m.h, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
          MACH_MSG_SUCCESS);

    /* The sender changes its region while the message is queued. */
    mine[0] = 0xdead0000;
    mine[size / 4 - 1] = 0xdead0001;

    ut_recv(carrier, &buf);
    theirs = in->ool.address;
    UT_ASSERT(theirs != NULL && theirs != mine);
    UT_EQ(in->ool.size, size);
    UT_EQ(theirs[0], 0);
    UT_EQ(theirs[size / 4 - 1], size / 4 - 1);
    UT_EQ(theirs[1], 1);

    /* And the receiver's writes stay its own. */
    theirs[1] = 0xbeef;
    UT_EQ(mine[1], 1);
    UT_EQ(mine[0], 0xdead0000);

    UT_KR(vm_deallocate(mach_task_self(), (vm_address_t)theirs, size), KERN_SUCCESS);
    UT_KR(vm_deallocate(mach_task_self(), region, size), KERN_SUCCESS);
    ut_port_destroy(carrier);
    ut_stats_expect_baseline();
    return ut_pass();
}

/* SPDX-License-Identifier: MIT
 *
 * An out-of-line region or port array the kernel cannot read fails the send
 * with MACH_SEND_INVALID_MEMORY (unmapped, kernel or non-canonical address,
 * or a region running into an unmapped page), and nothing of the message
 * moves: the header's moved send right, a moved receive right in an earlier
 * descriptor and a region marked `deallocate` in another descriptor all stay
 * with the sender.
 */
#include "ut_msg.h"

typedef struct {
    mach_msg_header_t h;
    mach_msg_body_t body;
    mach_msg_port_descriptor_t port;
    mach_msg_ool_descriptor_t keep;
    mach_msg_descriptor_t bad;
} ool_msg_t;

static mach_port_name_t dest, r;
static vm_address_t kept;

static mach_msg_return_t
send_bad(uintptr_t addr, mach_msg_size_t size, boolean_t ports)
{
    ool_msg_t m;

    memset(&m, 0, sizeof(m));
    m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
    m.h.msgh_size = sizeof(m);
    m.h.msgh_remote_port = dest;
    m.body.msgh_descriptor_count = 3;
    m.port.name = r;
    m.port.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
    m.port.type = MACH_MSG_PORT_DESCRIPTOR;
    m.keep.address = (void *)kept;
    m.keep.size = UT_PAGE;
    m.keep.deallocate = TRUE;
    m.keep.copy = MACH_MSG_VIRTUAL_COPY;
    m.keep.type = MACH_MSG_OOL_DESCRIPTOR;
    if (ports) {
        m.bad.ool_ports.address = (void *)addr;
        m.bad.ool_ports.count = size / sizeof(mach_port_name_t);
        m.bad.ool_ports.disposition = MACH_MSG_TYPE_COPY_SEND;
        m.bad.ool_ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
    } else {
        m.bad.out_of_line.address = (void *)addr;
        m.bad.out_of_line.size = size;
        m.bad.out_of_line.copy = MACH_MSG_VIRTUAL_COPY;
        m.bad.out_of_line.type = MACH_MSG_OOL_DESCRIPTOR;
    }
    return mach_msg(&m.h, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

static void
expect_untouched(void)
{
    UT_EQ(ut_refs(dest, MACH_PORT_RIGHT_SEND), 1);
    UT_EQ(ut_status(dest).mps_msgcount, 0);
    UT_EQ(ut_type(r), MACH_PORT_TYPE_RECEIVE);
    UT_EQ(((uint32_t *)kept)[0], 0x4b455054);
}

int
main(void)
{
    static const uintptr_t bad[] = {8, 0xffff800000000000ull, 0xffffffff80000000ull,
                                    0x0000800000000000ull};
    vm_address_t edge = 0;

    ut_stats_begin();
    dest = ut_port_send();
    r = ut_port();
    UT_KR(vm_allocate(mach_task_self(), &kept, UT_PAGE, TRUE), KERN_SUCCESS);
    ((uint32_t *)kept)[0] = 0x4b455054;
    UT_KR(vm_allocate(mach_task_self(), &edge, 2 * UT_PAGE, TRUE), KERN_SUCCESS);
    UT_KR(vm_deallocate(mach_task_self(), edge + UT_PAGE, UT_PAGE), KERN_SUCCESS);

    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        UT_KR(send_bad(bad[i], 64, FALSE), MACH_SEND_INVALID_MEMORY);
        expect_untouched();
        UT_KR(send_bad(bad[i], 64, TRUE), MACH_SEND_INVALID_MEMORY);
        expect_untouched();
    }
    UT_KR(send_bad(edge + UT_PAGE - 16, 64, FALSE), MACH_SEND_INVALID_MEMORY);
    expect_untouched();
    UT_KR(send_bad(edge + UT_PAGE - 16, 64, TRUE), MACH_SEND_INVALID_MEMORY);
    expect_untouched();

    UT_KR(vm_deallocate(mach_task_self(), edge, UT_PAGE), KERN_SUCCESS);
    UT_KR(vm_deallocate(mach_task_self(), kept, UT_PAGE), KERN_SUCCESS);
    ut_port_destroy(r);
    ut_port_destroy(dest);
    ut_stats_expect_baseline();
    return ut_pass();
}

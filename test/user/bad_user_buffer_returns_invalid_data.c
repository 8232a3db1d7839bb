/* SPDX-License-Identifier: MIT
 *
 * A message the kernel cannot read fails with MACH_SEND_INVALID_DATA and
 * changes nothing: a NULL or unmapped pointer, a kernel address, a
 * non-canonical address, and a message that runs off the end of mapped
 * memory into an unmapped page.  The task survives each (no fault).
 */
#include "ut_msg.h"

static mach_msg_return_t
send_at(uintptr_t addr, mach_msg_size_t size)
{
    return mach_msg((mach_msg_header_t *)addr, MACH_SEND_MSG, size, 0, MACH_PORT_NULL, 0,
                    MACH_PORT_NULL);
}

int
main(void)
{
    mach_port_name_t dest;
    vm_address_t region = 0;
    mach_msg_header_t *h;
    ut_simple_msg_t m;

    ut_stats_begin();
    dest = ut_port_send();

    UT_KR(send_at(0, sizeof(ut_simple_msg_t)), MACH_SEND_INVALID_DATA);
    UT_KR(send_at(8, sizeof(ut_simple_msg_t)), MACH_SEND_INVALID_DATA);
    UT_KR(send_at(0xffff800000000000ull, sizeof(ut_simple_msg_t)), MACH_SEND_INVALID_DATA);
    UT_KR(send_at(0xffffffff80000000ull, sizeof(ut_simple_msg_t)), MACH_SEND_INVALID_DATA);
    UT_KR(send_at(0x0000800000000000ull, sizeof(ut_simple_msg_t)), MACH_SEND_INVALID_DATA);
    UT_KR(send_at(0x00007ffffffffff0ull, sizeof(ut_simple_msg_t)), MACH_SEND_INVALID_DATA);

    /* A valid header at the end of a page whose next page is gone. */
    UT_KR(vm_allocate(mach_task_self(), &region, 2 * UT_PAGE, TRUE), KERN_SUCCESS);
    UT_KR(vm_deallocate(mach_task_self(), region + UT_PAGE, UT_PAGE), KERN_SUCCESS);
    h = (mach_msg_header_t *)(region + UT_PAGE - sizeof(mach_msg_header_t));
    memset(h, 0, sizeof(*h));
    h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0);
    h->msgh_size = sizeof(*h) + 64;
    h->msgh_remote_port = dest;
    UT_KR(send_at((uintptr_t)h, sizeof(*h) + 64), MACH_SEND_INVALID_DATA);
    UT_EQ(ut_refs(dest, MACH_PORT_RIGHT_SEND), 1);
    UT_EQ(ut_status(dest).mps_msgcount, 0);
    /* The header alone is readable and fine. */
    UT_KR(send_at((uintptr_t)h, sizeof(*h)), MACH_MSG_SUCCESS);
    UT_EQ(ut_status(dest).mps_msgcount, 1);
    UT_EQ(ut_type(dest), MACH_PORT_TYPE_RECEIVE);
    UT_KR(vm_deallocate(mach_task_self(), region, UT_PAGE), KERN_SUCCESS);

    /* The task's own messages still work. */
    UT_KR(mach_port_insert_right(mach_task_self(), dest, dest, MACH_MSG_TYPE_MAKE_SEND),
          KERN_SUCCESS);
    memset(&m, 0, sizeof(m));
    m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
    m.h.msgh_size = sizeof(m);
    m.h.msgh_remote_port = dest;
    UT_KR(send_at((uintptr_t)&m, sizeof(m)), MACH_MSG_SUCCESS);
    UT_EQ(ut_status(dest).mps_msgcount, 2);

    ut_port_destroy(dest);
    ut_stats_expect_baseline();
    return ut_pass();
}

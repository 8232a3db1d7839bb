/* SPDX-License-Identifier: MIT
 *
 * A receive into a buffer the kernel cannot write (NULL, a kernel address,
 * a read-only page, a buffer running into an unmapped page) returns
 * MACH_RCV_INVALID_DATA, and the message is dequeued and lost, as in XNU and
 * GNU Mach: the queue is empty afterwards and the kernel holds no message
 * (leak check).  The task survives (no fault), and the port goes on working.
 * Only simple messages are used: where the rights of a lost message end up
 * is not part of this contract.
 */
#include "ut_msg.h"

static mach_port_name_t p;

static void
send_one(mach_msg_id_t id)
{
    UT_KR(ut_send(p, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, id), MACH_MSG_SUCCESS);
    UT_EQ(ut_status(p).mps_msgcount, 1);
}

static void
recv_bad(uintptr_t addr, mach_msg_size_t size)
{
    UT_KR(ut_recv_opt(p, (void *)addr, size, MACH_RCV_TIMEOUT, 0), MACH_RCV_INVALID_DATA);
    UT_EQ(ut_status(p).mps_msgcount, 0);
}

int
main(void)
{
    vm_address_t region = 0, ro = 0;
    ut_msg_buf_t buf;

    ut_stats_begin();
    p = ut_port_send();
    UT_KR(vm_allocate(mach_task_self(), &region, 2 * UT_PAGE, TRUE), KERN_SUCCESS);
    UT_KR(vm_deallocate(mach_task_self(), region + UT_PAGE, UT_PAGE), KERN_SUCCESS);
    UT_KR(vm_allocate(mach_task_self(), &ro, UT_PAGE, TRUE), KERN_SUCCESS);
    UT_KR(vm_protect(mach_task_self(), ro, UT_PAGE, FALSE, VM_PROT_READ), KERN_SUCCESS);

    send_one(1);
    recv_bad(0, sizeof(buf));
    send_one(2);
    recv_bad(0xffff800000000000ull, sizeof(buf));
    send_one(3);
    recv_bad(ro, sizeof(buf));
    send_one(4);
    recv_bad(region + UT_PAGE - 8, sizeof(buf));

    /* Still a working port; the seqno counted the lost messages. */
    send_one(5);
    ut_recv(p, &buf);
    UT_EQ(buf.h.msgh_id, 5);
    UT_EQ(ut_status(p).mps_seqno, 5);
    ut_expect_empty(p);

    UT_KR(vm_deallocate(mach_task_self(), ro, UT_PAGE), KERN_SUCCESS);
    UT_KR(vm_deallocate(mach_task_self(), region, UT_PAGE), KERN_SUCCESS);
    ut_port_destroy(p);
    ut_stats_expect_baseline();
    return ut_pass();
}

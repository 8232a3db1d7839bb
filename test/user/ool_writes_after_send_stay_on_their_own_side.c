/* SPDX-License-Identifier: MIT
 *
 * A virtual copy (16 pages, above the physical-copy threshold) has copy
 * semantics: the receiver sees the region as it was at send time although
 * the sender wrote to it while the message was queued and after it was
 * received, and the receiver's writes never reach the sender.  Every page
 * is written on both sides, so each takes its own copy-on-write fault.
 */
#include "ut_ool.h"

#define SIZE (16u * UT_PAGE)

int
main(void)
{
    mach_port_name_t port;
    vm_address_t mine;
    uint32_t *m, *t;
    ut_msg_buf_t buf;
    ut_ool_msg_t *in = (ut_ool_msg_t *)&buf;

    ut_stats_begin();
    port = ut_port();
    mine = ut_ool_region(SIZE, 0xabc);
    m = (uint32_t *)mine;
    UT_KR(ut_ool_send(port, mine, SIZE, FALSE, 0), MACH_MSG_SUCCESS);

    /* The sender writes half its pages while the message is queued... */
    for (vm_size_t p = 0; p < SIZE / UT_PAGE; p += 2)
        m[p * UT_PAGE / 4 + 5] = 0xdead0000u + (uint32_t)p;
    ut_recv(port, &buf);
    t = in->ool.address;
    /* ...and the other half after the receiver has the region. */
    for (vm_size_t p = 1; p < SIZE / UT_PAGE; p += 2)
        m[p * UT_PAGE / 4 + 5] = 0xdead0000u + (uint32_t)p;
    ut_ool_expect((vm_address_t)t, SIZE, 0xabc);

    /* The receiver's writes stay its own. */
    for (vm_size_t p = 0; p < SIZE / UT_PAGE; p++)
        t[p * UT_PAGE / 4 + 9] = 0xbeef0000u + (uint32_t)p;
    for (vm_size_t p = 0; p < SIZE / UT_PAGE; p++) {
        UT_EQ(m[p * UT_PAGE / 4 + 5], 0xdead0000u + (uint32_t)p);
        UT_EQ(m[p * UT_PAGE / 4 + 9], ut_ool_word(p * UT_PAGE / 4 + 9, 0xabc));
        UT_EQ(t[p * UT_PAGE / 4 + 5], ut_ool_word(p * UT_PAGE / 4 + 5, 0xabc));
        UT_EQ(t[p * UT_PAGE / 4 + 9], 0xbeef0000u + (uint32_t)p);
    }
    UT_KR(vm_deallocate(mach_task_self(), (vm_address_t)t, SIZE), KERN_SUCCESS);
    UT_KR(vm_deallocate(mach_task_self(), mine, SIZE), KERN_SUCCESS);
    ut_port_destroy(port);
    ut_stats_expect_baseline();
    return ut_pass();
}

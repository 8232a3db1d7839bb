/* SPDX-License-Identifier: MIT
 *
 * `deallocate` on a 1 MiB virtual copy removes the region from the sender
 * as part of the send: when mach_msg returns, the range is free (a fixed
 * vm_allocate there succeeds), the receiver gets every word, and the pages
 * were moved, not copied: free pages do not drop by the region's size
 * between the send and the receiver's read, and come back when the
 * receiver deallocates it.
 */
#include "ut_ool.h"

#define SIZE        UT_MIB
#define SLACK_PAGES 32u

int
main(void)
{
    mach_port_name_t port;
    vm_address_t mine;
    unsigned long base, sent, read, freed;
    ut_msg_buf_t buf;
    ut_ool_msg_t *in = (ut_ool_msg_t *)&buf;

    ut_stats_begin();
    port = ut_port();
    base = ut_free_pages();
    mine = ut_ool_region(SIZE, 0xd0d0);
    UT_KR(ut_ool_send(port, mine, SIZE, TRUE, 0), MACH_MSG_SUCCESS);
    UT_EQ(ut_ool_mapped(mine, SIZE), 0);
    sent = ut_free_pages();
    ut_recv(port, &buf);
    UT_EQ(in->ool.size, SIZE);
    ut_ool_expect((vm_address_t)in->ool.address, SIZE, 0xd0d0);
    read = ut_free_pages();
    if (read + SLACK_PAGES < sent)
        UT_FAIL("receiving took %lu pages", sent - read);
    UT_KR(vm_deallocate(mach_task_self(), (vm_address_t)in->ool.address, SIZE), KERN_SUCCESS);
    freed = ut_free_pages();
    if (freed + SLACK_PAGES < base)
        UT_FAIL("%lu pages not back after the receiver's deallocate", base - freed);
    ut_port_destroy(port);
    ut_stats_expect_baseline();
    return ut_pass();
}

/* SPDX-License-Identifier: MIT
 *
 * A 64 MiB out-of-line region arrives intact on a machine with 96 MiB of
 * RAM (test/qemu/CMakeLists.txt), where a physical copy -- a 64 MiB kernel
 * buffer, then 64 MiB more in the receiver -- could not fit: the pages are
 * shared copy-on-write, and neither the send nor the receive nor reading
 * the whole region takes more than a few pages (map entries, page tables).
 */
#include "ut_ool.h"

#define SIZE        (64u * UT_MIB)
#define SLACK_PAGES 256u /* page tables and kernel structures, far below 16384 */

int
main(void)
{
    mach_port_name_t port;
    vm_address_t mine;
    unsigned long before, after;
    ut_msg_buf_t buf;
    ut_ool_msg_t *in = (ut_ool_msg_t *)&buf;

    ut_stats_begin();
    port = ut_port();
    mine = ut_ool_region(SIZE, 0x6464);
    before = ut_free_pages();
    UT_KR(ut_ool_send(port, mine, SIZE, FALSE, 0), MACH_MSG_SUCCESS);
    ut_recv(port, &buf);
    UT_EQ(in->ool.size, SIZE);
    ut_ool_expect((vm_address_t)in->ool.address, SIZE, 0x6464);
    after = ut_free_pages();
    if (after + SLACK_PAGES < before)
        UT_FAIL("the transfer took %lu pages", before - after);
    ut_ool_expect(mine, SIZE, 0x6464);
    UT_KR(vm_deallocate(mach_task_self(), (vm_address_t)in->ool.address, SIZE), KERN_SUCCESS);
    UT_KR(vm_deallocate(mach_task_self(), mine, SIZE), KERN_SUCCESS);
    ut_port_destroy(port);
    ut_stats_expect_baseline();
    return ut_pass();
}

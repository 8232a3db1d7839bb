/* SPDX-License-Identifier: MIT
 *
 * Out-of-line regions of one page and of 1 MiB (virtual copies), and of
 * 1000 bytes (below the threshold: a physical copy), arrive intact: every
 * word the sender wrote is in the receiver's new region, at an address the
 * kernel chose, and the sender's region is unchanged.
 */
#include "ut_ool.h"

static void
transfer(mach_port_name_t port, vm_size_t size, uint32_t seed)
{
    vm_address_t mine = ut_ool_region(size, seed);
    ut_msg_buf_t buf;
    ut_ool_msg_t *in = (ut_ool_msg_t *)&buf;

    UT_KR(ut_ool_send(port, mine, size, FALSE, 0), MACH_MSG_SUCCESS);
    ut_recv(port, &buf);
    UT_EQ(in->ool.type, MACH_MSG_OOL_DESCRIPTOR);
    UT_EQ(in->ool.size, size);
    UT_ASSERT(in->ool.address != NULL && (vm_address_t)in->ool.address != mine);
    ut_ool_expect((vm_address_t)in->ool.address, size, seed);
    ut_ool_expect(mine, size, seed);
    UT_KR(vm_deallocate(mach_task_self(), (vm_address_t)in->ool.address, size), KERN_SUCCESS);
    UT_KR(vm_deallocate(mach_task_self(), mine, size), KERN_SUCCESS);
}

int
main(void)
{
    mach_port_name_t port;

    ut_stats_begin();
    port = ut_port();
    transfer(port, UT_PAGE, 0x1111);
    transfer(port, 1000, 0x3333);
    transfer(port, UT_MIB, 0x2222);
    ut_port_destroy(port);
    ut_stats_expect_baseline();
    return ut_pass();
}

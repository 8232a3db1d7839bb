/* SPDX-License-Identifier: MIT */
/*
 * vm_read and vm_write check the whole range first and answer with the
 * classic codes, changing nothing: KERN_INVALID_ARGUMENT for an address or
 * size that is not page aligned, KERN_INVALID_ADDRESS for unmapped memory,
 * a hole, a range that wraps or reaches the kernel's half,
 * KERN_PROTECTION_FAILURE for memory without the access, and
 * KERN_INVALID_TASK for a port that names no task.
 */
#include "ut_vm.h"

#define KERNEL_HALF 0xffff800000000000ul

static void
expect_read(vm_address_t addr, vm_size_t size, kern_return_t code)
{
    vm_offset_t data = 0x77;
    mach_msg_type_number_t count = 0x77;

    UT_KR(vm_read(mach_task_self(), addr, size, &data, &count), code);
    UT_EQ(data, 0x77);
    UT_EQ(count, 0x77);
}

int
main(void)
{
    mach_port_t self = mach_task_self();
    vm_address_t a = 0, hole;
    static char buf[2 * UT_PAGE] __attribute__((aligned(4096)));

    ut_stats_begin();
    UT_KR(vm_allocate(self, &a, 3 * UT_PAGE, TRUE), KERN_SUCCESS);
    ut_vm_fill((void *)a, UT_PAGE, 1);
    ut_vm_fill((void *)(a + 2 * UT_PAGE), UT_PAGE, 1);
    hole = a + UT_PAGE;
    UT_KR(vm_deallocate(self, hole, UT_PAGE), KERN_SUCCESS);

    expect_read(a + 8, UT_PAGE, KERN_INVALID_ARGUMENT);
    expect_read(a, 100, KERN_INVALID_ARGUMENT);
    expect_read(hole, UT_PAGE, KERN_INVALID_ADDRESS);                   // unmapped
    expect_read(a, 3 * UT_PAGE, KERN_INVALID_ADDRESS);                  // a hole in the middle
    expect_read(~0ul - UT_PAGE + 1, 2 * UT_PAGE, KERN_INVALID_ADDRESS); // wraps
    expect_read(KERNEL_HALF, UT_PAGE, KERN_INVALID_ADDRESS);
    expect_read(0, UT_PAGE, KERN_INVALID_ADDRESS); // page zero is never mapped

    UT_KR(vm_protect(self, a, UT_PAGE, FALSE, VM_PROT_NONE), KERN_SUCCESS);
    expect_read(a, UT_PAGE, KERN_PROTECTION_FAILURE);
    UT_KR(vm_protect(self, a, UT_PAGE, FALSE, VM_PROT_DEFAULT), KERN_SUCCESS);

    // vm_write: the same checks; the target keeps its bytes.
    ut_vm_fill(buf, sizeof(buf), 2);
    UT_KR(vm_write(self, a + 8, (vm_offset_t)buf, UT_PAGE), KERN_INVALID_ARGUMENT);
    UT_KR(vm_write(self, a, (vm_offset_t)buf, 100), KERN_INVALID_ARGUMENT);
    UT_KR(vm_write(self, hole, (vm_offset_t)buf, UT_PAGE), KERN_INVALID_ADDRESS);
    UT_KR(vm_write(self, a, (vm_offset_t)buf, 2 * UT_PAGE), KERN_INVALID_ADDRESS);
    UT_KR(vm_write(self, KERNEL_HALF, (vm_offset_t)buf, UT_PAGE), KERN_INVALID_ADDRESS);
    UT_KR(vm_protect(self, a, UT_PAGE, FALSE, VM_PROT_READ), KERN_SUCCESS);
    UT_KR(vm_write(self, a, (vm_offset_t)buf, UT_PAGE), KERN_PROTECTION_FAILURE);
    ut_vm_check((void *)a, UT_PAGE, 1);
    ut_vm_check((void *)(a + 2 * UT_PAGE), UT_PAGE, 1);

    // A port that names no task.
    host_t host = mach_host_self();
    vm_offset_t data = 0x77;
    mach_msg_type_number_t count = 0x77;
    UT_KR(vm_read(host, a, UT_PAGE, &data, &count), KERN_INVALID_TASK);
    UT_EQ(data, 0x77);
    UT_KR(vm_write(host, a, (vm_offset_t)buf, UT_PAGE), KERN_INVALID_TASK);
    UT_KR(mach_port_deallocate(self, host), KERN_SUCCESS);

    // A successful read of what is left, to be sure the checks are not all
    // that works.
    UT_KR(vm_read(self, a + 2 * UT_PAGE, UT_PAGE, &data, &count), KERN_SUCCESS);
    ut_vm_check((void *)data, UT_PAGE, 1);
    UT_KR(vm_deallocate(self, data, count), KERN_SUCCESS);

    UT_KR(vm_deallocate(self, a, 3 * UT_PAGE), KERN_SUCCESS);
    ut_stats_expect_baseline();
    return ut_pass();
}

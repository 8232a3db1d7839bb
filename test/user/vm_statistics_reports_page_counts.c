/* SPDX-License-Identifier: MIT */
/*
 * vm_statistics reports the page size and the system's page counts: free
 * pages drop when this task touches new memory and come back when it is
 * deallocated; touched pages are active (on the paging queues), not wired
 * (wire_count is the kernel's own memory), and the fault counters move.  Any task
 * port will do; a port that names no task is KERN_INVALID_TASK with
 * nothing written.
 */
#include "ut_vm.h"

#define NPAGES 64

static vm_statistics_data_t
stats(void)
{
    vm_statistics_data_t st;

    memset(&st, 0xff, sizeof(st));
    UT_KR(vm_statistics(mach_task_self(), &st), KERN_SUCCESS);
    return st;
}

int
main(void)
{
    mach_port_t self = mach_task_self();
    vm_address_t a = 0;

    ut_stats_begin();
    vm_statistics_data_t before = stats();
    UT_EQ(before.pagesize, UT_PAGE);
    UT_ASSERT(before.free_count > NPAGES);
    UT_ASSERT(before.wire_count > 0);
    UT_ASSERT(before.active_count >= 0 && before.inactive_count >= 0);

    UT_KR(vm_allocate(self, &a, NPAGES * UT_PAGE, TRUE), KERN_SUCCESS);
    UT_ASSERT(stats().free_count > before.free_count - 8); // nothing touched yet
    for (size_t i = 0; i < NPAGES; i++)
        ((volatile char *)a)[i * UT_PAGE] = 1;
    vm_statistics_data_t touched = stats();
    UT_ASSERT(touched.free_count <= before.free_count - NPAGES);
    UT_ASSERT(touched.active_count >= before.active_count + NPAGES);
    UT_ASSERT(touched.zero_fill_count >= before.zero_fill_count + NPAGES);
    UT_ASSERT(touched.faults >= before.faults + NPAGES);

    UT_KR(vm_deallocate(self, a, NPAGES * UT_PAGE), KERN_SUCCESS);
    vm_statistics_data_t after = stats();
    UT_ASSERT(after.free_count >= touched.free_count + NPAGES);

    // The host port is a kernel port, but not a task's.
    host_t host = mach_host_self();
    vm_statistics_data_t st;
    memset(&st, 0x5a, sizeof(st));
    UT_KR(vm_statistics(host, &st), KERN_INVALID_TASK);
    UT_EQ(st.pagesize, 0x5a5a5a5a);
    UT_KR(mach_port_deallocate(self, host), KERN_SUCCESS);

    ut_stats_expect_baseline();
    return ut_pass();
}

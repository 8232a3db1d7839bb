/* SPDX-License-Identifier: MIT */
/*
 * task_create (without memory inheritance) makes a task with no threads,
 * no names in its IPC space and a suspend count of 0; we get one send right
 * to its port.  Its special ports can be read: its kernel port is the port
 * we hold.
 */
#include "ut_ports.h"

int
main(void)
{
    mach_port_t self = mach_task_self();
    thread_array_t threads = NULL;
    mach_msg_type_number_t nthreads = 99, count;
    struct task_basic_info info;
    mach_port_t kport;
    task_t child;

    ut_stats_begin();
    host_ipc_stats_t before = ut_stats_before;
    child = ut_child_task();
    UT_EQ(ut_type(child), MACH_PORT_TYPE_SEND);
    UT_EQ(ut_refs(child, MACH_PORT_RIGHT_SEND), 1);
    UT_ASSERT(child != self);

    host_ipc_stats_t now;
    host_t host = mach_host_self();
    UT_KR(host_ipc_stats(host, &now), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(self, host), KERN_SUCCESS);
    UT_EQ(now.his_tasks, before.his_tasks + 1);
    UT_EQ(now.his_threads, before.his_threads);

    UT_KR(task_threads(child, &threads, &nthreads), KERN_SUCCESS);
    UT_EQ(nthreads, 0);
    UT_EQ(ut_name_count(child), 0);

    count = TASK_BASIC_INFO_COUNT;
    memset(&info, 0xff, sizeof(info));
    UT_KR(task_info(child, TASK_BASIC_INFO, (task_info_t)&info, &count), KERN_SUCCESS);
    UT_EQ(count, TASK_BASIC_INFO_COUNT);
    UT_EQ(info.suspend_count, 0);
    UT_EQ(info.virtual_size, 0);
    UT_EQ(info.resident_size, 0);

    UT_KR(task_get_special_port(child, TASK_KERNEL_PORT, &kport), KERN_SUCCESS);
    UT_EQ(kport, child);
    UT_EQ(ut_refs(child, MACH_PORT_RIGHT_SEND), 2);
    UT_KR(mach_port_deallocate(self, kport), KERN_SUCCESS);

    ut_child_end(child);
    ut_stats_settle_baseline();
    return ut_pass();
}

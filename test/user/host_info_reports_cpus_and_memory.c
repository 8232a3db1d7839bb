/* SPDX-License-Identifier: MIT */
/*
 * host_info(HOST_BASIC_INFO) through the unprivileged host port reports at
 * least one CPU (available CPUs never more than the machine has) and the
 * machine's memory; an unknown flavor or a short buffer is
 * KERN_INVALID_ARGUMENT, and a port that is not the host's is
 * KERN_INVALID_HOST.
 */
#include "ut_ports.h"

int
main(void)
{
    mach_port_t self = mach_task_self();
    struct host_basic_info info;
    mach_msg_type_number_t count;
    host_t host;

    ut_stats_begin();
    host = mach_host_self();
    UT_ASSERT(MACH_PORT_VALID(host));
    UT_EQ(ut_type(host), MACH_PORT_TYPE_SEND);

    count = HOST_BASIC_INFO_COUNT;
    memset(&info, 0, sizeof(info));
    UT_KR(host_info(host, HOST_BASIC_INFO, (host_info_t)&info, &count), KERN_SUCCESS);
    UT_EQ(count, HOST_BASIC_INFO_COUNT);
    UT_ASSERT(info.max_cpus >= 1);
    UT_ASSERT(info.avail_cpus >= 1 && info.avail_cpus <= info.max_cpus);
    UT_ASSERT(info.memory_size >= 16u * 1024 * 1024); /* QEMU gives far more */
    UT_EQ(info.memory_size % 4096, 0);

    count = HOST_BASIC_INFO_COUNT - 1;
    UT_KR(host_info(host, HOST_BASIC_INFO, (host_info_t)&info, &count), KERN_INVALID_ARGUMENT);
    count = HOST_BASIC_INFO_COUNT;
    UT_KR(host_info(host, 9999, (host_info_t)&info, &count), KERN_INVALID_ARGUMENT);
    UT_KR(host_info(self, HOST_BASIC_INFO, (host_info_t)&info, &count), KERN_INVALID_HOST);

    UT_KR(mach_port_deallocate(self, host), KERN_SUCCESS);
    ut_stats_expect_baseline();
    return ut_pass();
}

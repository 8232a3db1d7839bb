/* SPDX-License-Identifier: MIT */
/*
 * host_kernel_version returns a non-empty, NUL-terminated, printable string
 * naming the kernel.
 */
#include "ut_ports.h"

int
main(void)
{
    kernel_version_t version;
    host_t host;
    size_t len;

    ut_stats_begin();
    host = mach_host_self();
    memset(version, 0xff, sizeof(version));
    UT_KR(host_kernel_version(host, version), KERN_SUCCESS);
    const char *nul = memchr(version, '\0', sizeof(version));
    UT_ASSERT(nul != NULL);
    len = (size_t)(nul - version);
    UT_ASSERT(len > 0);
    for (size_t i = 0; i < len; i++)
        UT_ASSERT(version[i] == '\n' || version[i] == '\t' ||
                  (version[i] >= 0x20 && version[i] < 0x7f));
    printf("kernel version: %s\n", version);

    UT_KR(mach_port_deallocate(mach_task_self(), host), KERN_SUCCESS);
    ut_stats_expect_baseline();
    return ut_pass();
}

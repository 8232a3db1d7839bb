/* SPDX-License-Identifier: MIT */
/*
 * task_info(TASK_BASIC_INFO) on our own task: running, so suspend count 0,
 * some address space in use and a creation time not after now.  The count
 * comes back as TASK_BASIC_INFO_COUNT; a buffer too small or an unknown
 * flavor is KERN_INVALID_ARGUMENT.
 */
#include "ut_ports.h"

int
main(void)
{
    mach_port_t self = mach_task_self();
    struct task_basic_info info;
    mach_msg_type_number_t count;
    int64_t now;

    ut_stats_begin();
    count = TASK_BASIC_INFO_COUNT;
    memset(&info, 0xff, sizeof(info));
    UT_KR(task_info(self, TASK_BASIC_INFO, (task_info_t)&info, &count), KERN_SUCCESS);
    UT_EQ(count, TASK_BASIC_INFO_COUNT);
    UT_EQ(info.suspend_count, 0);
    UT_ASSERT(info.virtual_size > 0);
    UT_ASSERT(info.resident_size <= info.virtual_size);
    UT_ASSERT(info.creation_time.microseconds >= 0 && info.creation_time.microseconds < 1000000);
    now = ut_now_us();
    UT_ASSERT(info.creation_time.seconds * 1000000 + info.creation_time.microseconds <= now);

    /* A larger buffer is fine: the count says what was filled. */
    integer_t big[TASK_BASIC_INFO_COUNT + 8];
    count = TASK_BASIC_INFO_COUNT + 8;
    UT_KR(task_info(self, TASK_BASIC_INFO, big, &count), KERN_SUCCESS);
    UT_EQ(count, TASK_BASIC_INFO_COUNT);

    count = TASK_BASIC_INFO_COUNT - 1;
    UT_KR(task_info(self, TASK_BASIC_INFO, (task_info_t)&info, &count), KERN_INVALID_ARGUMENT);
    count = TASK_BASIC_INFO_COUNT;
    UT_KR(task_info(self, 9999, (task_info_t)&info, &count), KERN_INVALID_ARGUMENT);

    ut_stats_expect_baseline();
    return ut_pass();
}

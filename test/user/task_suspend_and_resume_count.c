/* SPDX-License-Identifier: MIT */
/*
 * task_suspend and task_resume raise and lower a task's suspend count, as
 * task_info (TASK_BASIC_INFO) reports it; resuming a task whose count is 0
 * fails with KERN_FAILURE.
 */
#include "ut_ports.h"

static integer_t
suspend_count(task_t task)
{
    struct task_basic_info info;
    mach_msg_type_number_t count = TASK_BASIC_INFO_COUNT;

    UT_KR(task_info(task, TASK_BASIC_INFO, (task_info_t)&info, &count), KERN_SUCCESS);
    return info.suspend_count;
}

int
main(void)
{
    task_t child;

    ut_stats_begin();
    child = ut_child_task();
    UT_EQ(suspend_count(child), 0);
    UT_KR(task_suspend(child), KERN_SUCCESS);
    UT_EQ(suspend_count(child), 1);
    UT_KR(task_suspend(child), KERN_SUCCESS);
    UT_EQ(suspend_count(child), 2);
    UT_KR(task_resume(child), KERN_SUCCESS);
    UT_EQ(suspend_count(child), 1);
    UT_KR(task_resume(child), KERN_SUCCESS);
    UT_EQ(suspend_count(child), 0);
    UT_KR(task_resume(child), KERN_FAILURE);
    UT_EQ(suspend_count(child), 0);

    /* A suspended task can be terminated. */
    UT_KR(task_suspend(child), KERN_SUCCESS);
    ut_child_end(child);
    ut_stats_settle_baseline();
    return ut_pass();
}

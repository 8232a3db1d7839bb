/* SPDX-License-Identifier: MIT
 *
 * A region large enough to travel by virtual copy (1 MiB) sent to a kernel
 * object arrives whole: vm_write's data is out of line, and the kernel
 * server needs it as a kernel buffer (ipc_ool.c turns the copy into one).
 * The target region gets every word, the source keeps them, and no page
 * is lost to the conversion.
 */
#include "ut_ool.h"

#define SIZE        UT_MIB
#define SLACK_PAGES 32u

int
main(void)
{
    vm_address_t src, dst;
    unsigned long base;

    ut_stats_begin();
    src = ut_ool_region(SIZE, 0x7e57);
    dst = ut_ool_region(SIZE, 0);
    base = ut_free_pages();
    UT_KR(vm_write(mach_task_self(), dst, src, SIZE), KERN_SUCCESS);
    ut_ool_expect(dst, SIZE, 0x7e57);
    ut_ool_expect(src, SIZE, 0x7e57);
    if (ut_free_pages() + SLACK_PAGES < base)
        UT_FAIL("%lu pages lost", base - ut_free_pages());
    UT_KR(vm_deallocate(mach_task_self(), src, SIZE), KERN_SUCCESS);
    UT_KR(vm_deallocate(mach_task_self(), dst, SIZE), KERN_SUCCESS);
    ut_stats_expect_baseline();
    return ut_pass();
}

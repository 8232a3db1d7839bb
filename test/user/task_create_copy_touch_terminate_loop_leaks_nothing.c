/* SPDX-License-Identifier: MIT */
/*
 * The fork loop at task level: task_create with inherited
 * (copy-on-write) memory, a write into the child's copy of a page the
 * parent has (vm_write, so the child copies it up), a write of the
 * parent's own copy of another page (the parent copies it up),
 * task_terminate, deallocate.  After a few warm-up rounds (zones grow to
 * their working size: tasks, maps, entries, objects, ports), the loop must
 * leave vm_statistics' free_count exactly where it started: no page of a
 * dead child, no shadow object, no growing chain stays behind.
 * The 1,000 rounds take about a second under QEMU.
 */
#include "ut_vm.h"

#define ROUNDS 1000
#define WARMUP 8

// vm_write takes whole pages.
static unsigned page_buf[UT_PAGE / sizeof(unsigned)] __attribute__((aligned(4096)));

static void
round_once(vm_address_t a, unsigned i)
{
    mach_port_t self = mach_task_self();
    task_t child;

    page_buf[0] = i;
    UT_KR(task_create(self, TRUE, &child), KERN_SUCCESS);
    UT_KR(vm_write(child, a, (vm_offset_t)page_buf, UT_PAGE), KERN_SUCCESS);
    ((volatile unsigned *)(a + UT_PAGE))[0] = i; // the parent's own copy
    UT_KR(task_terminate(child), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(self, child), KERN_SUCCESS);
}

static integer_t
free_pages(void)
{
    vm_statistics_data_t st;

    UT_KR(vm_statistics(mach_task_self(), &st), KERN_SUCCESS);
    return st.free_count;
}

int
main(void)
{
    vm_address_t a = 0;

    ut_stats_begin();
    UT_KR(vm_allocate(mach_task_self(), &a, 2 * UT_PAGE, TRUE), KERN_SUCCESS);
    ((volatile unsigned *)a)[0] = 0xabc; // both pages resident before the first fork
    ((volatile unsigned *)(a + UT_PAGE))[0] = 0xdef;
    for (unsigned i = 0; i < WARMUP; i++)
        round_once(a, i);
    ut_stats_expect_baseline(); // settles: the last child's threads are reaped
    integer_t start = free_pages();
    for (unsigned i = 0; i < ROUNDS; i++)
        round_once(a, i);
    ut_stats_expect_baseline();
    integer_t end = free_pages();
    if (end != start) {
        printf("free pages: %d before the loop, %d after\n", (int)start, (int)end);
        return 1;
    }
    UT_EQ(((volatile unsigned *)a)[0], 0xabc); // the children's writes stayed theirs
    UT_EQ(((volatile unsigned *)(a + UT_PAGE))[0], ROUNDS - 1);
    UT_KR(vm_deallocate(mach_task_self(), a, 2 * UT_PAGE), KERN_SUCCESS);
    ut_stats_expect_baseline();
    return ut_pass();
}

/* SPDX-License-Identifier: MIT */
/*
 * Memory pressure: on a small machine with the default pager on a disk
 * (test/qemu/CMakeLists.txt: 32 MiB of RAM, a 96 MiB disk), a child task
 * writes a distinct pattern to twice the machine's RAM of anonymous
 * memory, then reads every word of every page back.  Most pages must have
 * gone to the default pager and come back (vm_statistics' pageouts and
 * pageins; the pager's store holds the pages while the child lives) and
 * none may be lost or mixed up.  The child exits with its memory still
 * allocated: the kernel terminates its objects, and the pager frees their
 * space.
 *
 * Other tasks' memory is paged out too (this task's, bootstrap's): their
 * objects stay with the pager, which the leak checks allow for
 * (host_ipc_stats' his_paged), and whose space is not the child's.
 */
#include "ut_child.h"

#include <mach/host_info.h>
#include <mach/vm_statistics.h>
#include <servers/bootstrap.h>
#include <servers/default_pager.h>

#define PAGE    4096ul
#define WORDS   (PAGE / 8)
#define PATTERN 0x5041474544415441ull /* "PAGEDATA" */

/* Written by the child in a page both tasks see (VM_INHERIT_SHARE). */
struct report {
    natural_t used_at_end; /* store pages in use just before the child exits */
    natural_t pages;       /* pages it wrote and read back */
};

static volatile struct report *report;
static mach_port_t pager;

static uint64_t
word(size_t page, size_t i)
{
    return PATTERN ^ ((uint64_t)page << 20) ^ (i * 0x9E3779B1ull);
}

static default_pager_info_t
pager_info(void)
{
    default_pager_info_t info;

    UT_KR(default_pager_info(pager, &info), KERN_SUCCESS);
    return info;
}

static vm_statistics_data_t
statistics(void)
{
    vm_statistics_data_t st;

    UT_KR(vm_statistics(mach_task_self(), &st), KERN_SUCCESS);
    return st;
}

/* The child: twice RAM out and back; the memory stays allocated. */
static __attribute__((noreturn)) void
child_main(uint64_t unused)
{
    struct host_basic_info host;
    mach_msg_type_number_t count = HOST_BASIC_INFO_COUNT;
    vm_address_t base = 0;

    (void)unused;
    ut_child_enter();
    UT_KR(host_info(mach_host_self(), HOST_BASIC_INFO, (host_info_t)&host, &count), KERN_SUCCESS);
    size_t npages = 2 * (size_t)host.memory_size / PAGE;
    default_pager_info_t before = pager_info();
    vm_statistics_data_t st0 = statistics();

    UT_KR(vm_allocate(mach_task_self(), &base, npages * PAGE, TRUE), KERN_SUCCESS);
    for (size_t p = 0; p < npages; p++) {
        uint64_t *w = (uint64_t *)(base + p * PAGE);
        for (size_t i = 0; i < WORDS; i++)
            w[i] = word(p, i);
    }
    /* At least the half that cannot be in RAM is on the disk. */
    default_pager_info_t during = pager_info();
    UT_ASSERT(during.dpi_objects > before.dpi_objects);
    UT_ASSERT(before.dpi_free_space - during.dpi_free_space >= npages / 2);

    for (size_t p = 0; p < npages; p++) {
        const uint64_t *w = (const uint64_t *)(base + p * PAGE);
        for (size_t i = 0; i < WORDS; i++) {
            if (w[i] != word(p, i))
                UT_FAIL("page %zu word %zu is %#llx, expected %#llx", p, i,
                        (unsigned long long)w[i], (unsigned long long)word(p, i));
        }
    }
    vm_statistics_data_t st1 = statistics();
    default_pager_info_t end = pager_info();
    printf("paging: %zu pages written and read back; %d pageouts, %d pageins\n", npages,
           st1.pageouts - st0.pageouts, st1.pageins - st0.pageins);
    UT_ASSERT((size_t)(st1.pageouts - st0.pageouts) >= npages / 2);
    UT_ASSERT((size_t)(st1.pageins - st0.pageins) >= npages / 2);
    /* Every page the kernel took in came from the default pager (which
     * has supplied a few more since: this task's own pages, faulting back
     * in while it asks). */
    UT_ASSERT(st1.pageins - st0.pageins <= (int)(end.dpi_pages_in - before.dpi_pages_in));
    UT_EQ(end.dpi_refused, 0);
    report->used_at_end = end.dpi_total_space - end.dpi_free_space;
    report->pages = (natural_t)npages;
    exit(0);
}

int
main(void)
{
    mach_port_t self = mach_task_self(), bootstrap;
    vm_address_t page = 0;
    struct ut_child child;
    default_pager_info_t gone;

    ut_stats_begin();
    UT_KR(task_get_bootstrap_port(self, &bootstrap), KERN_SUCCESS);
    UT_KR(bootstrap_look_up(bootstrap, DEFAULT_PAGER_SERVICE, &pager), BOOTSTRAP_SUCCESS);
    UT_KR(mach_port_deallocate(self, bootstrap), KERN_SUCCESS);
    UT_EQ(pager_info().dpi_disk, 1);
    UT_KR(vm_allocate(self, &page, PAGE, TRUE), KERN_SUCCESS);
    UT_KR(vm_inherit(self, page, PAGE, VM_INHERIT_SHARE), KERN_SUCCESS);
    report = (volatile struct report *)page;

    ut_child_start(&child, child_main);
    UT_KR(mach_port_insert_right(child.task, pager, pager, MACH_MSG_TYPE_COPY_SEND), KERN_SUCCESS);
    ut_child_resume(&child);
    UT_EQ(ut_child_join(&child), 0);
    UT_ASSERT(report->pages > 0);

    /* The child's objects die with it and the pager frees their space
     * (terminate is a message: look until it has been handled). */
    for (int tries = 0;; tries++) {
        gone = pager_info();
        if (gone.dpi_total_space - gone.dpi_free_space + report->pages / 2 <= report->used_at_end ||
            tries == 300)
            break;
        ut_sleep_ms(10);
    }
    printf("paging: store pages in use %u before the child's exit, %u after\n", report->used_at_end,
           gone.dpi_total_space - gone.dpi_free_space);
    UT_ASSERT(gone.dpi_total_space - gone.dpi_free_space + report->pages / 2 <=
              report->used_at_end);

    UT_KR(vm_deallocate(self, page, PAGE), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(self, pager), KERN_SUCCESS);
    ut_stats_settle_baseline();
    return ut_pass();
}

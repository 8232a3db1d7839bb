/* SPDX-License-Identifier: MIT
 *
 * Paging through the default pager (kern/vm/README.md, "Paging";
 * default-pager/).  run-bench.py boots this one on a small machine with a
 * disk and the default pager on it (32 MiB of RAM, a 96 MiB disk, module 2
 * `default-pager hd0`), as test/qemu/CMakeLists.txt runs the paging_*
 * tests.  The program allocates twice the machine's RAM of anonymous
 * memory and goes through it page by page, one word a page, in order:
 *
 *   paging_first_touch   for comparison, on the same machine while memory
 *                        is free: one write to a page of fresh memory, the
 *                        zero-fill fault (1024 pages a round, 10 rounds)
 *   paging_write         per page written: the first touch (zero fill) of
 *                        every page of the 2x-RAM region; once RAM is full
 *                        each new page makes the pageout daemon write an
 *                        older one to the default pager, which puts it on
 *                        the disk (device_write)
 *   paging_pageout       the same total less the pages' first-touch share
 *                        (paging_first_touch per page), per page the
 *                        kernel wrote to the pager (vm_statistics'
 *                        pageouts during the pass; the row's iterations)
 *   paging_read          per page read, first pass: each page is brought
 *                        back from the pager (device_read, data_supply);
 *                        the memory it takes comes first from the pages
 *                        still resident after the write pass, which are
 *                        dirty and must go out, then from pages read back,
 *                        which the pager still has (freed, not written)
 *   paging_reread        per page read, second pass: all page-ins, and
 *                        every page evicted for them is clean
 *   paging_pagein        the second pass per page the pager supplied
 *                        (vm_statistics' pageins during it; the iterations)
 *
 * Every instruction executed between the two TSC readings of a pass
 * counts -- the faulting thread, the pageout daemon, the default pager
 * and the disk driver alike -- so the figures are the system's cost of
 * moving a page.  Unlike the other benchmarks', they do not repeat: the
 * disk driver polls for completion (kern/device/virtio_blk.c), and how
 * many instructions it executes before QEMU has done the host's I/O
 * depends on the host (from about 15 000 to nearly a million a request
 * on a busy one).  docs/perf.md gives the part that does repeat.  A line
 * `bench: paging <pass>: ...` gives each pass's vm_statistics and
 * default_pager_info deltas.  Each word read is checked.
 */
#include "bench.h"

#include <mach/host_info.h>
#include <mach/vm_statistics.h>
#include <servers/bootstrap.h>
#include <servers/default_pager.h>

#define PAGE         4096u
#define TOUCH_PAGES  1024u
#define TOUCH_ROUNDS 10
#define PATTERN      0x50414745494e4f55ull /* "PAGEINOU" */
#define WORD(page)   (PATTERN ^ ((uint64_t)(page) << 12))

static mach_port_t pager; /* the default pager's manager port */

/* The counts between two passes, and the TSC on either side of the two
 * calls that read them (so that their cost is in neither pass). */
struct sample {
    uint64_t tsc_before;
    vm_statistics_data_t vm;
    default_pager_info_t dp;
    uint64_t tsc_after;
};

static struct sample
sample(void)
{
    struct sample s;

    s.tsc_before = bench_rdtsc();
    bench_check("vm_statistics", vm_statistics(mach_task_self(), &s.vm));
    bench_check("default_pager_info", default_pager_info(pager, &s.dp));
    s.tsc_after = bench_rdtsc();
    return s;
}

/* Ticks per page of a fresh region's first touch, with memory free. */
static uint64_t
first_touch(void)
{
    uint64_t total = 0, t0;

    for (int r = 0; r < TOUCH_ROUNDS; r++) {
        vm_address_t a = 0;
        bench_check("vm_allocate", vm_allocate(mach_task_self(), &a, TOUCH_PAGES * PAGE, TRUE));
        t0 = bench_rdtsc();
        for (unsigned p = 0; p < TOUCH_PAGES; p++)
            ((volatile char *)a)[p * PAGE] = 1;
        total += bench_rdtsc() - t0;
        bench_check("vm_deallocate", vm_deallocate(mach_task_self(), a, TOUCH_PAGES * PAGE));
    }
    bench_report("paging_first_touch", TOUCH_ROUNDS * TOUCH_PAGES, total);
    return total / (TOUCH_ROUNDS * TOUCH_PAGES);
}

/* Writes word 0 of each of the n pages at base. */
static void
write_pass(vm_address_t base, size_t n)
{
    for (size_t p = 0; p < n; p++)
        ((volatile uint64_t *)base)[p * PAGE / 8] = WORD(p);
}

/* Reads word 0 of each of the n pages at base, in order; checks it. */
static void
read_pass(vm_address_t base, size_t n)
{
    for (size_t p = 0; p < n; p++)
        if (((volatile uint64_t *)base)[p * PAGE / 8] != WORD(p)) {
            printf("bench: paging: page %zu holds the wrong data\n", p);
            exit(1);
        }
}

/* Prints what the pass between a and b moved; returns its ticks. */
static uint64_t
moved(const char *pass, const struct sample *a, const struct sample *b)
{
    printf("bench: paging %s: pageouts %d pageins %d zero_fills %d faults %d reactivations %d; "
           "pager stored %u supplied %u\n",
           pass, b->vm.pageouts - a->vm.pageouts, b->vm.pageins - a->vm.pageins,
           b->vm.zero_fill_count - a->vm.zero_fill_count, b->vm.faults - a->vm.faults,
           b->vm.reactivations - a->vm.reactivations, b->dp.dpi_pages_out - a->dp.dpi_pages_out,
           b->dp.dpi_pages_in - a->dp.dpi_pages_in);
    return b->tsc_before - a->tsc_after;
}

/* The pager's manager port, from the name service; the store must be a
 * disk (a RAM store frees no memory). */
static void
find_pager(void)
{
    mach_port_t bootstrap;
    default_pager_info_t info;

    bench_check("bootstrap port", task_get_bootstrap_port(mach_task_self(), &bootstrap));
    bench_check("look up the default pager",
                bootstrap_look_up(bootstrap, DEFAULT_PAGER_SERVICE, &pager));
    bench_check("deallocate", mach_port_deallocate(mach_task_self(), bootstrap));
    bench_check("default_pager_info", default_pager_info(pager, &info));
    if (!info.dpi_disk) {
        printf("bench: paging: the default pager has no disk\n");
        exit(1);
    }
}

int
main(void)
{
    struct host_basic_info host;
    mach_msg_type_number_t count = HOST_BASIC_INFO_COUNT;
    vm_address_t base = 0;
    struct sample s0, s1, s2, s3;

    find_pager();
    uint64_t touch = first_touch();
    bench_check("host_info",
                host_info(mach_host_self(), HOST_BASIC_INFO, (host_info_t)&host, &count));
    size_t n = 2 * (size_t)host.memory_size / PAGE;
    bench_check("vm_allocate", vm_allocate(mach_task_self(), &base, n * PAGE, TRUE));

    s0 = sample();
    write_pass(base, n);
    s1 = sample();
    read_pass(base, n);
    s2 = sample();
    read_pass(base, n);
    s3 = sample();

    uint64_t write = moved("write", &s0, &s1);
    uint64_t read = moved("read", &s1, &s2);
    uint64_t reread = moved("reread", &s2, &s3);
    unsigned long outs = (unsigned long)(s1.vm.pageouts - s0.vm.pageouts);
    unsigned long ins = (unsigned long)(s3.vm.pageins - s2.vm.pageins);
    if (outs == 0 || ins == 0 || write < n * touch) {
        printf("bench: paging: nothing was paged (%lu pageouts, %lu pageins)\n", outs, ins);
        exit(1);
    }
    bench_report("paging_write", n, write);
    bench_report("paging_pageout", outs, write - n * touch);
    bench_report("paging_read", n, read);
    bench_report("paging_reread", n, reread);
    bench_report("paging_pagein", ins, reread);
    bench_check("vm_deallocate", vm_deallocate(mach_task_self(), base, n * PAGE));
    bench_check("deallocate", mach_port_deallocate(mach_task_self(), pager));
    return 0;
}

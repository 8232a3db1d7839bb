/* SPDX-License-Identifier: MIT
 *
 * Out-of-line transfer cost from 4 KiB to 64 MiB: one operation is a
 * mach_msg(SEND) of one OOL region (MACH_MSG_VIRTUAL_COPY, deallocate
 * FALSE) to a port of this task, the mach_msg(RCV) that maps it into the
 * task at a new address, and the vm_deallocate of that new region -- the
 * whole life of a transfer whose receiver only reads what it needs.  The
 * sender's pages are all resident (touched once, untimed).  Each size
 * prints two lines: per operation, and per page (the same ticks divided by
 * pages sent), which shows the cost growing with pages, not bytes: a
 * virtual copy touches page-table entries and map entries, never the data.
 * 2 KiB is below the physical-copy threshold (IPC_OOL_PHYS_MAX, a page),
 * so its row is the cost of the physical path: a kernel buffer, a new
 * region in the receiver and two memcpys.  The ool_dirty_* rows write
 * every page of the sender's region before each send (untimed), so each
 * send write-protects resident, writable pages again: the cost a sender
 * that refills its buffer pays.
 */
#include "ool.h"

static const struct {
    const char *name;
    vm_size_t size;
    int iterations;
    int dirty; /* the sender writes every page before each send (untimed) */
} sizes[] = {
    {"ool_2k", 2048, 2000, 0},
    {"ool_4k", 4096, 2000, 0},
    {"ool_8k", 8192, 2000, 0},
    {"ool_64k", 65536, 1000, 0},
    {"ool_1m", 1024 * 1024, 200, 0},
    {"ool_16m", 16 * 1024 * 1024, 40, 0},
    {"ool_64m", 64 * 1024 * 1024, 10, 0},
    {"ool_dirty_64k", 65536, 200, 1},
    {"ool_dirty_1m", 1024 * 1024, 40, 1},
    {"ool_dirty_16m", 16 * 1024 * 1024, 5, 1},
};

static void
transfer(mach_port_t port, vm_address_t region, vm_size_t size)
{
    vm_address_t copy = bench_ool_round_trip(port, region, size);

    bench_check("deallocate", vm_deallocate(mach_task_self(), copy, size));
}

static void
touch(vm_address_t region, vm_size_t size, char value)
{
    for (vm_size_t off = 0; off < size; off += 4096)
        ((volatile char *)region)[off] = value;
}

static void
run(mach_port_t port, const char *name, vm_size_t size, int iterations, int dirty)
{
    vm_address_t region = 0;
    uint64_t t0, total = 0;
    char per_page[48];
    int warmup = iterations < BENCH_WARMUP ? iterations : BENCH_WARMUP;

    bench_check("vm_allocate", vm_allocate(mach_task_self(), &region, size, TRUE));
    touch(region, size, 1);
    for (int i = 0; i < warmup; i++)
        transfer(port, region, size);
    for (int i = 0; i < iterations; i++) {
        if (dirty)
            touch(region, size, (char)i);
        t0 = bench_rdtsc();
        transfer(port, region, size);
        total += bench_rdtsc() - t0;
    }
    bench_report(name, (unsigned long)iterations, total);
    snprintf(per_page, sizeof(per_page), "%s_per_page", name);
    bench_report(per_page, (unsigned long)iterations * ((size + 4095) / 4096), total);
    bench_check("vm_deallocate", vm_deallocate(mach_task_self(), region, size));
}

int
main(void)
{
    mach_port_t self = mach_task_self(), port;

    bench_check("allocate", mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &port));
    for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        run(port, sizes[i].name, sizes[i].size, sizes[i].iterations, sizes[i].dirty);
    (void)mach_port_mod_refs(self, port, MACH_PORT_RIGHT_RECEIVE, -1);
    return 0;
}

// SPDX-License-Identifier: MIT
//
// Four threads drive hd0 at once, each over its own 64-record range:
// every round writes its range with a new pattern (in pieces of 1..16
// records), reads it back, and checks it, while the others do the same.
// The driver serializes the requests (one in flight); no request may see
// or damage another's data.  A final pass checks every range and that
// the records between the ranges still hold the harness's pattern.
#include "ut_device.h"
#include <quay/threads.h>

#define NTHREADS 4
#define RANGE    64 // records per thread
#define ROUNDS   6
#define GAP      8 // untouched records between ranges

static mach_port_t disk;

static uint32_t
range_start(int t)
{
    return 1024 + (uint32_t)t * (RANGE + GAP);
}

static uint32_t
seed_of(int t, int round)
{
    return 10 + (uint32_t)t * ROUNDS + (uint32_t)round;
}

static void *
worker(void *arg)
{
    int t = (int)(intptr_t)arg;
    uint32_t first = range_start(t);

    for (int round = 0; round < ROUNDS; round++) {
        uint32_t piece = 1 + (uint32_t)((t + round) % 16);

        for (uint32_t r = 0; r < RANGE; r += piece) {
            uint32_t n = RANGE - r < piece ? RANGE - r : piece;
            ut_write_records(disk, seed_of(t, round), first + r, n);
        }
        ut_read_expect(disk, seed_of(t, round), first, RANGE);
    }
    return NULL;
}

int
main(void)
{
    quay_thread_t threads[NTHREADS];
    mach_port_t master;

    master = ut_device_master();
    disk = ut_device_open(master, "hd0");
    ut_stats_begin();

    for (int t = 0; t < NTHREADS; t++)
        UT_KR(quay_thread_create(worker, (void *)(intptr_t)t, &threads[t]), KERN_SUCCESS);
    for (int t = 0; t < NTHREADS; t++)
        UT_KR(quay_thread_join(threads[t], NULL), KERN_SUCCESS);

    for (int t = 0; t < NTHREADS; t++) {
        ut_read_expect(disk, seed_of(t, ROUNDS - 1), range_start(t), RANGE);
        ut_read_expect(disk, 0, range_start(t) + RANGE, GAP);
    }
    ut_read_expect(disk, 0, range_start(0) - GAP, GAP);
    ut_stats_expect_baseline();
    ut_device_close(disk);
    UT_KR(mach_port_deallocate(mach_task_self(), master), KERN_SUCCESS);
    return ut_pass();
}

// SPDX-License-Identifier: MIT
//
// Four threads drive hd0 at once, each over its own 64-record range:
// every round writes its range with a new pattern (in pieces of 1..16
// records), reads it back, and checks it, while the others do the same.
// The driver serializes the requests (one in flight, handed to waiting
// threads in arrival order, kern/device/virtio_blk.c); no request may see
// or damage another's data.  A final pass checks every range and that the
// records between the ranges still hold the harness's pattern.
//
// That the threads really took turns in the driver is checked, not
// assumed (ut_device.h, "Taking turns").  (Before the driver handed the
// disk to the longest waiter, the rounds ran one thread after the other.)
#include "ut_device.h"
#include <quay/threads.h>

#define NTHREADS 4
#define ROUNDS   6

_Static_assert(NTHREADS <= UT_TURNS_MAX, "one ut_turns slot per thread");

static mach_port_t disk;
static struct ut_turns turns = {.n = NTHREADS};

static uint32_t
seed_of(int t, int round)
{
    return 10 + (uint32_t)t * ROUNDS + (uint32_t)round;
}

static void *
worker(void *arg)
{
    int t = (int)(intptr_t)arg;

    for (int round = 0; round < ROUNDS; round++)
        ut_turns_round(&turns, t, disk, 1 + (uint32_t)((t + round) % 16), seed_of(t, round));
    return NULL;
}

// The threads took turns in the driver (ut_turns_expect_took_turns).
// (With the hand-off the threads go round robin, one call each; the
// threads with fewer calls finish first, so the last one's final calls
// are alone: thread 0 makes the most, 164, 110 of them interleaved.)
static void
check_concurrency(void)
{
    char who[16];

    for (int t = 0; t < NTHREADS; t++) {
        snprintf(who, sizeof(who), "thread %d", t);
        ut_turns_expect_took_turns(&turns, t, who, ROUNDS);
    }
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
    check_concurrency();

    for (int t = 0; t < NTHREADS; t++)
        ut_turns_expect_range(disk, t, seed_of(t, ROUNDS - 1));
    ut_read_expect(disk, 0, ut_turns_first(NTHREADS - 1) + UT_TURNS_RANGE, UT_TURNS_GAP);
    ut_stats_expect_baseline();
    ut_device_close(disk);
    UT_KR(mach_port_deallocate(mach_task_self(), master), KERN_SUCCESS);
    return ut_pass();
}

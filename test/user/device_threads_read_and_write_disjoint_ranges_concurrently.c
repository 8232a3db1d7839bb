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
// assumed.  Each marks itself inside a device call around every call and
// counts the calls it began while another thread was inside one; but a
// thread asleep in the driver for the whole run is "inside a call" too, so
// each also counts the calls during which another thread finished a call
// -- that is what shows the requests interleaving -- and the rounds during
// which another thread finished a round.  (Before the driver handed the
// disk to the longest waiter, the rounds ran one thread after the other.)
#include "ut_device.h"
#include <quay/threads.h>

#define NTHREADS 4
#define RANGE    64 // records per thread
#define ROUNDS   6
#define GAP      8 // untouched records between ranges

static mach_port_t disk;

// Each thread writes only its own slots; the others read in_call, finished
// and rounds.
static uint32_t in_call[NTHREADS];     // thread t is inside a device call
static uint32_t calls[NTHREADS];       // device calls thread t has begun
static uint32_t finished[NTHREADS];    // device calls thread t has finished
static uint32_t overlaps[NTHREADS];    // calls of t begun while another was inside one
static uint32_t interleaved[NTHREADS]; // calls of t during which another finished one
static uint32_t rounds[NTHREADS];      // rounds thread t has finished
static uint32_t mixed[NTHREADS];       // rounds of t during which another finished one
static uint32_t others_then[NTHREADS]; // others' finished calls when t's call began

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

// The sum of COUNT[u] over the threads u other than T.
static uint32_t
others(const uint32_t *count, int t)
{
    uint32_t n = 0;

    for (int u = 0; u < NTHREADS; u++)
        if (u != t)
            n += __atomic_load_n(&count[u], __ATOMIC_SEQ_CST);
    return n;
}

// Marks thread T inside a device call; counts an overlap if another is too.
static void
call_begin(int t)
{
    calls[t]++;
    __atomic_store_n(&in_call[t], 1, __ATOMIC_SEQ_CST);
    others_then[t] = others(finished, t);
    for (int u = 0; u < NTHREADS; u++) {
        if (u != t && __atomic_load_n(&in_call[u], __ATOMIC_SEQ_CST)) {
            overlaps[t]++;
            break;
        }
    }
}

// Marks thread T out of its call; counts it interleaved if another thread
// finished a call meanwhile.
static void
call_end(int t)
{
    if (others(finished, t) != others_then[t])
        interleaved[t]++;
    __atomic_add_fetch(&finished[t], 1, __ATOMIC_SEQ_CST);
    __atomic_store_n(&in_call[t], 0, __ATOMIC_SEQ_CST);
}

static void *
worker(void *arg)
{
    int t = (int)(intptr_t)arg;
    uint32_t first = range_start(t);

    for (int round = 0; round < ROUNDS; round++) {
        uint32_t piece = 1 + (uint32_t)((t + round) % 16), before = others(rounds, t);

        for (uint32_t r = 0; r < RANGE; r += piece) {
            uint32_t n = RANGE - r < piece ? RANGE - r : piece;
            call_begin(t);
            ut_write_records(disk, seed_of(t, round), first + r, n);
            call_end(t);
        }
        call_begin(t);
        ut_read_expect(disk, seed_of(t, round), first, RANGE);
        call_end(t);
        if (others(rounds, t) != before)
            mixed[t]++;
        __atomic_add_fetch(&rounds[t], 1, __ATOMIC_SEQ_CST);
    }
    return NULL;
}

// The threads took turns in the driver: at least half of each one's calls
// began while another was inside a call and saw another finish a call
// before it ended, and each had a round during which another thread
// finished one.  (With the hand-off the threads go round robin, one call
// each; the threads with fewer calls finish first, so the last one's final
// calls are alone: thread 0 makes the most, 164, 110 of them interleaved.)
static void
check_concurrency(void)
{
    for (int t = 0; t < NTHREADS; t++) {
        printf("thread %d: calls %u, overlapping %u, interleaved %u, mixed rounds %u\n", t,
               calls[t], overlaps[t], interleaved[t], mixed[t]);
        UT_EQ(rounds[t], ROUNDS);
        if (2 * overlaps[t] < calls[t] || 2 * interleaved[t] < calls[t] || mixed[t] == 0)
            UT_FAIL("too little concurrency: thread %d: calls %u, overlapping %u, interleaved %u, "
                    "mixed rounds %u",
                    t, calls[t], overlaps[t], interleaved[t], mixed[t]);
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

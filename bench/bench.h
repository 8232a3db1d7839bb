/* SPDX-License-Identifier: MIT
 *
 * Shared by the benchmarks in bench/: the time stamp counter and the one
 * result line each benchmark prints, which bench/run-bench.py reads:
 *
 *     bench: <name> iterations=<n> ticks=<total> per_op=<ticks/op, 2 decimals>
 *
 * Ticks are rdtsc ticks.  Under `-icount shift=0` (./quay bench) QEMU's
 * TSC is its virtual clock, which then advances by one per guest
 * instruction executed (user and kernel alike), so ticks are instructions;
 * without icount they are whatever the host's TSC says (noisy under TCG).
 * See docs/perf.md.
 */
#ifndef BENCH_H
#define BENCH_H

#include <mach.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define BENCH_WARMUP 200 /* untimed iterations first: caches, lazily made ports */

/* The TSC; lfence keeps earlier instructions from drifting past it. */
static inline uint64_t
bench_rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
    return ((uint64_t)hi << 32) | lo;
}

/* Prints the result line for `iterations` operations that took `ticks`. */
static inline void
bench_report(const char *name, unsigned long iterations, uint64_t ticks)
{
    unsigned long hundredths = (unsigned long)(ticks * 100 / iterations);

    printf("bench: %s iterations=%lu ticks=%lu per_op=%lu.%02lu\n", name, iterations,
           (unsigned long)ticks, hundredths / 100, hundredths % 100);
}

/* Ends the benchmark task when a call it measures fails. */
static inline void
bench_check(const char *what, kern_return_t kr)
{
    if (kr != KERN_SUCCESS) {
        printf("bench: %s failed: %#x\n", what, kr);
        exit(1);
    }
}

#endif

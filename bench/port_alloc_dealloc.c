/* SPDX-License-Identifier: MIT
 *
 * Port allocate + deallocate: mach_port_allocate(RECEIVE) and
 * mach_port_mod_refs(RECEIVE, -1) on the task's own space -- two kernel
 * RPCs (mig stubs to the task port, served inside mach_msg) per operation.
 */
#include "bench.h"

#define ITERATIONS 10000

static void
alloc_dealloc(mach_port_t self)
{
    mach_port_t port;

    bench_check("allocate", mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &port));
    bench_check("mod_refs", mach_port_mod_refs(self, port, MACH_PORT_RIGHT_RECEIVE, -1));
}

int
main(void)
{
    mach_port_t self = mach_task_self();
    uint64_t t0, t1;

    for (int i = 0; i < BENCH_WARMUP; i++)
        alloc_dealloc(self);
    t0 = bench_rdtsc();
    for (int i = 0; i < ITERATIONS; i++)
        alloc_dealloc(self);
    t1 = bench_rdtsc();
    bench_report("port_allocate_deallocate", ITERATIONS, t1 - t0);
    return 0;
}

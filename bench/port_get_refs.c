/* SPDX-License-Identifier: MIT
 *
 * A kernel RPC: mach_port_get_refs(task, name, SEND, &refs) -- the mig
 * request to the task's kernel port, served by the kernel inside
 * mach_msg (ipc_kobject_server), and the reply on the thread's mig reply
 * port.  The fast path never hands to a kernel port, so this measures its
 * fall-back check on the way to the kernel server.
 */
#include "bench.h"

#define ITERATIONS 20000

int
main(void)
{
    mach_port_t self = mach_task_self(), port;
    mach_port_urefs_t refs = 0;
    uint64_t t0, t1;

    bench_check("allocate", mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &port));
    bench_check("insert_right", mach_port_insert_right(self, port, port, MACH_MSG_TYPE_MAKE_SEND));
    for (int i = 0; i < BENCH_WARMUP; i++)
        bench_check("get_refs", mach_port_get_refs(self, port, MACH_PORT_RIGHT_SEND, &refs));
    t0 = bench_rdtsc();
    for (int i = 0; i < ITERATIONS; i++)
        bench_check("get_refs", mach_port_get_refs(self, port, MACH_PORT_RIGHT_SEND, &refs));
    t1 = bench_rdtsc();
    if (refs != 1)
        bench_check("refs", KERN_FAILURE);
    bench_report("mach_port_get_refs", ITERATIONS, t1 - t0);
    (void)mach_port_mod_refs(self, port, MACH_PORT_RIGHT_RECEIVE, -1);
    (void)mach_port_deallocate(self, port);
    return 0;
}

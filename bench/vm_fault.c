/* SPDX-License-Identifier: MIT
 *
 * Page faults and address-space copies:
 *
 *   first_touch_fault    one write to a page of fresh vm_allocate'd memory:
 *                        the zero-fill fault (a page allocated and zeroed,
 *                        entered in the pmap) plus the write; 1024 pages a
 *                        round, the vm_allocate/vm_deallocate untimed
 *   cow_fault            one write to a resident page that an out-of-line
 *                        virtual copy shares with a received region: the
 *                        copy-on-write fault (a shadow page allocated and
 *                        copied, entered writable); 1024 pages a round
 *   task_create_16m      task_create(self, inherit_memory = TRUE) of this
 *                        task with a 16 MiB region resident on top of its
 *                        program: the map forked copy-on-write (no page
 *                        copied); the child's task_terminate is untimed
 *   task_create_empty    task_create(self, FALSE): the same call without
 *                        the address-space copy, for comparison
 */
#include "ool.h"

#define PAGE              4096u
#define ROUND_PAGES       1024u
#define FAULT_ROUNDS      10
#define CREATE_ITERATIONS 50
#define INHERITED         (16u * 1024 * 1024)

static void
first_touch(void)
{
    uint64_t total = 0, t0;

    for (int r = 0; r < FAULT_ROUNDS; r++) {
        vm_address_t a = 0;
        bench_check("vm_allocate", vm_allocate(mach_task_self(), &a, ROUND_PAGES * PAGE, TRUE));
        t0 = bench_rdtsc();
        for (unsigned p = 0; p < ROUND_PAGES; p++)
            ((volatile char *)a)[p * PAGE] = 1;
        total += bench_rdtsc() - t0;
        bench_check("vm_deallocate", vm_deallocate(mach_task_self(), a, ROUND_PAGES * PAGE));
    }
    bench_report("first_touch_fault", FAULT_ROUNDS * ROUND_PAGES, total);
}

static void
cow(mach_port_t port)
{
    uint64_t total = 0, t0;
    vm_size_t size = ROUND_PAGES * PAGE;

    for (int r = 0; r < FAULT_ROUNDS; r++) {
        vm_address_t a = 0, b;
        bench_check("vm_allocate", vm_allocate(mach_task_self(), &a, size, TRUE));
        for (unsigned p = 0; p < ROUND_PAGES; p++)
            ((volatile char *)a)[p * PAGE] = 1;
        b = bench_ool_round_trip(port, a, size);
        t0 = bench_rdtsc();
        for (unsigned p = 0; p < ROUND_PAGES; p++)
            ((volatile char *)a)[p * PAGE] = 2;
        total += bench_rdtsc() - t0;
        if (((volatile char *)b)[0] != 1) {
            printf("bench: cow_fault: the copy saw the write\n");
            exit(1);
        }
        bench_check("vm_deallocate", vm_deallocate(mach_task_self(), b, size));
        bench_check("vm_deallocate", vm_deallocate(mach_task_self(), a, size));
    }
    bench_report("cow_fault", FAULT_ROUNDS * ROUND_PAGES, total);
}

static void
create(const char *name, boolean_t inherit)
{
    uint64_t total = 0, t0;

    for (int i = 0; i < CREATE_ITERATIONS; i++) {
        task_t child;
        t0 = bench_rdtsc();
        bench_check("task_create", task_create(mach_task_self(), inherit, &child));
        total += bench_rdtsc() - t0;
        bench_check("task_terminate", task_terminate(child));
        bench_check("mach_port_deallocate", mach_port_deallocate(mach_task_self(), child));
    }
    bench_report(name, CREATE_ITERATIONS, total);
}

int
main(void)
{
    mach_port_t self = mach_task_self(), port;
    vm_address_t big = 0;

    bench_check("allocate", mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &port));
    first_touch();
    cow(port);
    bench_check("vm_allocate", vm_allocate(self, &big, INHERITED, TRUE));
    for (vm_size_t off = 0; off < INHERITED; off += PAGE)
        ((volatile char *)big)[off] = 1;
    create("task_create_16m", TRUE);
    create("task_create_empty", FALSE);
    bench_check("vm_deallocate", vm_deallocate(self, big, INHERITED));
    (void)mach_port_mod_refs(self, port, MACH_PORT_RIGHT_RECEIVE, -1);
    return 0;
}

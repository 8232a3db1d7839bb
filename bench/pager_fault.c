/* SPDX-License-Identifier: MIT
 *
 * A page fault served by a user-level pager (memory_object.defs,
 * docs/tutorial-pager.md).  A thread of this task is the pager of a memory
 * object; the main thread vm_maps 256 pages of it (copy FALSE, read-only)
 * and reads one byte of each page once, each read a first touch:
 *
 *   pager_fault           the read of a page that is not resident: the
 *                         fault, the kernel's memory_object_data_request
 *                         to the pager, the pager's memory_object_data_supply
 *                         of that one page from a one-page region of its
 *                         own, the page entered and the read completed;
 *                         256 pages a round, a fresh window of the object
 *                         each round (vm_map and vm_deallocate untimed)
 *   pager_fault_bss_buffer  the same, the pager supplying from a page of
 *                         the program's .bss instead (a static buffer)
 *
 * and the legs pager_fault is made of, one after the other (they add up
 * to it):
 *
 *   pager_fault_request   from the read to the pager's data_request handler:
 *                         trap, the busy placeholder, the kernel's message,
 *                         the pager thread woken, its receive, mig's demux
 *   pager_fault_fill      the handler writes the page it will supply (one
 *                         word: its offset); a plain store, since the
 *                         kernel reads a page sent to a kernel object in
 *                         at once (ipc_kmsg_copyin.c) and leaves the
 *                         buffer writable; a virtual copy would leave it
 *                         copy-on-write, and this would be a write fault
 *   pager_fault_supply    the data_supply call: the mig stub, the page
 *                         carried out of line (read into a kernel buffer
 *                         at the send), the kernel filling the placeholder
 *                         and waking the fault
 *   pager_fault_release   mach_port_deallocate of the control port's send
 *                         right that came with the request (a kernel RPC)
 *   pager_fault_resume    from there to the end of the read: the pager back
 *                         into its receive, the switch to the faulting
 *                         thread, the page entered, the return
 *
 * The anonymous first touch it compares with is vm_fault.c's
 * first_touch_fault.
 */
#include "bench.h"

#include <quay/threads.h>

#include "memory_objectServer.h"   /* generated: memory_object_server() */
#include "memory_object_control.h" /* generated: memory_object_data_supply() */

#define PAGE         4096u
#define ROUND_PAGES  256u
#define FAULT_ROUNDS 10
#define PATTERN      0x5155415900000000ull /* "QUAY": word 0 of a page is its offset + this */

static mach_port_t mo;         /* the memory object: receive and send right */
static volatile uint64_t *src; /* the page the pager supplies from */
static uint64_t bss_page[PAGE / 8] __attribute__((aligned(PAGE)));

/* Written by the pager thread, read by the main thread between rounds. */
static volatile uint32_t terminates, requests, unexpected;

/* TSC readings per page of a round: the client's before and after its
 * read, the pager's on entry to the handler, after filling the page, after
 * data_supply and after releasing the control right. */
static uint64_t t_touch[ROUND_PAGES], t_done[ROUND_PAGES];
static uint64_t t_handler[ROUND_PAGES], t_filled[ROUND_PAGES], t_supplied[ROUND_PAGES],
    t_released[ROUND_PAGES];

/* Ends the benchmark when a pager-side check fails. */
static void
pager_check(const char *what, int ok)
{
    if (!ok) {
        printf("bench: pager_fault: %s\n", what);
        exit(1);
    }
}

kern_return_t
memory_object_init(mach_port_t memory_object, mach_port_t memory_control, vm_size_t page_size)
{
    pager_check("init of another object", memory_object == mo);
    pager_check("page size", page_size == PAGE);
    bench_check("deallocate control", mach_port_deallocate(mach_task_self(), memory_control));
    return KERN_SUCCESS;
}

kern_return_t
memory_object_terminate(mach_port_t memory_object, mach_port_t memory_control)
{
    pager_check("terminate of another object", memory_object == mo);
    if (memory_control != MACH_PORT_DEAD)
        bench_check("deallocate control", mach_port_deallocate(mach_task_self(), memory_control));
    terminates++;
    return KERN_SUCCESS;
}

/* The measured handler: one page, supplied from src with its offset in
 * word 0, answered with the control right that came with the request. */
kern_return_t
memory_object_data_request(mach_port_t memory_object, mach_port_t memory_control,
                           vm_offset_t offset, vm_size_t length, vm_prot_t desired_access)
{
    uint32_t slot = (uint32_t)(offset / PAGE % ROUND_PAGES);

    t_handler[slot] = bench_rdtsc();
    (void)desired_access;
    pager_check("request of another object", memory_object == mo);
    pager_check("request of more than a page", length == PAGE && offset % PAGE == 0);
    src[0] = offset + PATTERN;
    t_filled[slot] = bench_rdtsc();
    bench_check("data_supply",
                memory_object_data_supply(memory_control, offset, (vm_offset_t)src, PAGE,
                                          VM_PROT_NONE, FALSE, MACH_PORT_NULL));
    t_supplied[slot] = bench_rdtsc();
    bench_check("deallocate control", mach_port_deallocate(mach_task_self(), memory_control));
    t_released[slot] = bench_rdtsc();
    requests++;
    return KERN_SUCCESS;
}

/* Not sent for a read-only mapping that is only read: counted, refused. */
kern_return_t
memory_object_data_unlock(mach_port_t o, mach_port_t c, vm_offset_t off, vm_size_t len, vm_prot_t a)
{
    (void)o, (void)c, (void)off, (void)len, (void)a;
    unexpected++;
    return KERN_FAILURE;
}

kern_return_t
memory_object_lock_completed(mach_port_t o, mach_port_t c, vm_offset_t off, vm_size_t len)
{
    (void)o, (void)c, (void)off, (void)len;
    unexpected++;
    return KERN_FAILURE;
}

kern_return_t
memory_object_supply_completed(mach_port_t o, mach_port_t c, vm_offset_t off, vm_size_t len,
                               kern_return_t result, vm_offset_t error_offset)
{
    (void)o, (void)c, (void)off, (void)len, (void)result, (void)error_offset;
    unexpected++;
    return KERN_FAILURE;
}

kern_return_t
memory_object_data_return(mach_port_t o, mach_port_t c, vm_offset_t off, vm_offset_t data,
                          mach_msg_type_number_t dataCnt, boolean_t dirty, boolean_t kernel_copy)
{
    (void)o, (void)c, (void)off, (void)data, (void)dataCnt, (void)dirty, (void)kernel_copy;
    unexpected++;
    return KERN_FAILURE;
}

kern_return_t
memory_object_change_completed(mach_port_t o, boolean_t may_cache, int strategy)
{
    (void)o, (void)may_cache, (void)strategy;
    unexpected++;
    return KERN_FAILURE;
}

/* The pager: serves the object until it has been terminated `arg` times
 * (once per mapping). */
static void *
pager_main(void *arg)
{
    uint32_t mappings = (uint32_t)(uintptr_t)arg;

    while (terminates < mappings)
        bench_check("pager receive", mach_msg_server_once(memory_object_server,
                                                          memory_object_max_request_size, mo, 0));
    return NULL;
}

struct legs {
    uint64_t total, request, fill, supply, release, resume;
};

/* Adds the round's readings to `sum`.  Called once the pager has handled
 * the round's terminate, so every reading of the round is written (the
 * pager may be preempted between a supply and its next reading, and the
 * faulting thread then reads ahead).  Legs are differences of readings
 * in the order taken, so they add up to the total. */
static void
add_legs(struct legs *sum)
{
    for (uint32_t p = 0; p < ROUND_PAGES; p++) {
        sum->total += t_done[p] - t_touch[p];
        sum->request += t_handler[p] - t_touch[p];
        sum->fill += t_filled[p] - t_handler[p];
        sum->supply += t_supplied[p] - t_filled[p];
        sum->release += t_released[p] - t_supplied[p];
        sum->resume += t_done[p] - t_released[p];
    }
}

/* Round r: maps ROUND_PAGES pages of the object from page r * ROUND_PAGES
 * and reads each once, timing each read; checks the data; unmaps them and
 * waits for the pager to hear terminate. */
static void
round_of_faults(uint32_t r)
{
    uint32_t first = r * ROUND_PAGES, before = requests;
    vm_address_t a = 0;

    bench_check("vm_map", vm_map(mach_task_self(), &a, ROUND_PAGES * PAGE, 0, TRUE, mo,
                                 (vm_offset_t)first * PAGE, FALSE, VM_PROT_READ, VM_PROT_READ,
                                 VM_INHERIT_NONE));
    for (uint32_t p = 0; p < ROUND_PAGES; p++) {
        t_touch[p] = bench_rdtsc();
        (void)((volatile char *)a)[p * PAGE + 8];
        t_done[p] = bench_rdtsc();
    }
    for (uint32_t p = 0; p < ROUND_PAGES; p++)
        if (((volatile uint64_t *)a)[p * PAGE / 8] != (first + p) * (uint64_t)PAGE + PATTERN) {
            printf("bench: pager_fault: page %u holds the wrong data\n", first + p);
            exit(1);
        }
    bench_check("vm_deallocate", vm_deallocate(mach_task_self(), a, ROUND_PAGES * PAGE));
    for (long spins = 0; terminates <= r; spins++) {
        pager_check("no terminate after the mapping went", spins < 1000000);
        (void)swtch();
    }
    pager_check("not one request per page", requests - before == ROUND_PAGES);
}

/* Runs `rounds` rounds (the first `warmup` untimed) from round *next on,
 * the pager supplying from `buffer`; returns the sums. */
static struct legs
run_rounds(uint32_t *next, uint32_t warmup, uint32_t rounds, volatile uint64_t *buffer)
{
    struct legs sum = {0, 0, 0, 0, 0, 0};

    src = buffer;
    for (uint32_t i = 0; i < rounds; i++, (*next)++) {
        round_of_faults(*next);
        if (i >= warmup)
            add_legs(&sum);
    }
    return sum;
}

int
main(void)
{
    mach_port_t self = mach_task_self();
    uint32_t warmup = (BENCH_WARMUP + ROUND_PAGES - 1) / ROUND_PAGES, next = 0;
    unsigned long n = FAULT_ROUNDS * ROUND_PAGES;
    vm_address_t own = 0;
    quay_thread_t pager;
    struct legs sum;

    bench_check("allocate", mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &mo));
    bench_check("make send", mach_port_insert_right(self, mo, mo, MACH_MSG_TYPE_MAKE_SEND));
    bench_check(
        "pager thread",
        quay_thread_create(pager_main, (void *)(uintptr_t)(2 * (warmup + FAULT_ROUNDS)), &pager));

    /* The pager supplies from a page-sized region of its own.  Its own
     * inheritance keeps vm_allocate from merging it into a neighbouring
     * region: were the page sent by virtual copy, the whole region it is
     * in would be write-protected (compare pager_fault_bss_buffer). */
    bench_check("vm_allocate", vm_allocate(self, &own, PAGE, TRUE));
    bench_check("vm_inherit", vm_inherit(self, own, PAGE, VM_INHERIT_NONE));
    sum = run_rounds(&next, warmup, warmup + FAULT_ROUNDS, (volatile uint64_t *)own);
    bench_report("pager_fault", n, sum.total);
    bench_report("pager_fault_request", n, sum.request);
    bench_report("pager_fault_fill", n, sum.fill);
    bench_report("pager_fault_supply", n, sum.supply);
    bench_report("pager_fault_release", n, sum.release);
    bench_report("pager_fault_resume", n, sum.resume);

    /* The same with a page of the program's .bss, as a pager that keeps
     * its buffer in a static array does (the tutorial's). */
    sum = run_rounds(&next, warmup, warmup + FAULT_ROUNDS, bss_page);
    bench_report("pager_fault_bss_buffer", n, sum.total);

    bench_check("pager join", quay_thread_join(pager, NULL));
    pager_check("unexpected pager messages", unexpected == 0);
    bench_check("vm_deallocate", vm_deallocate(self, own, PAGE));
    bench_check("deallocate", mach_port_mod_refs(self, mo, MACH_PORT_RIGHT_RECEIVE, -1));
    bench_check("deallocate", mach_port_deallocate(self, mo));
    return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * A pager that dies while a client faults on its object.  The pager
 * thread serves page 0 (a pattern); when the request for page 1 comes, it
 * waits a little (so the client is asleep on the busy page) and destroys
 * its receive right without answering.  The kernel, which asked for a
 * dead-name notification on the memory object port when it made the
 * object, then fails
 *
 *   the waiting fault on page 1, and
 *   a later fault on page 2 (no request is sent: nobody would answer)
 *
 * with EXC_BAD_ACCESS, code KERN_MEMORY_FAILURE and the address; a handler
 * thread maps anonymous memory there and the reads resume and see zeroes.
 * Page 0, resident, still reads its pattern.  Unmapping terminates the
 * object; nothing leaks.
 */
#define UT_PAGER_DEFINES_INIT
#define UT_PAGER_DEFINES_TERMINATE
#include "ut_pager.h"

#define PAGE    UT_PAGER_PAGE
#define NPAGES  3
#define PATTERN UT_PAGER_PATTERN

static volatile uint32_t requests, destroyed;
static vm_address_t base;
static volatile vm_address_t expect_addr; /* the address the next exception names */

kern_return_t
memory_object_init(mach_port_t memory_object, mach_port_t memory_control, vm_size_t page_size)
{
    UT_EQ(memory_object, ut_pager_object);
    UT_EQ(page_size, PAGE);
    ut_pager_drop_right(memory_control);
    ut_pager_inits++;
    return KERN_SUCCESS;
}

/* Never reaches the pager: it is dead when the mapping goes. */
kern_return_t
memory_object_terminate(mach_port_t memory_object, mach_port_t memory_control)
{
    (void)memory_object, (void)memory_control;
    UT_FAIL("unexpected terminate");
}

kern_return_t
memory_object_data_request(mach_port_t memory_object, mach_port_t memory_control,
                           vm_offset_t offset, vm_size_t length, vm_prot_t desired_access)
{
    (void)desired_access;
    UT_EQ(memory_object, ut_pager_object);
    UT_EQ(length, PAGE);
    requests++;
    if (offset == 0) {
        ut_pager_supply_pattern(memory_control, 0);
    } else {
        UT_EQ(offset, PAGE);
        ut_sleep_ms(50); /* let the client go to sleep on the busy page */
        UT_KR(mach_port_mod_refs(mach_task_self(), ut_pager_object, MACH_PORT_RIGHT_RECEIVE, -1),
              KERN_SUCCESS);
        destroyed = 1;
    }
    ut_pager_drop_right(memory_control);
    return KERN_SUCCESS;
}

/* A memory failure: anonymous memory replaces the page. */
static kern_return_t
ut_exc_handle(const struct ut_exc_seen *e)
{
    return ut_pager_exc_replace_page(e, KERN_MEMORY_FAILURE, expect_addr);
}

int
main(void)
{
    struct ut_exc_server srv;
    quay_thread_t pager;
    const volatile uint64_t *w;

    ut_stats_begin();
    ut_pager_start(&pager, &destroyed); /* serves until it has destroyed its receive right */
    base = ut_pager_map(NPAGES * PAGE, VM_PROT_READ);
    w = (const volatile uint64_t *)base;
    UT_EQ(w[5], PATTERN + 40);

    ut_pager_catch_begin(&srv, 2);
    expect_addr = base + PAGE + 24;
    UT_EQ(w[PAGE / 8 + 3], 0); /* waits, the pager dies, exception, zeroes */
    UT_KR(quay_thread_join(pager, NULL), KERN_SUCCESS);
    UT_EQ(destroyed, 1);
    expect_addr = base + 2 * PAGE + 8;
    UT_EQ(w[2 * PAGE / 8 + 1], 0); /* a later fault: no request, exception */
    ut_pager_catch_end(&srv);
    UT_EQ(ut_exc_count, 2);
    UT_EQ(w[7], PATTERN + 56); /* resident pages stay */
    UT_EQ(ut_pager_inits, 1);
    UT_EQ(requests, 2);

    UT_KR(vm_deallocate(mach_task_self(), base, NPAGES * PAGE), KERN_SUCCESS);
    ut_pager_drop_right(ut_pager_object); /* a dead name now */
    ut_stats_settle_baseline();
    return ut_pass();
}

/* SPDX-License-Identifier: MIT */
/*
 * The object-level calls of the control interface, with a pager thread and
 * its client in one task:
 *
 *   get_attributes   before ready: not ready, no caching, COPY_DELAY;
 *                    afterwards what ready / change_attributes set
 *   ready            sets may_cache and the copy strategy
 *   change_attributes  the same, then change_completed(may_cache,
 *                    strategy) to its reply port (none without one)
 *   bad strategies   (7, -1) change nothing and answer nothing
 *   destroy          the pager gives the object up while a fault waits
 *                    for it (the pager calls it instead of answering the
 *                    fault's data_request): the waiting fault and every
 *                    later one -- on resident pages too (a clean one, a
 *                    dirty one, a precious one, a zero-filled one: all
 *                    dropped, none returned) and on pages never touched --
 *                    raise EXC_BAD_ACCESS with KERN_MEMORY_FAILURE and the
 *                    address, and no request reaches the pager.  A handler
 *                    thread maps anonymous memory there and the access
 *                    resumes.  A data_supply after destroy is ignored (no
 *                    page, no supply_completed).  terminate still comes
 *                    when the last of the mapping goes, and the control
 *                    port is dead after it.
 *
 * Nothing leaks.
 */
#define UT_PAGER_DEFINES_CHANGE_COMPLETED
#include "ut_pager.h"

#define PAGE         UT_PAGER_PAGE
#define NPAGES       8 /* page 7 is never touched: the mapping keeps a piece */
#define DESTROY_PAGE 4 /* its data_request is answered with memory_object_destroy */
#define PATTERN      UT_PAGER_PATTERN

static mach_port_t reply; /* change_attributes' reply port */
static vm_address_t base;

/* What the pager saw (written by the pager and exception threads). */
static volatile uint32_t destroyed;
static volatile uint32_t requests[NPAGES];
static volatile uint32_t changes;
static volatile mach_port_t change_port;
static volatile boolean_t change_may_cache;
static volatile int change_strategy;
static volatile vm_address_t expect_addr; /* the address the next exception names */

/* ---- The pager (init and terminate: ut_pager.h's) ---- */

kern_return_t
memory_object_data_request(mach_port_t memory_object, mach_port_t memory_control,
                           vm_offset_t offset, vm_size_t length, vm_prot_t desired_access)
{
    vm_offset_t page = offset / PAGE;

    (void)desired_access;
    UT_EQ(memory_object, ut_pager_object);
    UT_EQ(length, PAGE);
    UT_ASSERT(offset % PAGE == 0 && page < NPAGES);
    requests[page]++;
    if (page == 2) { /* zero fill: the kernel has the only copy */
        UT_KR(memory_object_data_unavailable(memory_control, offset, PAGE), KERN_SUCCESS);
    } else if (page == DESTROY_PAGE) {
        ut_sleep_ms(20); /* the client is asleep on the busy page by now */
        UT_KR(memory_object_destroy(memory_control, KERN_FAILURE), KERN_SUCCESS);
        destroyed = 1;
    } else {
        ut_pager_supply_pattern(memory_control, offset);
    }
    ut_pager_drop_right(memory_control);
    return KERN_SUCCESS;
}

kern_return_t
memory_object_change_completed(mach_port_t port, boolean_t may_cache, int strategy)
{
    change_port = port;
    change_may_cache = may_cache;
    change_strategy = strategy;
    changes++;
    return KERN_SUCCESS;
}

/* A memory failure after destroy: anonymous memory replaces the page. */
static kern_return_t
ut_exc_handle(const struct ut_exc_seen *e)
{
    return ut_pager_exc_replace_page(e, KERN_MEMORY_FAILURE, expect_addr);
}

/* ---- Attributes ---- */

static void
expect_attributes(boolean_t ready, boolean_t may_cache, int strategy)
{
    boolean_t r = 0xbad, c = 0xbad;
    int s = 0xbad;

    UT_KR(memory_object_get_attributes(ut_pager_control, &r, &c, &s), KERN_SUCCESS);
    UT_EQ(r, ready);
    UT_EQ(c, may_cache);
    UT_EQ(s, strategy);
}

/* Receives change_completed on `reply` within 5 s and serves it. */
static void
expect_change_completed(boolean_t may_cache, int strategy)
{
    uint32_t before = changes;

    ut_pager_serve_reply(reply, 2209);
    UT_EQ(changes, before + 1);
    UT_EQ(change_port, reply);
    UT_EQ(change_may_cache, may_cache);
    UT_EQ(change_strategy, strategy);
}

static void
attributes_follow_ready_and_change(void)
{
    expect_attributes(FALSE, FALSE, MEMORY_OBJECT_COPY_DELAY);
    UT_KR(memory_object_ready(ut_pager_control, TRUE, MEMORY_OBJECT_COPY_NONE), KERN_SUCCESS);
    expect_attributes(TRUE, TRUE, MEMORY_OBJECT_COPY_NONE);

    UT_KR(memory_object_change_attributes(ut_pager_control, FALSE, MEMORY_OBJECT_COPY_CALL, reply),
          KERN_SUCCESS);
    expect_change_completed(FALSE, MEMORY_OBJECT_COPY_CALL);
    expect_attributes(TRUE, FALSE, MEMORY_OBJECT_COPY_CALL);

    /* Bad strategies: nothing changes, nothing answers. */
    UT_KR(memory_object_change_attributes(ut_pager_control, TRUE, 7, reply), KERN_SUCCESS);
    UT_KR(memory_object_change_attributes(ut_pager_control, TRUE, -1, reply), KERN_SUCCESS);
    UT_KR(memory_object_ready(ut_pager_control, TRUE, 7), KERN_SUCCESS);
    expect_attributes(TRUE, FALSE, MEMORY_OBJECT_COPY_CALL);
    ut_pager_expect_no_reply(reply);
    UT_EQ(ut_refs(reply, MACH_PORT_RIGHT_SEND), 1); /* the kernel dropped its copies */

    /* No reply port: the change, without an answer. */
    UT_KR(memory_object_change_attributes(ut_pager_control, TRUE, MEMORY_OBJECT_COPY_TEMPORARY,
                                          MACH_PORT_NULL),
          KERN_SUCCESS);
    expect_attributes(TRUE, TRUE, MEMORY_OBJECT_COPY_TEMPORARY);
    UT_KR(memory_object_change_attributes(ut_pager_control, FALSE, MEMORY_OBJECT_COPY_DELAY, reply),
          KERN_SUCCESS);
    expect_change_completed(FALSE, MEMORY_OBJECT_COPY_DELAY);
    ut_pager_expect_no_reply(reply);
    UT_EQ(changes, 2);
}

/* ---- Destroy ---- */

/* Reads the word at byte `off` of the mapping expecting a memory failure
 * there (the handler puts zeroes in its place). */
static void
read_fails(vm_offset_t off)
{
    uint32_t seen = ut_exc_count;

    expect_addr = base + off;
    UT_EQ(*(volatile uint64_t *)(base + off), 0);
    UT_EQ(ut_exc_count, seen + 1);
}

static void
destroy_drops_pages_and_fails_faults(void)
{
    volatile uint64_t *w = (volatile uint64_t *)base;

    /* Resident before destroy: 0 clean, 1 dirty, 2 zero-filled, 3 precious. */
    UT_EQ(w[1], PATTERN + 8);
    w[PAGE / 8] = 0x1111;
    UT_EQ(w[2 * PAGE / 8], 0);
    UT_KR(memory_object_data_supply(ut_pager_control, 3 * PAGE,
                                    (vm_offset_t)ut_pager_pattern_page(3 * PAGE), PAGE,
                                    VM_PROT_NONE, TRUE, MACH_PORT_NULL),
          KERN_SUCCESS);
    UT_EQ(w[3 * PAGE / 8 + 2], PATTERN + 3 * PAGE + 16);

    read_fails(DESTROY_PAGE * PAGE + 40); /* waits; the pager destroys instead */
    UT_EQ(destroyed, 1);
    read_fails(0 * PAGE + 8); /* resident pages are gone */
    read_fails(1 * PAGE + 0);
    read_fails(2 * PAGE + 16);
    read_fails(3 * PAGE + 24);
    read_fails(5 * PAGE + 32); /* never touched */

    /* A supply after destroy is ignored: no page, no supply_completed. */
    UT_KR(memory_object_data_supply(ut_pager_control, 6 * PAGE,
                                    (vm_offset_t)ut_pager_pattern_page(6 * PAGE), PAGE,
                                    VM_PROT_NONE, FALSE, reply),
          KERN_SUCCESS);
    read_fails(6 * PAGE + 48);
    ut_pager_expect_no_reply(reply);
    UT_EQ(ut_exc_count, 7);
    UT_EQ(requests[0] + requests[1] + requests[2], 3);
    UT_EQ(requests[3], 0); /* supplied unasked */
    UT_EQ(requests[DESTROY_PAGE], 1);
    UT_EQ(requests[5], 0);
}

int
main(void)
{
    struct ut_exc_server srv;
    quay_thread_t pager;
    boolean_t r, c;
    int s;

    ut_stats_begin();
    reply = ut_port_send();
    ut_pager_start(&pager, &ut_pager_terminates);
    base = ut_pager_map(NPAGES * PAGE, VM_PROT_READ | VM_PROT_WRITE);
    ut_wait_change(&ut_pager_inits, 0);

    attributes_follow_ready_and_change();

    ut_pager_catch_begin(&srv, 7);
    destroy_drops_pages_and_fails_faults();
    ut_pager_catch_end(&srv);

    ut_pager_unmap_and_join(base, NPAGES * PAGE, pager);
    UT_KR(memory_object_get_attributes(ut_pager_control, &r, &c, &s), MACH_SEND_INVALID_DEST);
    ut_pager_drop_right(ut_pager_control); /* a dead name */

    ut_pager_port_destroy(ut_pager_object);
    ut_pager_port_destroy(reply);
    ut_stats_settle_baseline();
    return ut_pass();
}

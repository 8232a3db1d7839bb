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
#include "ut_pager.h"

#define PAGE    4096
#define NPAGES  3
#define PATTERN 0x5155415900000000ull /* "QUAY" */

static mach_port_t mo; /* the memory object: receive + send */
static volatile uint32_t inits, requests, destroyed;
static uint64_t page_buf[PAGE / 8] __attribute__((aligned(PAGE)));
static vm_address_t base;
static volatile vm_address_t expect_addr; /* the address the next exception names */

kern_return_t
memory_object_init(mach_port_t memory_object, mach_port_t memory_control, vm_size_t page_size)
{
    UT_EQ(memory_object, mo);
    UT_EQ(page_size, PAGE);
    UT_KR(mach_port_deallocate(mach_task_self(), memory_control), KERN_SUCCESS);
    inits++;
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
    UT_EQ(memory_object, mo);
    UT_EQ(length, PAGE);
    requests++;
    if (offset == 0) {
        for (unsigned i = 0; i < PAGE / 8; i++)
            page_buf[i] = PATTERN + 8 * i;
        UT_KR(memory_object_data_supply(memory_control, 0, (vm_offset_t)page_buf, PAGE,
                                        VM_PROT_NONE, FALSE, MACH_PORT_NULL),
              KERN_SUCCESS);
    } else {
        UT_EQ(offset, PAGE);
        ut_sleep_ms(50); /* let the client go to sleep on the busy page */
        UT_KR(mach_port_mod_refs(mach_task_self(), mo, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
        destroyed = 1;
    }
    UT_KR(mach_port_deallocate(mach_task_self(), memory_control), KERN_SUCCESS);
    return KERN_SUCCESS;
}

/* The pager thread: serves until it has destroyed its receive right. */
static void *
pager_main(void *arg)
{
    (void)arg;
    while (!destroyed)
        UT_KR(mach_msg_server_once(memory_object_server, memory_object_max_request_size, mo, 0),
              MACH_MSG_SUCCESS);
    return NULL;
}

/* A memory failure: anonymous memory replaces the page. */
static kern_return_t
ut_exc_handle(const struct ut_exc_seen *e)
{
    vm_address_t page = expect_addr & ~(vm_address_t)(PAGE - 1);

    UT_EQ(e->exc, EXC_BAD_ACCESS);
    UT_EQ(e->code[0], KERN_MEMORY_FAILURE);
    UT_EQ(e->code[1], expect_addr);
    UT_KR(vm_deallocate(mach_task_self(), page, PAGE), KERN_SUCCESS);
    UT_KR(vm_allocate(mach_task_self(), &page, PAGE, FALSE), KERN_SUCCESS);
    return KERN_SUCCESS;
}

int
main(void)
{
    struct ut_exc_server srv;
    quay_thread_t pager;
    mach_port_t exc_port;
    const volatile uint64_t *w;

    ut_stats_begin();
    mo = ut_port_send();
    exc_port = ut_port_send();
    UT_KR(quay_thread_create(pager_main, NULL, &pager), KERN_SUCCESS);
    UT_KR(vm_map(mach_task_self(), &base, NPAGES * PAGE, 0, TRUE, mo, 0, FALSE, VM_PROT_READ,
                 VM_PROT_READ, VM_INHERIT_NONE),
          KERN_SUCCESS);
    w = (const volatile uint64_t *)base;
    UT_EQ(w[5], PATTERN + 40);

    ut_exc_set_thread_port(exc_port);
    ut_exc_serve(&srv, exc_port, 2);
    expect_addr = base + PAGE + 24;
    UT_EQ(w[PAGE / 8 + 3], 0); /* waits, the pager dies, exception, zeroes */
    UT_KR(quay_thread_join(pager, NULL), KERN_SUCCESS);
    UT_EQ(destroyed, 1);
    expect_addr = base + 2 * PAGE + 8;
    UT_EQ(w[2 * PAGE / 8 + 1], 0); /* a later fault: no request, exception */
    ut_exc_join(&srv);
    ut_exc_expect_kernel_reply_port();
    ut_exc_set_thread_port(MACH_PORT_NULL);
    UT_EQ(ut_exc_count, 2);
    UT_EQ(w[7], PATTERN + 56); /* resident pages stay */
    UT_EQ(inits, 1);
    UT_EQ(requests, 2);

    UT_KR(vm_deallocate(mach_task_self(), base, NPAGES * PAGE), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), mo), KERN_SUCCESS); /* a dead name now */
    UT_KR(mach_port_mod_refs(mach_task_self(), exc_port, MACH_PORT_RIGHT_RECEIVE, -1),
          KERN_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), exc_port), KERN_SUCCESS);
    ut_stats_settle_baseline();
    return ut_pass();
}

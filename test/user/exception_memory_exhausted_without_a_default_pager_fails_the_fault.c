/* SPDX-License-Identifier: MIT */
/*
 * Without a default pager, anonymous memory cannot leave RAM.  On a 32 MiB
 * machine (test/qemu/CMakeLists.txt) a thread writes to twice the RAM:
 * once free pages are down to the kernel's reserve, its fault waits for
 * the pageout daemon, which can free nothing, so the fault fails with
 * KERN_RESOURCE_SHORTAGE and the thread's exception port gets
 * EXC_BAD_ACCESS with that code and the address.  The kernel stays up and
 * says why once ("vm_pageout: memory exhausted", checked by the test's
 * ctest line).
 *
 * While the region holds the memory no thread can have a new page, so the
 * handler thread uses only memory it touched beforehand (its stack, a
 * static message buffer): it gives the region back, maps one fresh page
 * where the write failed, tells the writer to stop, and answers
 * KERN_SUCCESS; the write then lands in the fresh page.
 */
#include "ut_exc.h"

#include <mach/host_info.h>

#define PAGE 4096ul

static vm_address_t region;
static size_t region_size;
static volatile int stop;
static volatile vm_address_t failed_at;
static union {
    mach_msg_header_t h;
    char space[4096];
} request, reply;

static kern_return_t
ut_exc_handle(const struct ut_exc_seen *e)
{
    vm_address_t page = (vm_address_t)e->code[1] & ~(PAGE - 1);

    UT_EQ(e->exc, EXC_BAD_ACCESS);
    UT_EQ(e->code[0], KERN_RESOURCE_SHORTAGE);
    UT_ASSERT(page >= region && page < region + region_size);
    UT_KR(vm_deallocate(mach_task_self(), region, region_size), KERN_SUCCESS);
    UT_KR(vm_allocate(mach_task_self(), &page, PAGE, FALSE), KERN_SUCCESS);
    failed_at = page;
    stop = 1;
    return KERN_SUCCESS; /* the write runs again, into the fresh page */
}

/* Writes a word into every page of the region until told to stop. */
static void *
writer(void *port)
{
    ut_exc_set_thread_port((mach_port_t)(uintptr_t)port);
    for (size_t off = 0; off < region_size && !stop; off += PAGE)
        *(volatile uint64_t *)(region + off) = off + 1;
    return NULL;
}

/* Answers the one exception with resident memory only. */
static void *
handler(void *port)
{
    volatile char stack[16 * 1024];

    memset((char *)stack, 0, sizeof(stack)); /* this thread's stack, resident */
    UT_KR(mach_msg(&request.h, MACH_RCV_MSG, 0, sizeof(request), (mach_port_t)(uintptr_t)port,
                   MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL),
          MACH_MSG_SUCCESS);
    UT_ASSERT(exc_server(&request.h, &reply.h));
    UT_KR(mach_msg(&reply.h, MACH_SEND_MSG, reply.h.msgh_size, 0, MACH_PORT_NULL,
                   MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL),
          MACH_MSG_SUCCESS);
    return NULL;
}

int
main(void)
{
    mach_port_t self = mach_task_self(), exc_port;
    struct host_basic_info host;
    mach_msg_type_number_t count = HOST_BASIC_INFO_COUNT;
    quay_thread_t w, h;

    ut_stats_begin();
    UT_KR(host_info(mach_host_self(), HOST_BASIC_INFO, (host_info_t)&host, &count), KERN_SUCCESS);
    region_size = 2 * (size_t)host.memory_size;
    UT_KR(vm_allocate(self, &region, region_size, TRUE), KERN_SUCCESS);
    exc_port = ut_port_send();
    memset(&request, 0, sizeof(request)); /* resident before memory runs out */
    memset(&reply, 0, sizeof(reply));

    UT_KR(quay_thread_create(handler, (void *)(uintptr_t)exc_port, &h), KERN_SUCCESS);
    UT_KR(quay_thread_create(writer, (void *)(uintptr_t)exc_port, &w), KERN_SUCCESS);
    UT_KR(quay_thread_join(w, NULL), KERN_SUCCESS);
    UT_KR(quay_thread_join(h, NULL), KERN_SUCCESS);
    UT_EQ(ut_exc_count, 1);
    UT_EQ(*(volatile uint64_t *)failed_at, failed_at - region + 1);

    UT_KR(vm_deallocate(self, failed_at, PAGE), KERN_SUCCESS);
    UT_KR(mach_port_mod_refs(self, exc_port, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(self, exc_port), KERN_SUCCESS);
    ut_stats_settle_baseline();
    return ut_pass();
}

/* SPDX-License-Identifier: MIT */
/*
 * A user-level pager and its client in one task.  The pager thread holds
 * the receive right of a memory object and serves memory_object.defs with
 * the generated memory_object_server; the main thread vm_maps the object
 * (a send right) and reads it:
 *
 *   page 0, 1  data_supply of a computed pattern: each 8-byte word holds
 *              its offset in the object plus PATTERN;
 *   page 2     data_unavailable: reads as zeroes;
 *   page 3     data_error: the read raises EXC_BAD_ACCESS with
 *              KERN_MEMORY_ERROR and the address (caught by a handler
 *              thread, which maps anonymous memory there and resumes the
 *              read, which then sees zeroes).
 *
 * The kernel sends memory_object_init once, one data_request per page
 * however often it is read, and memory_object_terminate when the mapping
 * goes; nothing leaks.
 */
#include "ut_pager.h"

#define PAGE    4096
#define NPAGES  4
#define PATTERN 0x5155415900000000ull /* "QUAY" */

static mach_port_t mo;      /* the memory object: receive + send */
static mach_port_t control; /* the control port, as the pager names it */
static volatile uint32_t inits, terminates;
static volatile uint32_t requests[NPAGES];
static uint64_t page_buf[PAGE / 8] __attribute__((aligned(PAGE)));
static vm_address_t base;

/* Every kernel message brings a new send right to the control port; each
 * handler drops its own when done (so the name may change between
 * messages: it is freed when its last reference goes). */
static void
pager_note_control(mach_port_t memory_control)
{
    UT_ASSERT(MACH_PORT_VALID(memory_control));
    control = memory_control;
}

static void
pager_drop_control(mach_port_t memory_control)
{
    UT_KR(mach_port_deallocate(mach_task_self(), memory_control), KERN_SUCCESS);
}

kern_return_t
memory_object_init(mach_port_t memory_object, mach_port_t memory_control, vm_size_t page_size)
{
    UT_EQ(memory_object, mo);
    UT_EQ(page_size, PAGE);
    pager_note_control(memory_control);
    pager_drop_control(memory_control);
    inits++;
    return KERN_SUCCESS;
}

kern_return_t
memory_object_terminate(mach_port_t memory_object, mach_port_t memory_control)
{
    UT_EQ(memory_object, mo);
    /* The control port dies right after this message is sent: the right
     * arrives as MACH_PORT_DEAD, or as a name that is dead by now. */
    if (memory_control != MACH_PORT_DEAD)
        pager_drop_control(memory_control);
    terminates++;
    return KERN_SUCCESS;
}

kern_return_t
memory_object_data_request(mach_port_t memory_object, mach_port_t memory_control,
                           vm_offset_t offset, vm_size_t length, vm_prot_t desired_access)
{
    vm_offset_t page = offset / PAGE;

    UT_EQ(memory_object, mo);
    UT_EQ(length, PAGE);
    UT_ASSERT(offset % PAGE == 0 && page < NPAGES);
    UT_ASSERT((desired_access & VM_PROT_READ) != 0);
    pager_note_control(memory_control);
    requests[page]++;
    if (page < 2) {
        for (unsigned i = 0; i < PAGE / 8; i++)
            page_buf[i] = PATTERN + offset + 8 * i;
        UT_KR(memory_object_data_supply(memory_control, offset, (vm_offset_t)page_buf, PAGE,
                                        VM_PROT_NONE, FALSE, MACH_PORT_NULL),
              KERN_SUCCESS);
    } else if (page == 2) {
        UT_KR(memory_object_data_unavailable(memory_control, offset, PAGE), KERN_SUCCESS);
    } else {
        UT_KR(memory_object_data_error(memory_control, offset, PAGE, KERN_FAILURE), KERN_SUCCESS);
    }
    pager_drop_control(memory_control);
    return KERN_SUCCESS;
}

/* The pager thread: serves until the kernel terminates the object. */
static void *
pager_main(void *arg)
{
    (void)arg;
    while (terminates == 0)
        UT_KR(mach_msg_server_once(memory_object_server, memory_object_max_request_size, mo, 0),
              MACH_MSG_SUCCESS);
    return NULL;
}

/* The data_error exception: anonymous memory replaces the page. */
static kern_return_t
ut_exc_handle(const struct ut_exc_seen *e)
{
    vm_address_t page = base + 3 * PAGE;

    UT_EQ(e->exc, EXC_BAD_ACCESS);
    UT_EQ(e->code[0], KERN_MEMORY_ERROR);
    UT_EQ(e->code[1], page + 16);
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
    for (unsigned i = 0; i < 2 * PAGE / 8; i += 97)
        UT_EQ(w[i], PATTERN + 8 * i);
    UT_EQ(w[2 * PAGE / 8 - 1], PATTERN + 2 * PAGE - 8);
    UT_EQ(w[0], PATTERN); /* resident now: no second request */
    for (unsigned i = 2 * PAGE / 8; i < 3 * PAGE / 8; i++)
        UT_EQ(w[i], 0);

    ut_exc_set_thread_port(exc_port);
    ut_exc_serve(&srv, exc_port, 1);
    UT_EQ(w[3 * PAGE / 8 + 2], 0); /* data_error, exception, handler, zeroes */
    ut_exc_join(&srv);
    ut_exc_expect_kernel_reply_port();
    ut_exc_set_thread_port(MACH_PORT_NULL);
    UT_EQ(ut_exc_count, 1);

    UT_EQ(inits, 1);
    for (unsigned p = 0; p < NPAGES; p++)
        UT_EQ(requests[p], 1);
    UT_EQ(terminates, 0);
    UT_KR(vm_deallocate(mach_task_self(), base, NPAGES * PAGE), KERN_SUCCESS);
    UT_KR(quay_thread_join(pager, NULL), KERN_SUCCESS); /* ends with terminate */
    UT_EQ(terminates, 1);
    UT_EQ(inits, 1);

    UT_KR(mach_port_mod_refs(mach_task_self(), mo, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), mo), KERN_SUCCESS);
    UT_KR(mach_port_mod_refs(mach_task_self(), exc_port, MACH_PORT_RIGHT_RECEIVE, -1),
          KERN_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), exc_port), KERN_SUCCESS);
    ut_stats_settle_baseline();
    return ut_pass();
}

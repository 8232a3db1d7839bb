/* SPDX-License-Identifier: MIT
 *
 * A send that fails after a good out-of-line descriptor (1 MiB,
 * `deallocate` set) was copied in changes nothing: for a bad destination
 * (MACH_SEND_INVALID_DEST), a bad port right in a later descriptor
 * (MACH_SEND_INVALID_RIGHT) and an unreadable later region
 * (MACH_SEND_INVALID_MEMORY), the sender's region is still mapped, holds
 * what it held, can be written, and no page is lost to a leaked copy.
 */
#include "ut_ool.h"

#define SIZE        UT_MIB
#define SLACK_PAGES 32u

typedef struct {
    mach_msg_header_t h;
    mach_msg_body_t body;
    mach_msg_ool_descriptor_t ool;
    mach_msg_ool_descriptor_t bad_ool;
} two_ool_msg_t;

typedef struct {
    mach_msg_header_t h;
    mach_msg_body_t body;
    mach_msg_ool_descriptor_t ool;
    mach_msg_port_descriptor_t port;
} ool_port_msg_t;

static void
set_ool(mach_msg_ool_descriptor_t *d, vm_address_t addr, vm_size_t size)
{
    d->address = (void *)addr;
    d->size = (mach_msg_size_t)size;
    d->deallocate = TRUE;
    d->copy = MACH_MSG_VIRTUAL_COPY;
    d->type = MACH_MSG_OOL_DESCRIPTOR;
}

static mach_msg_return_t
send_with_bad_right(mach_port_name_t port, vm_address_t addr)
{
    ool_port_msg_t m;

    memset(&m, 0, sizeof(m));
    m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
    m.h.msgh_size = sizeof(m);
    m.h.msgh_remote_port = port;
    m.body.msgh_descriptor_count = 2;
    set_ool(&m.ool, addr, SIZE);
    m.port.name = 0x12345600; /* names nothing */
    m.port.disposition = MACH_MSG_TYPE_COPY_SEND;
    m.port.type = MACH_MSG_PORT_DESCRIPTOR;
    return mach_msg(&m.h, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

static mach_msg_return_t
send_with_bad_memory(mach_port_name_t port, vm_address_t addr, vm_address_t hole)
{
    two_ool_msg_t m;

    memset(&m, 0, sizeof(m));
    m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
    m.h.msgh_size = sizeof(m);
    m.h.msgh_remote_port = port;
    m.body.msgh_descriptor_count = 2;
    set_ool(&m.ool, addr, SIZE);
    set_ool(&m.bad_ool, hole, SIZE);
    return mach_msg(&m.h, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

/* The region is mapped, intact and writable; no pages went missing. */
static void
expect_untouched(vm_address_t addr, unsigned long free_before)
{
    unsigned long now = ut_free_pages();

    UT_EQ(ut_ool_mapped(addr, SIZE), 1);
    ut_ool_expect(addr, SIZE, 0xfa11);
    ((volatile uint32_t *)addr)[3] = 0x5a5a5a5a;
    UT_EQ(((volatile uint32_t *)addr)[3], 0x5a5a5a5a);
    ((volatile uint32_t *)addr)[3] = ut_ool_word(3, 0xfa11);
    if (now + SLACK_PAGES < free_before)
        UT_FAIL("%lu pages lost", free_before - now);
}

int
main(void)
{
    mach_port_name_t port;
    vm_address_t mine, hole;
    unsigned long free_before;

    ut_stats_begin();
    port = ut_port();
    mine = ut_ool_region(SIZE, 0xfa11);
    hole = ut_ool_region(SIZE, 0);
    UT_KR(vm_deallocate(mach_task_self(), hole, SIZE), KERN_SUCCESS);
    free_before = ut_free_pages();

    UT_KR(ut_ool_send(0x12345600, mine, SIZE, TRUE, 0), MACH_SEND_INVALID_DEST);
    expect_untouched(mine, free_before);
    UT_KR(send_with_bad_right(port, mine), MACH_SEND_INVALID_RIGHT);
    expect_untouched(mine, free_before);
    UT_KR(send_with_bad_memory(port, mine, hole), MACH_SEND_INVALID_MEMORY);
    expect_untouched(mine, free_before);
    ut_expect_empty(port);

    UT_KR(vm_deallocate(mach_task_self(), mine, SIZE), KERN_SUCCESS);
    ut_port_destroy(port);
    ut_stats_expect_baseline();
    return ut_pass();
}

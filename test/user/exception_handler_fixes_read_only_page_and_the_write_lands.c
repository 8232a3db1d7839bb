/* SPDX-License-Identifier: MIT */
/*
 * A write to a page made read-only with vm_protect becomes exception_raise
 * on the thread's exception port: EXC_BAD_ACCESS, code[0]
 * KERN_PROTECTION_FAILURE, code[1] the address written, with send rights
 * to the faulting thread and our task.  The handler (a second thread of
 * this task) makes the page writable again with vm_protect and replies
 * KERN_SUCCESS: the write runs again and lands.  A write after the port is
 * reset goes without an exception (the page stays writable).
 */
#include "ut_exc.h"

#define VALUE 0x5a5a1234u
#define PAGE  4096

static vm_address_t page;

static kern_return_t
ut_exc_handle(const struct ut_exc_seen *e)
{
    /* The faulting thread waits in the kernel: the page is still read-only. */
    UT_EQ(*(volatile uint32_t *)(page + 64), 0);
    UT_KR(vm_protect(mach_task_self(), page, PAGE, FALSE, VM_PROT_READ | VM_PROT_WRITE),
          KERN_SUCCESS);
    (void)e;
    return KERN_SUCCESS;
}

int
main(void)
{
    struct ut_exc_server srv;
    mach_port_t port, self;

    ut_stats_begin();
    self = mach_thread_self(); /* the right the request's thread right joins */
    port = ut_port_send();
    UT_KR(vm_allocate(mach_task_self(), &page, PAGE, TRUE), KERN_SUCCESS);
    *(volatile uint32_t *)page = 1; /* mapped writable first: vm_protect must revoke it */
    UT_KR(vm_protect(mach_task_self(), page, PAGE, FALSE, VM_PROT_READ), KERN_SUCCESS);

    ut_exc_set_thread_port(port);
    ut_exc_serve(&srv, port, 1);
    *(volatile uint32_t *)(page + 64) = VALUE; /* faults, is fixed, runs again */
    ut_exc_join(&srv);
    ut_exc_expect_kernel_reply_port();

    UT_EQ(*(volatile uint32_t *)(page + 64), VALUE);
    UT_EQ(ut_exc_count, 1);
    UT_EQ(ut_exc_seen[0].port, port);
    UT_EQ(ut_exc_seen[0].thread, self);
    UT_EQ(ut_exc_seen[0].task, mach_task_self());
    UT_EQ(ut_exc_seen[0].exc, EXC_BAD_ACCESS);
    UT_EQ(ut_exc_seen[0].ncode, 2);
    UT_EQ(ut_exc_seen[0].code[0], KERN_PROTECTION_FAILURE);
    UT_EQ(ut_exc_seen[0].code[1], page + 64);
    /* The handler gave back the rights it got: one uref each, as before. */
    UT_EQ(ut_refs(self, MACH_PORT_RIGHT_SEND), 1);

    /* The kernel holds its own copy of the send right; reset, it is gone. */
    UT_EQ(ut_refs(port, MACH_PORT_RIGHT_SEND), 1);
    ut_exc_set_thread_port(MACH_PORT_NULL);
    *(volatile uint32_t *)(page + 128) = VALUE;
    UT_EQ(ut_exc_count, 1);

    UT_KR(mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), port), KERN_SUCCESS);
    UT_KR(vm_deallocate(mach_task_self(), page, PAGE), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), self), KERN_SUCCESS);
    ut_stats_settle_baseline();
    return ut_pass();
}

/* SPDX-License-Identifier: MIT */
/*
 * Helpers of the pager tests (pager_*.c; test/user/CMakeLists.txt gives
 * them the generated memory_object server stubs, the memory_object_control
 * client stubs and the exc server stubs).  A test defines the routines it
 * expects the kernel to send: always memory_object_data_request.
 *
 * memory_object_init and _terminate have a usual form, defined here: init
 * checks the object and the page size, keeps the control right in
 * ut_pager_control (for the main thread's calls; a dead name after
 * terminate, which the test drops) and counts; terminate drops its control
 * right and counts.  The other routines fail the test here.  Each is
 * defined in this header (each test is one program) unless the test
 * defines it itself; it says so by defining, before including this
 * header, the matching
 *
 *   UT_PAGER_DEFINES_INIT              memory_object_init
 *   UT_PAGER_DEFINES_TERMINATE         memory_object_terminate
 *   UT_PAGER_DEFINES_DATA_UNLOCK       memory_object_data_unlock
 *   UT_PAGER_DEFINES_LOCK_COMPLETED    memory_object_lock_completed
 *   UT_PAGER_DEFINES_SUPPLY_COMPLETED  memory_object_supply_completed
 *   UT_PAGER_DEFINES_DATA_RETURN       memory_object_data_return
 *   UT_PAGER_DEFINES_CHANGE_COMPLETED  memory_object_change_completed
 *
 * A test that expects no exception defines UT_PAGER_EXPECTS_NO_EXCEPTION
 * and gets a ut_exc_handle (ut_exc.h) that fails.
 *
 * The test's side:
 *
 *   ut_pager_start()        the object (a new port) and a pager thread on it
 *   ut_pager_serve_until()  the pager thread's loop, for a thread of the test's
 *   ut_pager_map()          the object mapped into this task
 *   ut_pager_unmap_and_join()  the mapping unmapped: terminate, the thread ends
 *   ut_pager_pattern_page(), ut_pager_supply_pattern()
 *                           the pattern pages: word = offset + UT_PAGER_PATTERN
 *   ut_pager_serve_reply(), ut_pager_expect_no_reply()
 *                           a completion on a reply port of the test's, or none
 *   ut_pager_catch_begin(), ut_pager_catch_end(), ut_pager_exc_replace_page()
 *                           faults on the object caught, the page replaced
 *   ut_pager_drop_right(), ut_pager_port_destroy()
 */
#ifndef UT_PAGER_H
#define UT_PAGER_H

#include "ut_exc.h"
#include "memory_objectServer.h"   /* generated: memory_object_server() */
#include "memory_object_control.h" /* generated: memory_object_data_supply() ... */

#define UT_PAGER_PAGE    4096
#define UT_PAGER_PATTERN 0x5155415900000000ull /* "QUAY" */

/* The memory object under test: a receive right and a send right under
 * one name (ut_pager_start). */
static mach_port_t ut_pager_object;
/* A send right to its control port, kept by the usual memory_object_init
 * (unused by a test that defines its own). */
static mach_port_t ut_pager_control __attribute__((unused));
/* What the pager thread saw of init and terminate. */
static volatile uint32_t ut_pager_inits, ut_pager_terminates;

/* Drops one user reference to the send right or dead name NAME. */
static inline void
ut_pager_drop_right(mach_port_t name)
{
    UT_KR(mach_port_deallocate(mach_task_self(), name), KERN_SUCCESS);
}

/* Destroys a port ut_port_send made: its receive right and its send right. */
static inline void
ut_pager_port_destroy(mach_port_t name)
{
    UT_KR(mach_port_mod_refs(mach_task_self(), name, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
    ut_pager_drop_right(name);
}

/* ---- The routines of memory_object.defs ---- */

#ifndef UT_PAGER_DEFINES_INIT
kern_return_t
memory_object_init(mach_port_t memory_object, mach_port_t memory_control, vm_size_t page_size)
{
    UT_EQ(memory_object, ut_pager_object);
    UT_EQ(page_size, UT_PAGER_PAGE);
    ut_pager_control = memory_control; /* kept for the calls of the main thread */
    ut_pager_inits++;
    return KERN_SUCCESS;
}
#endif

/* The last mapping is gone.  The control port dies right after this
 * message is sent: the right arrives as MACH_PORT_DEAD, or as a name that
 * is dead by now. */
#ifndef UT_PAGER_DEFINES_TERMINATE
kern_return_t
memory_object_terminate(mach_port_t memory_object, mach_port_t memory_control)
{
    UT_EQ(memory_object, ut_pager_object);
    if (memory_control != MACH_PORT_DEAD)
        ut_pager_drop_right(memory_control);
    ut_pager_terminates++;
    return KERN_SUCCESS;
}
#endif

/* A write to a page the pager locked against writing (lock_value). */
#ifndef UT_PAGER_DEFINES_DATA_UNLOCK
kern_return_t
memory_object_data_unlock(mach_port_t o, mach_port_t c, vm_offset_t off, vm_size_t len, vm_prot_t a)
{
    (void)o, (void)c, (void)off, (void)len, (void)a;
    UT_FAIL("unexpected data_unlock");
}
#endif

/* The answer to a lock_request with a reply port. */
#ifndef UT_PAGER_DEFINES_LOCK_COMPLETED
kern_return_t
memory_object_lock_completed(mach_port_t o, mach_port_t c, vm_offset_t off, vm_size_t len)
{
    (void)o, (void)c, (void)off, (void)len;
    UT_FAIL("unexpected lock_completed");
}
#endif

/* The answer to a data_supply with a reply port. */
#ifndef UT_PAGER_DEFINES_SUPPLY_COMPLETED
kern_return_t
memory_object_supply_completed(mach_port_t o, mach_port_t c, vm_offset_t off, vm_size_t len,
                               kern_return_t result, vm_offset_t error_offset)
{
    (void)o, (void)c, (void)off, (void)len, (void)result, (void)error_offset;
    UT_FAIL("unexpected supply_completed");
}
#endif

/* Pages coming back: lock_request, or eviction by the pageout daemon. */
#ifndef UT_PAGER_DEFINES_DATA_RETURN
kern_return_t
memory_object_data_return(mach_port_t o, mach_port_t c, vm_offset_t off, vm_offset_t data,
                          mach_msg_type_number_t dataCnt, boolean_t dirty, boolean_t kernel_copy)
{
    (void)o, (void)c, (void)off, (void)data, (void)dataCnt, (void)dirty, (void)kernel_copy;
    UT_FAIL("unexpected data_return");
}
#endif

/* The answer to a change_attributes with a reply port. */
#ifndef UT_PAGER_DEFINES_CHANGE_COMPLETED
kern_return_t
memory_object_change_completed(mach_port_t o, boolean_t may_cache, int strategy)
{
    (void)o, (void)may_cache, (void)strategy;
    UT_FAIL("unexpected change_completed");
}
#endif

#ifdef UT_PAGER_EXPECTS_NO_EXCEPTION
static kern_return_t
ut_exc_handle(const struct ut_exc_seen *e)
{
    (void)e;
    UT_FAIL("unexpected exception");
}
#endif

/* ---- The pager thread ---- */

/* Serves memory_object.defs on ut_pager_object until *STOP is non-zero
 * (looked at after each message): usually &ut_pager_terminates. */
static inline void
ut_pager_serve_until(volatile uint32_t *stop)
{
    while (*stop == 0)
        UT_KR(mach_msg_server_once(memory_object_server, memory_object_max_request_size,
                                   ut_pager_object, 0),
              MACH_MSG_SUCCESS);
}

static inline void *
ut_pager_main(void *stop)
{
    ut_pager_serve_until((volatile uint32_t *)stop);
    return NULL;
}

/* Makes the memory object, ut_pager_object, and starts *PAGER, a thread
 * that serves it until *STOP is non-zero. */
static inline void
ut_pager_start(quay_thread_t *pager, volatile uint32_t *stop)
{
    ut_pager_object = ut_port_send();
    UT_KR(quay_thread_create(ut_pager_main, (void *)stop, pager), KERN_SUCCESS);
}

/* ---- The client ---- */

/* Maps SIZE bytes of the object, from its start, anywhere in this task:
 * no copy, PROT as both current and maximum protection, not inherited.
 * Returns the address. */
static inline vm_address_t
ut_pager_map(vm_size_t size, vm_prot_t prot)
{
    vm_address_t base = 0;

    UT_KR(vm_map(mach_task_self(), &base, size, 0, TRUE, ut_pager_object, 0, FALSE, prot, prot,
                 VM_INHERIT_NONE),
          KERN_SUCCESS);
    return base;
}

/* Unmaps [BASE, BASE + SIZE), the object's only mapping, and joins PAGER,
 * which serves until terminate: the object was initialized once, and is
 * terminated once, by the unmapping. */
static inline void
ut_pager_unmap_and_join(vm_address_t base, vm_size_t size, quay_thread_t pager)
{
    UT_EQ(ut_pager_terminates, 0);
    UT_KR(vm_deallocate(mach_task_self(), base, size), KERN_SUCCESS);
    UT_KR(quay_thread_join(pager, NULL), KERN_SUCCESS);
    UT_EQ(ut_pager_terminates, 1);
    UT_EQ(ut_pager_inits, 1);
}

/* ---- Pattern pages ---- */

/* The page at OFFSET of the pattern: each 8-byte word holds its offset in
 * the object plus UT_PAGER_PATTERN.  Written into PAGE (UT_PAGER_PAGE bytes). */
static inline void
ut_pager_fill_pattern(uint64_t *page, vm_offset_t offset)
{
    for (unsigned i = 0; i < UT_PAGER_PAGE / 8; i++)
        page[i] = UT_PAGER_PATTERN + offset + 8 * i;
}

/* The pattern page at OFFSET, in a page-aligned buffer of this header's
 * that the next call overwrites. */
static inline const uint64_t *
ut_pager_pattern_page(vm_offset_t offset)
{
    static uint64_t page[UT_PAGER_PAGE / 8] __attribute__((aligned(UT_PAGER_PAGE)));

    ut_pager_fill_pattern(page, offset);
    return page;
}

/* data_supply of the pattern page at OFFSET on CONTROL: not locked, not
 * precious, no reply. */
static inline void
ut_pager_supply_pattern(mach_port_t control, vm_offset_t offset)
{
    UT_KR(memory_object_data_supply(control, offset, (vm_offset_t)ut_pager_pattern_page(offset),
                                    UT_PAGER_PAGE, VM_PROT_NONE, FALSE, MACH_PORT_NULL),
          KERN_SUCCESS);
}

/* ---- Reply ports ---- */

/* Receives one message with id ID on REPLY within 5 s and hands it to
 * memory_object_server (the test's completion routine records it). */
static inline void
ut_pager_serve_reply(mach_port_t reply, mach_msg_id_t id)
{
    union {
        mach_msg_header_t h;
        char space[512];
    } req, rep;

    UT_KR(mach_msg(&req.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(req), reply, 5000,
                   MACH_PORT_NULL),
          MACH_MSG_SUCCESS);
    UT_EQ(req.h.msgh_id, id);
    UT_ASSERT(memory_object_server(&req.h, &rep.h));
}

/* Nothing is queued on REPLY. */
static inline void
ut_pager_expect_no_reply(mach_port_t reply)
{
    mach_msg_header_t h;

    UT_KR(mach_msg(&h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(h), reply, 0, MACH_PORT_NULL),
          MACH_RCV_TIMED_OUT);
}

/* ---- Faults on the object that fail ---- */

/* Catches this thread's exceptions from now on: a handler thread on a new
 * port answers N of them with the test's ut_exc_handle. */
static inline void
ut_pager_catch_begin(struct ut_exc_server *srv, unsigned n)
{
    mach_port_t port = ut_port_send();

    ut_exc_set_thread_port(port);
    ut_exc_serve(srv, port, n);
}

/* Waits until the handler thread has answered its N exceptions, then
 * stops catching and destroys the port.  The kernel keeps the reply port
 * it made for this thread's exceptions (ut_exc_expect_kernel_reply_port). */
static inline void
ut_pager_catch_end(struct ut_exc_server *srv)
{
    ut_exc_join(srv);
    ut_exc_expect_kernel_reply_port();
    ut_exc_set_thread_port(MACH_PORT_NULL);
    ut_pager_port_destroy(srv->rcv);
}

/* For a test's ut_exc_handle: the exception must be EXC_BAD_ACCESS with
 * code CODE at ADDR.  Anonymous memory replaces the page there, so the
 * access resumes and reads zeroes. */
static inline kern_return_t
ut_pager_exc_replace_page(const struct ut_exc_seen *e, kern_return_t code, vm_address_t addr)
{
    vm_address_t page = addr & ~(vm_address_t)(UT_PAGER_PAGE - 1);

    UT_EQ(e->exc, EXC_BAD_ACCESS);
    UT_EQ(e->code[0], code);
    UT_EQ(e->code[1], addr);
    UT_KR(vm_deallocate(mach_task_self(), page, UT_PAGER_PAGE), KERN_SUCCESS);
    UT_KR(vm_allocate(mach_task_self(), &page, UT_PAGER_PAGE, FALSE), KERN_SUCCESS);
    return KERN_SUCCESS;
}

#endif

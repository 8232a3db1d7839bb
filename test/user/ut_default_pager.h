/* SPDX-License-Identifier: MIT
 *
 * Helpers of the default pager tests (default_pager_*.c).  Each test plays
 * the kernel's part of the protocol against the real default pager
 * (default-pager/), which test/qemu/CMakeLists.txt starts as a server
 * (module 2) with a 16 MiB disk -- or, in the RAM variant, with no disk.
 * test/user/CMakeLists.txt gives these tests the client stubs of
 * memory_object_default.defs and memory_object.defs, and the server stubs
 * of memory_object_control.defs, defined here: the pager's answers arrive
 * on the test's control port and are recorded in ut_dp_answer.
 *
 *   ut_dp_look_up()            the pager's port ("default-pager")
 *   ut_dp_info()               default_pager_info, checked
 *   ut_dp_expect_info()        default_pager_info moved by given amounts
 *   ut_dp_object_create()      memory_object_create: a new object P, control C
 *   ut_dp_put()                data_initialize / data_return of a pattern page
 *   ut_dp_request()            data_request, sent
 *   ut_dp_expect_supply(), ut_dp_expect_unavailable(), ut_dp_expect_nothing()
 *                              the next answer on C
 *   ut_dp_terminate()          memory_object_terminate, then waits until
 *                              the pager has ended the object
 *   ut_dp_wait_dead()          waits until a port the pager held is dead
 */
#ifndef UT_DEFAULT_PAGER_H
#define UT_DEFAULT_PAGER_H

#include "ut_ports.h"

#include <mach/memory_object.h>
#include <servers/bootstrap.h>
#include <servers/default_pager.h> /* libmach's stubs: default_pager_info */
#include <stdint.h>

#include "memory_object.h"               /* generated: memory_object_data_request ... */
#include "memory_object_controlServer.h" /* generated: memory_object_control_server() */
#include "memory_object_default.h"       /* generated: memory_object_create ... */

#define UT_DP_PAGE      4096u
#define UT_DP_WAIT_MS   10000 /* for an answer on the control port */
#define UT_DP_LOOKUP_MS 3000  /* for the pager's name (it registers at once) */

enum { UT_DP_SUPPLY = 1, UT_DP_UNAVAILABLE, UT_DP_ERROR };

/* The last answer the pager sent on a control port. */
static struct {
    int kind;            /* UT_DP_SUPPLY ... */
    mach_port_t control; /* the port it came on */
    vm_offset_t offset;
    vm_size_t size;
    vm_address_t data; /* supply: the page, ours to deallocate */
    vm_prot_t lock;
    boolean_t precious;
    kern_return_t error;
} ut_dp_answer;

/* ---- memory_object_control.defs, served by the test ---- */

/* Records an answer of KIND for [offset, offset + size) on CONTROL (the
 * routine adds what is its own). */
static inline void
ut_dp_note_answer(int kind, mach_port_t control, vm_offset_t offset, vm_size_t size)
{
    ut_dp_answer.kind = kind;
    ut_dp_answer.control = control;
    ut_dp_answer.offset = offset;
    ut_dp_answer.size = size;
}

kern_return_t
memory_object_data_supply(mach_port_t control, vm_offset_t offset, vm_offset_t data,
                          mach_msg_type_number_t dataCnt, vm_prot_t lock_value, boolean_t precious,
                          mach_port_t reply_to)
{
    UT_EQ(reply_to, MACH_PORT_NULL);
    ut_dp_note_answer(UT_DP_SUPPLY, control, offset, dataCnt);
    ut_dp_answer.data = data;
    ut_dp_answer.lock = lock_value;
    ut_dp_answer.precious = precious;
    return KERN_SUCCESS;
}

kern_return_t
memory_object_data_unavailable(mach_port_t control, vm_offset_t offset, vm_size_t size)
{
    ut_dp_note_answer(UT_DP_UNAVAILABLE, control, offset, size);
    return KERN_SUCCESS;
}

kern_return_t
memory_object_data_error(mach_port_t control, vm_offset_t offset, vm_size_t size,
                         kern_return_t error_value)
{
    ut_dp_note_answer(UT_DP_ERROR, control, offset, size);
    ut_dp_answer.error = error_value;
    return KERN_SUCCESS;
}

/* The default pager locks nothing, sets no attributes, destroys nothing. */
kern_return_t
memory_object_lock_request(mach_port_t c, vm_offset_t off, vm_size_t size, int should_return,
                           boolean_t should_flush, vm_prot_t lock_value, mach_port_t reply_to)
{
    (void)c, (void)off, (void)size, (void)should_return, (void)should_flush, (void)lock_value;
    (void)reply_to;
    UT_FAIL("unexpected lock_request from the default pager");
}

kern_return_t
memory_object_ready(mach_port_t c, boolean_t may_cache, int copy_strategy)
{
    (void)c, (void)may_cache, (void)copy_strategy;
    UT_FAIL("unexpected ready from the default pager");
}

kern_return_t
memory_object_change_attributes(mach_port_t c, boolean_t may_cache, int copy_strategy,
                                mach_port_t reply_to)
{
    (void)c, (void)may_cache, (void)copy_strategy, (void)reply_to;
    UT_FAIL("unexpected change_attributes from the default pager");
}

kern_return_t
memory_object_get_attributes(mach_port_t c, boolean_t *object_ready, boolean_t *may_cache,
                             int *copy_strategy)
{
    (void)c, (void)object_ready, (void)may_cache, (void)copy_strategy;
    UT_FAIL("unexpected get_attributes from the default pager");
}

kern_return_t
memory_object_destroy(mach_port_t c, kern_return_t reason)
{
    (void)c, (void)reason;
    UT_FAIL("unexpected destroy from the default pager");
}

/* ---- the test's side ---- */

/* A send right to the default pager, from the name service. */
static inline mach_port_t
ut_dp_look_up(void)
{
    mach_port_t bootstrap = MACH_PORT_NULL, pager = MACH_PORT_NULL;
    kern_return_t kr = BOOTSTRAP_UNKNOWN_SERVICE;

    UT_KR(task_get_bootstrap_port(mach_task_self(), &bootstrap), KERN_SUCCESS);
    for (int ms = 0; ms < UT_DP_LOOKUP_MS && kr == BOOTSTRAP_UNKNOWN_SERVICE; ms += 10) {
        kr = bootstrap_look_up(bootstrap, DEFAULT_PAGER_SERVICE, &pager);
        if (kr == BOOTSTRAP_UNKNOWN_SERVICE)
            ut_sleep_ms(10);
    }
    UT_KR(kr, BOOTSTRAP_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), bootstrap), KERN_SUCCESS);
    UT_ASSERT(MACH_PORT_VALID(pager));
    return pager;
}

static inline default_pager_info_t
ut_dp_info(mach_port_t pager)
{
    default_pager_info_t info;

    memset(&info, 0xa5, sizeof(info));
    UT_KR(default_pager_info(pager, &info), KERN_SUCCESS);
    UT_EQ(info.dpi_page_size, UT_DP_PAGE);
    UT_ASSERT(info.dpi_free_space <= info.dpi_total_space);
    return info;
}

/*
 * Fails unless PAGER's counters are BEFORE's moved by the given amounts:
 * OBJECTS more objects, USED pages less free space, OUT more pages given
 * to it, REFUSED more pages held in memory for want of space; the same
 * total space and store.  Returns the counters (for the caller's other
 * checks).
 */
static inline default_pager_info_t
ut_dp_expect_info(mach_port_t pager, const default_pager_info_t *before, natural_t objects,
                  natural_t used, natural_t out, natural_t refused)
{
    default_pager_info_t now = ut_dp_info(pager);

    UT_EQ(now.dpi_total_space, before->dpi_total_space);
    UT_EQ(now.dpi_free_space, before->dpi_free_space - used);
    UT_EQ(now.dpi_objects, before->dpi_objects + objects);
    UT_EQ(now.dpi_disk, before->dpi_disk);
    UT_EQ(now.dpi_pages_out, before->dpi_pages_out + out);
    UT_EQ(now.dpi_refused, before->dpi_refused + refused);
    return now;
}

/*
 * A new object of SIZE bytes at PAGER: *object keeps a send right to its
 * port, whose receive right went to the pager; *control is a new port of
 * ours (queue limit raised: a multi-page data_request answers with one
 * message per page) from which the request made a send right.
 */
static inline void
ut_dp_object_create(mach_port_t pager, vm_size_t size, mach_port_t *object, mach_port_t *control)
{
    mach_port_t self = mach_task_self();

    *object = ut_port_send();
    *control = ut_port();
    UT_KR(mach_port_set_qlimit(self, *control, MACH_PORT_QLIMIT_MAX), KERN_SUCCESS);
    UT_KR(memory_object_create(pager, *object, size, *control, UT_DP_PAGE), KERN_SUCCESS);
    UT_EQ(ut_type(*object), MACH_PORT_TYPE_SEND); /* the receive right went with the message */
    UT_EQ(ut_refs(*object, MACH_PORT_RIGHT_SEND), 1);
}

/* Byte J of the test page with SEED (its first 8 bytes are the seed). */
static inline uint8_t
ut_dp_byte(uint32_t seed, uint32_t j)
{
    return j < 8 ? (uint8_t)((uint64_t)seed >> (8 * j)) : (uint8_t)(seed * 131 + j * 7 + (j >> 8));
}

/* A new page of ours (vm_allocate) holding the pattern SEED. */
static inline vm_address_t
ut_dp_page(uint32_t seed)
{
    vm_address_t page = 0;

    UT_KR(vm_allocate(mach_task_self(), &page, UT_DP_PAGE, TRUE), KERN_SUCCESS);
    for (uint32_t j = 0; j < UT_DP_PAGE; j++)
        ((uint8_t *)page)[j] = ut_dp_byte(seed, j);
    return page;
}

/* Fails unless PAGE holds the pattern SEED. */
static inline void
ut_dp_expect_pattern(vm_address_t page, uint32_t seed)
{
    for (uint32_t j = 0; j < UT_DP_PAGE; j++) {
        if (((uint8_t *)page)[j] != ut_dp_byte(seed, j))
            UT_FAIL("byte %u is %#x, expected %#x (seed %u)", j, ((uint8_t *)page)[j],
                    ut_dp_byte(seed, j), seed);
    }
}

/* Sends the page with pattern SEED at OFFSET of OBJECT (the message takes
 * the page away): data_initialize if INITIALIZE, else data_return. */
static inline void
ut_dp_put(mach_port_t object, mach_port_t control, vm_offset_t offset, uint32_t seed,
          int initialize)
{
    vm_address_t page = ut_dp_page(seed);

    if (initialize)
        UT_KR(memory_object_data_initialize(object, control, offset, page, UT_DP_PAGE),
              KERN_SUCCESS);
    else
        UT_KR(memory_object_data_return(object, control, offset, page, UT_DP_PAGE, TRUE, FALSE),
              KERN_SUCCESS);
}

static inline void
ut_dp_request(mach_port_t object, mach_port_t control, vm_offset_t offset, vm_size_t length)
{
    UT_KR(memory_object_data_request(object, control, offset, length, VM_PROT_READ | VM_PROT_WRITE),
          KERN_SUCCESS);
}

/* Receives one answer on CONTROL within TIMEOUT ms into ut_dp_answer;
 * returns the receive's code (MACH_RCV_TIMED_OUT when none came). */
static inline mach_msg_return_t
ut_dp_receive(mach_port_t control, mach_msg_timeout_t timeout)
{
    union {
        mach_msg_header_t h;
        char space[4096];
    } in, out;
    mach_msg_return_t mr;

    memset(&ut_dp_answer, 0, sizeof(ut_dp_answer));
    mr = mach_msg(&in.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(in), control, timeout,
                  MACH_PORT_NULL);
    if (mr != MACH_MSG_SUCCESS)
        return mr;
    UT_ASSERT(memory_object_control_server(&in.h, &out.h));
    /* A simpleroutine that succeeded: nothing to send back. */
    UT_EQ(((mig_reply_error_t *)&out.h)->RetCode, MIG_NO_REPLY);
    UT_EQ(ut_dp_answer.control, control);
    return MACH_MSG_SUCCESS;
}

/* The next answer on CONTROL must be of KIND for [offset, offset + size). */
static inline void
ut_dp_expect_answer(mach_port_t control, int kind, vm_offset_t offset, vm_size_t size)
{
    UT_KR(ut_dp_receive(control, UT_DP_WAIT_MS), MACH_MSG_SUCCESS);
    UT_EQ(ut_dp_answer.kind, kind);
    UT_EQ(ut_dp_answer.offset, offset);
    UT_EQ(ut_dp_answer.size, size);
}

/* The next answer on CONTROL must be a supply of the page at OFFSET with
 * pattern SEED, unlocked and not precious. */
static inline void
ut_dp_expect_supply(mach_port_t control, vm_offset_t offset, uint32_t seed)
{
    ut_dp_expect_answer(control, UT_DP_SUPPLY, offset, UT_DP_PAGE);
    UT_EQ(ut_dp_answer.lock, VM_PROT_NONE);
    UT_EQ(ut_dp_answer.precious, FALSE);
    ut_dp_expect_pattern(ut_dp_answer.data, seed);
    UT_KR(vm_deallocate(mach_task_self(), ut_dp_answer.data, ut_dp_answer.size), KERN_SUCCESS);
}

/* The next answer on CONTROL must be data_unavailable for [offset, +size). */
static inline void
ut_dp_expect_unavailable(mach_port_t control, vm_offset_t offset, vm_size_t size)
{
    ut_dp_expect_answer(control, UT_DP_UNAVAILABLE, offset, size);
}

/* No answer is queued on CONTROL. */
static inline void
ut_dp_expect_nothing(mach_port_t control)
{
    UT_KR(ut_dp_receive(control, 0), MACH_RCV_TIMED_OUT);
}

/* Waits (up to 5 s) until our send right NAME is a dead name -- the
 * pager has destroyed the port's receive right -- and drops it. */
static inline void
ut_dp_wait_dead(mach_port_t name)
{
    for (int ms = 0; ms < 5000 && ut_type(name) != MACH_PORT_TYPE_DEAD_NAME; ms += 10)
        ut_sleep_ms(10);
    UT_EQ(ut_type(name), MACH_PORT_TYPE_DEAD_NAME);
    UT_KR(mach_port_deallocate(mach_task_self(), name), KERN_SUCCESS);
}

/*
 * memory_object_terminate of OBJECT, then waits (up to 5 s) until the
 * pager has ended it: default_pager_info shows OBJECTS objects and the
 * object's port is dead.  Drops our dead name for it.
 */
static inline void
ut_dp_terminate(mach_port_t pager, mach_port_t object, mach_port_t control, natural_t objects)
{
    int ms = 0;

    UT_KR(memory_object_terminate(object, control), KERN_SUCCESS);
    while (ut_dp_info(pager).dpi_objects != objects && ms < 5000) {
        ut_sleep_ms(10);
        ms += 10;
    }
    UT_EQ(ut_dp_info(pager).dpi_objects, objects);
    UT_EQ(ut_type(object), MACH_PORT_TYPE_DEAD_NAME);
    UT_KR(memory_object_data_request(object, control, 0, UT_DP_PAGE, VM_PROT_READ),
          MACH_SEND_INVALID_DEST);
    UT_KR(mach_port_deallocate(mach_task_self(), object), KERN_SUCCESS);
}

#endif

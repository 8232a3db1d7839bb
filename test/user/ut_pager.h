/* SPDX-License-Identifier: MIT */
/*
 * Helpers of the pager tests (pager_*.c; test/user/CMakeLists.txt gives
 * them the generated memory_object server stubs, the memory_object_control
 * client stubs and the exc server stubs).  A test defines the routines it
 * expects the kernel to send: always memory_object_init, _terminate and
 * _data_request.  The others fail the test here (defined in this header:
 * each test is one program) unless the test defines them itself; it says
 * so by defining, before including this header, the matching
 *
 *   UT_PAGER_DEFINES_DATA_UNLOCK       memory_object_data_unlock
 *   UT_PAGER_DEFINES_LOCK_COMPLETED    memory_object_lock_completed
 *   UT_PAGER_DEFINES_SUPPLY_COMPLETED  memory_object_supply_completed
 *   UT_PAGER_DEFINES_DATA_RETURN       memory_object_data_return
 *   UT_PAGER_DEFINES_CHANGE_COMPLETED  memory_object_change_completed
 */
#ifndef UT_PAGER_H
#define UT_PAGER_H

#include "ut_exc.h"
#include "memory_objectServer.h"   /* generated: memory_object_server() */
#include "memory_object_control.h" /* generated: memory_object_data_supply() ... */

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

#endif

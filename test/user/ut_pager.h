/* SPDX-License-Identifier: MIT */
/*
 * Helpers of the pager tests (pager_*.c; test/user/CMakeLists.txt gives
 * them the generated memory_object server stubs, the memory_object_control
 * client stubs and the exc server stubs).  A test defines the routines the
 * kernel sends today (memory_object_init, _terminate, _data_request); the
 * ones it does not send yet fail the test here (defined in this header:
 * each test is one program).
 */
#ifndef UT_PAGER_H
#define UT_PAGER_H

#include "ut_exc.h"
#include "memory_objectServer.h"   /* generated: memory_object_server() */
#include "memory_object_control.h" /* generated: memory_object_data_supply() ... */

/* Not sent by the kernel yet (writes, lock_request, pageout). */
kern_return_t
memory_object_data_unlock(mach_port_t o, mach_port_t c, vm_offset_t off, vm_size_t len, vm_prot_t a)
{
    (void)o, (void)c, (void)off, (void)len, (void)a;
    UT_FAIL("unexpected data_unlock");
}

kern_return_t
memory_object_lock_completed(mach_port_t o, mach_port_t c, vm_offset_t off, vm_size_t len)
{
    (void)o, (void)c, (void)off, (void)len;
    UT_FAIL("unexpected lock_completed");
}

kern_return_t
memory_object_supply_completed(mach_port_t o, mach_port_t c, vm_offset_t off, vm_size_t len,
                               kern_return_t result, vm_offset_t error_offset)
{
    (void)o, (void)c, (void)off, (void)len, (void)result, (void)error_offset;
    UT_FAIL("unexpected supply_completed");
}

kern_return_t
memory_object_data_return(mach_port_t o, mach_port_t c, vm_offset_t off, vm_offset_t data,
                          mach_msg_type_number_t dataCnt, boolean_t dirty, boolean_t kernel_copy)
{
    (void)o, (void)c, (void)off, (void)data, (void)dataCnt, (void)dirty, (void)kernel_copy;
    UT_FAIL("unexpected data_return");
}

kern_return_t
memory_object_change_completed(mach_port_t o, boolean_t may_cache, int strategy)
{
    (void)o, (void)may_cache, (void)strategy;
    UT_FAIL("unexpected change_completed");
}

#endif

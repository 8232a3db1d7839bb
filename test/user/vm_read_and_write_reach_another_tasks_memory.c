/* SPDX-License-Identifier: MIT */
/*
 * A task that holds another task's port manages its memory: vm_allocate
 * in a child made by task_create, vm_write data into it, vm_read it back
 * (out of line, ours to vm_deallocate), read part of it, and see a
 * read-only page refuse vm_write with KERN_PROTECTION_FAILURE while its
 * contents stay as they were.
 */
#include "ut_vm.h"

#define NPAGES 3

int
main(void)
{
    mach_port_t self = mach_task_self();
    vm_address_t here = 0, there = 0;
    vm_offset_t data = 0;
    mach_msg_type_number_t count = 0;

    ut_stats_begin();
    task_t child = ut_child_task();
    UT_KR(vm_allocate(self, &here, NPAGES * UT_PAGE, TRUE), KERN_SUCCESS);
    UT_KR(vm_allocate(child, &there, NPAGES * UT_PAGE, TRUE), KERN_SUCCESS);
    UT_ASSERT(there != 0);

    // Fresh memory reads as zeros.
    UT_KR(vm_read(child, there, UT_PAGE, &data, &count), KERN_SUCCESS);
    UT_EQ(count, UT_PAGE);
    for (size_t i = 0; i < UT_PAGE; i++)
        UT_EQ(((unsigned char *)data)[i], 0);
    UT_KR(vm_deallocate(self, data, count), KERN_SUCCESS);

    ut_vm_fill((void *)here, NPAGES * UT_PAGE, 7);
    UT_KR(vm_write(child, there, here, NPAGES * UT_PAGE), KERN_SUCCESS);
    ut_vm_check((void *)here, NPAGES * UT_PAGE, 7); // the source is untouched

    UT_KR(vm_read(child, there, NPAGES * UT_PAGE, &data, &count), KERN_SUCCESS);
    UT_EQ(count, NPAGES * UT_PAGE);
    UT_ASSERT(data != here);
    ut_vm_check((void *)data, NPAGES * UT_PAGE, 7);
    ((unsigned char *)data)[0] ^= 0xff; // our copy is ours: the child keeps its byte
    UT_KR(vm_deallocate(self, data, count), KERN_SUCCESS);

    // The middle page alone.
    UT_KR(vm_read(child, there + UT_PAGE, UT_PAGE, &data, &count), KERN_SUCCESS);
    UT_EQ(count, UT_PAGE);
    UT_EQ(memcmp((void *)data, (void *)(here + UT_PAGE), UT_PAGE), 0);
    UT_KR(vm_deallocate(self, data, count), KERN_SUCCESS);

    // A read-only page refuses the write; nothing changes, not even the
    // writable pages before it.
    UT_KR(vm_protect(child, there + 2 * UT_PAGE, UT_PAGE, FALSE, VM_PROT_READ), KERN_SUCCESS);
    ut_vm_fill((void *)here, NPAGES * UT_PAGE, 99);
    UT_KR(vm_write(child, there, here, NPAGES * UT_PAGE), KERN_PROTECTION_FAILURE);
    UT_KR(vm_read(child, there, NPAGES * UT_PAGE, &data, &count), KERN_SUCCESS);
    ut_vm_check((void *)data, NPAGES * UT_PAGE, 7);
    UT_KR(vm_deallocate(self, data, count), KERN_SUCCESS);

    // Write access alone is not read access.
    UT_KR(vm_protect(child, there, UT_PAGE, FALSE, VM_PROT_NONE), KERN_SUCCESS);
    data = 0;
    UT_KR(vm_read(child, there, UT_PAGE, &data, &count), KERN_PROTECTION_FAILURE);
    UT_EQ(data, 0);

    UT_KR(vm_deallocate(self, here, NPAGES * UT_PAGE), KERN_SUCCESS);
    ut_child_end(child);
    ut_stats_settle_baseline();
    return ut_pass();
}

/* SPDX-License-Identifier: MIT */
/*
 * vm_copy copies whole pages within a task: a region larger than the
 * kernel's bounce buffer arrives intact, overlapping copies in either
 * direction give the source as it was before the call (memmove), and a
 * destination that is not writable or a source that is not mapped fails
 * with the exact code and changes nothing.
 */
#include "ut_vm.h"

#define NPAGES 24 /* 96 KiB: more than one 64 KiB chunk */
#define SIZE   (NPAGES * UT_PAGE)

int
main(void)
{
    mach_port_t self = mach_task_self();
    vm_address_t src = 0, dst = 0, ref = 0;

    ut_stats_begin();
    UT_KR(vm_allocate(self, &src, SIZE + 4 * UT_PAGE, TRUE), KERN_SUCCESS);
    UT_KR(vm_allocate(self, &dst, SIZE, TRUE), KERN_SUCCESS);
    UT_KR(vm_allocate(self, &ref, SIZE + 4 * UT_PAGE, TRUE), KERN_SUCCESS);

    ut_vm_fill((void *)src, SIZE, 3);
    UT_KR(vm_copy(self, src, SIZE, dst), KERN_SUCCESS);
    ut_vm_check((void *)dst, SIZE, 3);
    ut_vm_check((void *)src, SIZE, 3);

    // Overlap, destination above the source (copied from the top down).
    ut_vm_fill((void *)src, SIZE + 4 * UT_PAGE, 5);
    memcpy((void *)ref, (void *)src, SIZE + 4 * UT_PAGE);
    memmove((void *)(ref + 3 * UT_PAGE), (void *)ref, SIZE);
    UT_KR(vm_copy(self, src, SIZE, src + 3 * UT_PAGE), KERN_SUCCESS);
    UT_EQ(memcmp((void *)src, (void *)ref, SIZE + 4 * UT_PAGE), 0);

    // Overlap, destination below the source.
    ut_vm_fill((void *)src, SIZE + 4 * UT_PAGE, 9);
    memcpy((void *)ref, (void *)src, SIZE + 4 * UT_PAGE);
    memmove((void *)ref, (void *)(ref + 2 * UT_PAGE), SIZE);
    UT_KR(vm_copy(self, src + 2 * UT_PAGE, SIZE, src), KERN_SUCCESS);
    UT_EQ(memcmp((void *)src, (void *)ref, SIZE + 4 * UT_PAGE), 0);

    // A read-only page in the destination: refused before any byte moves.
    ut_vm_fill((void *)dst, SIZE, 11);
    UT_KR(vm_protect(self, dst + SIZE - UT_PAGE, UT_PAGE, FALSE, VM_PROT_READ), KERN_SUCCESS);
    UT_KR(vm_copy(self, src, SIZE, dst), KERN_PROTECTION_FAILURE);
    ut_vm_check((void *)dst, SIZE, 11);

    // An unmapped source page.
    UT_KR(vm_protect(self, dst + SIZE - UT_PAGE, UT_PAGE, FALSE, VM_PROT_DEFAULT), KERN_SUCCESS);
    UT_KR(vm_deallocate(self, ref, SIZE + 4 * UT_PAGE), KERN_SUCCESS);
    UT_KR(vm_copy(self, ref, SIZE, dst), KERN_INVALID_ADDRESS);
    ut_vm_check((void *)dst, SIZE, 11);

    // Unaligned arguments.
    UT_KR(vm_copy(self, src + 1, UT_PAGE, dst), KERN_INVALID_ARGUMENT);
    UT_KR(vm_copy(self, src, UT_PAGE + 1, dst), KERN_INVALID_ARGUMENT);
    UT_KR(vm_copy(self, src, UT_PAGE, dst + 8), KERN_INVALID_ARGUMENT);
    ut_vm_check((void *)dst, SIZE, 11);

    UT_KR(vm_deallocate(self, src, SIZE + 4 * UT_PAGE), KERN_SUCCESS);
    UT_KR(vm_deallocate(self, dst, SIZE), KERN_SUCCESS);
    ut_stats_expect_baseline();
    return ut_pass();
}

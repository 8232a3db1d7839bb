/* SPDX-License-Identifier: MIT */
/*
 * vm_map with no memory object maps new zero-filled memory: anywhere,
 * aligned as the mask asks, with the protections and inheritance given;
 * or at a fixed address, where an overlap is KERN_NO_SPACE and changes
 * nothing.  A memory object with an unaligned offset, or a kernel port as
 * a memory object, is refused with KERN_INVALID_ARGUMENT before any pager
 * hears of it, and the right sent with it is not lost (pager_*.c map real
 * memory objects).
 */
#include "ut_vm.h"

#define SIZE  (4 * UT_PAGE)
#define ALIGN (1ul << 20)

int
main(void)
{
    mach_port_t self = mach_task_self();
    vm_address_t a = 0, b, c;

    ut_stats_begin();
    UT_KR(vm_map(self, &a, SIZE, ALIGN - 1, TRUE, MACH_PORT_NULL, 0, FALSE,
                 VM_PROT_READ | VM_PROT_WRITE, VM_PROT_ALL, VM_INHERIT_SHARE),
          KERN_SUCCESS);
    UT_ASSERT(a != 0);
    UT_EQ(a % ALIGN, 0);
    for (size_t i = 0; i < SIZE; i++)
        UT_EQ(((volatile unsigned char *)a)[i], 0);
    ((volatile char *)a)[SIZE - 1] = 42;
    ut_region_t r = ut_region(self, a);
    UT_EQ(r.addr, a);
    UT_EQ(r.size, SIZE);
    UT_EQ(r.prot, VM_PROT_READ | VM_PROT_WRITE);
    UT_EQ(r.max_prot, VM_PROT_ALL);
    UT_EQ(r.inh, VM_INHERIT_SHARE);

    // Fixed, at a free address (just above a), with other protections.
    b = a + SIZE + UT_PAGE;
    UT_KR(vm_map(self, &b, UT_PAGE, 0, FALSE, MACH_PORT_NULL, 0, FALSE, VM_PROT_READ, VM_PROT_READ,
                 VM_INHERIT_NONE),
          KERN_SUCCESS);
    UT_EQ(b, a + SIZE + UT_PAGE);
    r = ut_region(self, b);
    UT_EQ(r.addr, b);
    UT_EQ(r.prot, VM_PROT_READ);
    UT_EQ(r.max_prot, VM_PROT_READ);
    UT_EQ(r.inh, VM_INHERIT_NONE);
    UT_EQ(*(volatile unsigned char *)b, 0);

    // Fixed and overlapping a: KERN_NO_SPACE, a keeps its memory.
    c = a + UT_PAGE;
    UT_KR(vm_map(self, &c, UT_PAGE, 0, FALSE, MACH_PORT_NULL, 0, FALSE, VM_PROT_DEFAULT,
                 VM_PROT_ALL, VM_INHERIT_COPY),
          KERN_NO_SPACE);
    UT_EQ(c, a + UT_PAGE);
    UT_EQ(((volatile char *)a)[SIZE - 1], 42);
    r = ut_region(self, a);
    UT_EQ(r.size, SIZE);
    UT_EQ(r.inh, VM_INHERIT_SHARE);

    // Bad arguments, each with its code and no mapping made.
    c = 0;
    UT_KR(vm_map(self, &c, 0, 0, TRUE, MACH_PORT_NULL, 0, FALSE, VM_PROT_DEFAULT, VM_PROT_ALL,
                 VM_INHERIT_COPY),
          KERN_INVALID_ARGUMENT); // size 0
    UT_KR(vm_map(self, &c, UT_PAGE, 0x1001, TRUE, MACH_PORT_NULL, 0, FALSE, VM_PROT_DEFAULT,
                 VM_PROT_ALL, VM_INHERIT_COPY),
          KERN_INVALID_ARGUMENT); // mask + 1 not a power of two
    UT_KR(vm_map(self, &c, UT_PAGE, 0, TRUE, MACH_PORT_NULL, 0, FALSE, VM_PROT_ALL, VM_PROT_READ,
                 VM_INHERIT_COPY),
          KERN_INVALID_ARGUMENT); // cur not within max
    UT_KR(vm_map(self, &c, UT_PAGE, 0, TRUE, MACH_PORT_NULL, 0, FALSE, 0x10, VM_PROT_ALL,
                 VM_INHERIT_COPY),
          KERN_INVALID_ARGUMENT); // protection bits
    UT_KR(vm_map(self, &c, UT_PAGE, 0, TRUE, MACH_PORT_NULL, 0, FALSE, VM_PROT_DEFAULT, VM_PROT_ALL,
                 7),
          KERN_INVALID_ARGUMENT); // inheritance
    c = ~0ul - UT_PAGE + 1;
    UT_KR(vm_map(self, &c, 2 * UT_PAGE, 0, FALSE, MACH_PORT_NULL, 0, FALSE, VM_PROT_DEFAULT,
                 VM_PROT_ALL, VM_INHERIT_COPY),
          KERN_INVALID_ARGUMENT); // fixed and wraps
    c = 0xffff800000000000ul;
    UT_KR(vm_map(self, &c, UT_PAGE, 0, FALSE, MACH_PORT_NULL, 0, FALSE, VM_PROT_DEFAULT,
                 VM_PROT_ALL, VM_INHERIT_COPY),
          KERN_NO_SPACE); // fixed, in the kernel's half
    UT_EQ(c, 0xffff800000000000ul);

    // A memory object at an unaligned offset is refused; our right stays
    // (nobody receives on obj: a pager would have got memory_object_init).
    mach_port_name_t obj = ut_port_send();
    c = 0;
    UT_KR(vm_map(self, &c, UT_PAGE, 0, TRUE, obj, 100, FALSE, VM_PROT_DEFAULT, VM_PROT_ALL,
                 VM_INHERIT_COPY),
          KERN_INVALID_ARGUMENT);
    UT_EQ(c, 0);
    // A kernel object's port is no memory object.
    UT_KR(vm_map(self, &c, UT_PAGE, 0, TRUE, self, 0, FALSE, VM_PROT_DEFAULT, VM_PROT_ALL,
                 VM_INHERIT_COPY),
          KERN_INVALID_ARGUMENT);
    UT_EQ(c, 0);
    UT_EQ(ut_status(obj).mps_msgcount, 0);
    UT_EQ(ut_refs(obj, MACH_PORT_RIGHT_SEND), 1);
    UT_KR(mach_port_mod_refs(self, obj, MACH_PORT_RIGHT_SEND, -1), KERN_SUCCESS);
    UT_KR(mach_port_mod_refs(self, obj, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);

    UT_KR(vm_deallocate(self, a, SIZE), KERN_SUCCESS);
    UT_KR(vm_deallocate(self, b, UT_PAGE), KERN_SUCCESS);
    ut_stats_expect_baseline();
    return ut_pass();
}

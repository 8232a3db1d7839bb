/* SPDX-License-Identifier: MIT */
/*
 * vm_region reports each region of another task's address space as it was
 * mapped: start, size, current and maximum protection after vm_protect,
 * inheritance after vm_inherit, no object name for anonymous memory, the
 * offset into the region's object.  An address in a gap reports the next
 * region up; past the last region, KERN_NO_SPACE with nothing written.
 */
#include "ut_vm.h"

#define BASE 0x10000000ul

int
main(void)
{
    ut_stats_begin();
    task_t child = ut_child_task(); // an empty map: every region is ours
    vm_address_t a = BASE, b = BASE + 16 * UT_PAGE;

    UT_KR(vm_allocate(child, &a, 3 * UT_PAGE, FALSE), KERN_SUCCESS);
    UT_KR(vm_allocate(child, &b, UT_PAGE, FALSE), KERN_SUCCESS);
    UT_EQ(a, BASE);
    UT_EQ(b, BASE + 16 * UT_PAGE);

    ut_region_t r = ut_region(child, 0); // below everything: the first region
    UT_EQ(r.addr, a);
    UT_EQ(r.size, 3 * UT_PAGE);
    UT_EQ(r.prot, VM_PROT_DEFAULT);
    UT_EQ(r.max_prot, VM_PROT_ALL);
    UT_EQ(r.inh, VM_INHERIT_COPY);
    UT_EQ(r.shared, FALSE);
    UT_EQ(r.name, MACH_PORT_NULL);

    // Read-only middle page, maximum lowered on the last one, NONE on the last.
    UT_KR(vm_protect(child, a + UT_PAGE, UT_PAGE, FALSE, VM_PROT_READ), KERN_SUCCESS);
    UT_KR(vm_protect(child, a + 2 * UT_PAGE, UT_PAGE, TRUE, VM_PROT_READ), KERN_SUCCESS);
    UT_KR(vm_inherit(child, a + 2 * UT_PAGE, UT_PAGE, VM_INHERIT_NONE), KERN_SUCCESS);
    UT_KR(vm_inherit(child, b, UT_PAGE, VM_INHERIT_SHARE), KERN_SUCCESS);

    r = ut_region(child, a + 100); // inside the first page
    UT_EQ(r.addr, a);
    UT_EQ(r.size, UT_PAGE);
    UT_EQ(r.prot, VM_PROT_READ | VM_PROT_WRITE);
    UT_EQ(r.offset, 0);

    r = ut_region(child, a + UT_PAGE);
    UT_EQ(r.addr, a + UT_PAGE);
    UT_EQ(r.size, UT_PAGE);
    UT_EQ(r.prot, VM_PROT_READ);
    UT_EQ(r.max_prot, VM_PROT_ALL);
    UT_EQ(r.inh, VM_INHERIT_COPY);
    UT_EQ(r.offset, UT_PAGE); // the same object, one page in

    r = ut_region(child, a + 2 * UT_PAGE + 5);
    UT_EQ(r.addr, a + 2 * UT_PAGE);
    UT_EQ(r.size, UT_PAGE);
    UT_EQ(r.prot, VM_PROT_READ);
    UT_EQ(r.max_prot, VM_PROT_READ);
    UT_EQ(r.inh, VM_INHERIT_NONE);

    r = ut_region(child, a + 3 * UT_PAGE); // in the gap: the next region
    UT_EQ(r.addr, b);
    UT_EQ(r.size, UT_PAGE);
    UT_EQ(r.inh, VM_INHERIT_SHARE);
    UT_EQ(r.offset, 0);

    // Past the last region: KERN_NO_SPACE, and the out arguments untouched.
    vm_address_t addr = b + UT_PAGE;
    vm_size_t size = 77;
    vm_prot_t prot = 77, max = 77;
    vm_inherit_t inh = 77;
    boolean_t shared = 77;
    mach_port_t name = 77;
    vm_offset_t off = 77;
    UT_KR(vm_region(child, &addr, &size, &prot, &max, &inh, &shared, &name, &off), KERN_NO_SPACE);
    UT_EQ(addr, b + UT_PAGE);
    UT_EQ(size, 77);
    UT_EQ(name, 77);
    addr = ~0ul - UT_PAGE + 1;
    UT_KR(vm_region(child, &addr, &size, &prot, &max, &inh, &shared, &name, &off), KERN_NO_SPACE);

    // Our own map has regions too (text, stack, heap): the call works on self.
    r = ut_region(mach_task_self(), 0);
    UT_ASSERT(r.size != 0 && r.addr % UT_PAGE == 0);

    ut_child_end(child);
    ut_stats_settle_baseline();
    return ut_pass();
}

/* SPDX-License-Identifier: MIT
 *
 * Helpers for the VM call tests in test/user/ (vm_*.c), on top of
 * ut_ports.h:
 *
 *   UT_PAGE                     the page size
 *   ut_vm_fill(p, n, seed)      a byte pattern of seed in [p, p+n)
 *   ut_vm_check(p, n, seed)     the pattern is there (fails the test if not)
 *   ut_region(task, addr)       vm_region at addr, checked to succeed
 */
#ifndef UT_VM_H
#define UT_VM_H

#include "ut_ports.h"

#define UT_PAGE 4096ul

typedef struct {
    vm_address_t addr;
    vm_size_t size;
    vm_prot_t prot, max_prot;
    vm_inherit_t inh;
    boolean_t shared;
    mach_port_t name;
    vm_offset_t offset;
} ut_region_t;

static inline unsigned char
ut_vm_byte(size_t i, unsigned seed)
{
    return (unsigned char)((i * 131 + (i >> 12) * 7 + seed) & 0xff);
}

static inline void
ut_vm_fill(void *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        ((unsigned char *)p)[i] = ut_vm_byte(i, seed);
}

static inline void
ut_vm_check(const void *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) {
        if (((const unsigned char *)p)[i] != ut_vm_byte(i, seed))
            UT_FAIL("byte %zu of %p is %#x, expected %#x (seed %u)", i, p,
                    ((const unsigned char *)p)[i], ut_vm_byte(i, seed), seed);
    }
}

static inline ut_region_t
ut_region(task_t task, vm_address_t addr)
{
    ut_region_t r = {.addr = addr};

    UT_KR(vm_region(task, &r.addr, &r.size, &r.prot, &r.max_prot, &r.inh, &r.shared, &r.name,
                    &r.offset),
          KERN_SUCCESS);
    return r;
}

#endif

/* SPDX-License-Identifier: MIT
 *
 * Helpers for the out-of-line memory tests in test/user/ (ool_*.c), on top
 * of ut_msg.h:
 *
 *   ut_ool_msg_t                    a message with one OOL descriptor
 *   ut_ool_send(dest, a, n, dealloc, opt)
 *                                   send [a, a+n) out of line (VIRTUAL_COPY)
 *   ut_ool_region(n, seed)          vm_allocate n bytes, every page touched
 *                                   and filled with a pattern of seed
 *   ut_ool_expect(a, n, seed)       the pattern is there
 *   ut_ool_mapped(a, n)             is any of [a, a+n) mapped? (a fixed
 *                                   vm_allocate there fails iff it is)
 *   ut_free_pages()                 vm_statistics' free_count
 *
 * The pattern: every 32-bit word of a page holds page ^ word ^ seed when
 * the region is small (ut_ool_region fills every word up to
 * UT_OOL_FULL_FILL bytes), else only the first, a middle and the last word
 * of each page, which keeps a 64 MiB test fast under emulation.
 */
#ifndef UT_OOL_H
#define UT_OOL_H

#include "ut_msg.h"

#define UT_MIB           (1024u * 1024u)
#define UT_OOL_FULL_FILL (4u * UT_MIB)

typedef struct {
    mach_msg_header_t h;
    mach_msg_body_t body;
    mach_msg_ool_descriptor_t ool;
} ut_ool_msg_t;

static inline mach_msg_return_t
ut_ool_send(mach_port_name_t dest, vm_address_t addr, vm_size_t size, boolean_t dealloc,
            mach_msg_option_t option)
{
    ut_ool_msg_t m;

    memset(&m, 0, sizeof(m));
    m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
    m.h.msgh_size = sizeof(m);
    m.h.msgh_remote_port = dest;
    m.h.msgh_id = 7;
    m.body.msgh_descriptor_count = 1;
    m.ool.address = (void *)addr;
    m.ool.size = (mach_msg_size_t)size;
    m.ool.deallocate = dealloc;
    m.ool.copy = MACH_MSG_VIRTUAL_COPY;
    m.ool.type = MACH_MSG_OOL_DESCRIPTOR;
    return mach_msg(&m.h, MACH_SEND_MSG | option, sizeof(m), 0, MACH_PORT_NULL,
                    MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

static inline uint32_t
ut_ool_word(vm_size_t i, uint32_t seed)
{
    return (uint32_t)((i / (UT_PAGE / 4)) * 0x9e3779b1u) ^ (uint32_t)i ^ seed;
}

/* The indices of the words the pattern covers in page p of a big region. */
static inline void
ut_ool_sparse(vm_size_t p, vm_size_t idx[3])
{
    idx[0] = p * (UT_PAGE / 4);
    idx[1] = idx[0] + (p * 7) % (UT_PAGE / 4);
    idx[2] = idx[0] + UT_PAGE / 4 - 1;
}

static inline void
ut_ool_fill(vm_address_t addr, vm_size_t size, uint32_t seed)
{
    uint32_t *w = (uint32_t *)addr;
    vm_size_t idx[3];

    if (size <= UT_OOL_FULL_FILL) {
        for (vm_size_t i = 0; i < size / 4; i++)
            w[i] = ut_ool_word(i, seed);
        return;
    }
    for (vm_size_t p = 0; p < size / UT_PAGE; p++) {
        ut_ool_sparse(p, idx);
        for (int k = 0; k < 3; k++)
            w[idx[k]] = ut_ool_word(idx[k], seed);
    }
}

static inline vm_address_t
ut_ool_region(vm_size_t size, uint32_t seed)
{
    vm_address_t addr = 0;

    UT_KR(vm_allocate(mach_task_self(), &addr, size, TRUE), KERN_SUCCESS);
    ut_ool_fill(addr, size, seed);
    return addr;
}

static inline void
ut_ool_expect(vm_address_t addr, vm_size_t size, uint32_t seed)
{
    const uint32_t *w = (const uint32_t *)addr;
    vm_size_t idx[3];

    if (size <= UT_OOL_FULL_FILL) {
        for (vm_size_t i = 0; i < size / 4; i++) {
            if (w[i] != ut_ool_word(i, seed))
                UT_FAIL("word %lu of %#lx: expected %#x, got %#x", (unsigned long)i,
                        (unsigned long)addr, ut_ool_word(i, seed), w[i]);
        }
        return;
    }
    for (vm_size_t p = 0; p < size / UT_PAGE; p++) {
        ut_ool_sparse(p, idx);
        for (int k = 0; k < 3; k++) {
            if (w[idx[k]] != ut_ool_word(idx[k], seed))
                UT_FAIL("word %lu of %#lx: expected %#x, got %#x", (unsigned long)idx[k],
                        (unsigned long)addr, ut_ool_word(idx[k], seed), w[idx[k]]);
        }
    }
}

static inline int
ut_ool_mapped(vm_address_t addr, vm_size_t size)
{
    vm_address_t at = addr;
    kern_return_t kr = vm_allocate(mach_task_self(), &at, size, FALSE);

    if (kr == KERN_SUCCESS) {
        UT_KR(vm_deallocate(mach_task_self(), at, size), KERN_SUCCESS);
        return 0;
    }
    UT_KR(kr, KERN_NO_SPACE);
    return 1;
}

static inline unsigned long
ut_free_pages(void)
{
    vm_statistics_data_t st;

    UT_KR(vm_statistics(mach_task_self(), &st), KERN_SUCCESS);
    return (unsigned long)st.free_count;
}

#endif

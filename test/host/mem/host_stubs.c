// SPDX-License-Identifier: MIT
//
// Host stand-ins (see host_stubs.h).

#include "host_stubs.h"
#include <kern/assert.h>
#include <kern/console.h>
#include <vm/vm_page.h>
#include <vm/kmem.h>
#include <stdarg.h>

jmp_buf *host_panic_jmp;
size_t host_kpages_out;

void
panic(const char *fmt, ...)
{
    va_list ap;

    if (host_panic_jmp != NULL)
        longjmp(*host_panic_jmp, 1);
    va_start(ap, fmt);
    fprintf(stderr, "panic: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    abort();
}

int
kprintf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

// Naturally aligned like the buddy allocator's blocks, which zones rely on.
void *
vm_kpage_alloc(unsigned order)
{
    size_t bytes = (size_t)PAGE_SIZE << order;
    void *p = aligned_alloc(bytes, bytes);

    if (p != NULL)
        host_kpages_out += (size_t)1 << order;
    return p;
}

void
vm_kpage_free(void *va, unsigned order)
{
    host_kpages_out -= (size_t)1 << order;
    free(va);
}

// kalloc's large blocks: page-aligned heap memory, zeroed like kmem's.
void *
kmem_alloc(size_t size, unsigned flags)
{
    (void)flags;
    if (size == 0)
        return NULL;
    size = ROUND_UP(size, PAGE_SIZE);
    void *p = aligned_alloc(PAGE_SIZE, size);
    if (p != NULL) {
        __builtin_memset(p, 0, size);
        host_kpages_out += size / PAGE_SIZE;
    }
    return p;
}

void
kmem_free(void *va, size_t size)
{
    host_kpages_out -= ROUND_UP(size, PAGE_SIZE) / PAGE_SIZE;
    free(va);
}

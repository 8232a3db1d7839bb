/* SPDX-License-Identifier: MIT */
/*
 * sbrk() for newlib's malloc, on memory from vm_allocate.
 *
 * The first time the heap grows, heap_grow() reserves HEAP_SIZE bytes of
 * address space with one vm_allocate(anywhere); the break then rises
 * inside that range.  The kernel maps the range as zero-fill-on-demand
 * memory, so untouched heap pages cost no RAM and no page tables, and the
 * binary carries no heap in .bss.  One reservation, not one call per
 * sbrk: only the first malloc of a task makes an RPC (so a thread's first
 * malloc never creates a reply port behind a leak check's back), and the
 * heap stays contiguous, which newlib's malloc prefers.  sbrk never gives
 * memory back (newlib's malloc does not shrink below what it trimmed).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <mach/mach.h>

#define HEAP_SIZE (256UL * 1024 * 1024)

static char *heap;        /* the reservation, or NULL before the first sbrk */
static size_t heap_break; /* bytes of heap[] handed out; malloc serialises callers */

/*
 * Makes [heap, heap + new_break) usable and returns 0, or -1 when the heap
 * would pass HEAP_SIZE or the reservation cannot be made (no address
 * space, or the kernel is short of memory).
 */
static int
heap_grow(size_t new_break)
{
    vm_address_t addr = 0;

    if (new_break > HEAP_SIZE)
        return -1;
    if (heap != NULL)
        return 0; /* the whole reservation is mapped already */
    if (vm_allocate(mach_task_self(), &addr, HEAP_SIZE, TRUE) != KERN_SUCCESS)
        return -1;
    heap = (char *)addr;
    return 0;
}

/* Move the break by INCREMENT bytes (either sign); returns the old break, or
 * (void *)-1 with errno ENOMEM when the heap is full or would go below its
 * start. */
void *
sbrk(ptrdiff_t increment)
{
    size_t old = heap_break, delta = (size_t)increment;

    if (increment < 0) {
        delta = (size_t)0 - delta;
        if (delta > old)
            goto fail;
        heap_break = old - delta;
    } else {
        if (delta > HEAP_SIZE - old || heap_grow(old + delta) != 0)
            goto fail;
        heap_break = old + delta;
    }
    return heap + old;
fail:
    errno = ENOMEM;
    return (void *)-1;
}

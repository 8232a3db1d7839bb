/* SPDX-License-Identifier: MIT */
/*
 * sbrk() for newlib's malloc, on a static heap.
 *
 * Until the VM issue gives tasks vm_allocate, the heap is a fixed 32 MiB
 * array in .bss.  The kernel maps .bss as zero-fill-on-demand, so untouched
 * heap pages cost nothing.  sbrk hands it out from the bottom and never gives
 * memory back (newlib's malloc does not shrink below what it trimmed).
 * heap_grow() is the one place that changes when the heap moves to
 * vm_allocate: it then reserves address space on the first call and maps
 * more of it as the break rises.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#define HEAP_SIZE (32UL * 1024 * 1024)

static char heap[HEAP_SIZE] __attribute__((aligned(4096)));
static size_t heap_break; /* bytes of heap[] handed out; malloc serialises callers */

/*
 * VM ISSUE: replace with vm_allocate().  Makes [heap, heap + new_break)
 * usable and returns 0, or -1 when the heap would pass its limit.
 */
static int
heap_grow(size_t new_break)
{
    (void)new_break; /* the static heap is all there from the start */
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

// SPDX-License-Identifier: MIT
//
// Frame-pointer backtraces and the kernel symbol table (see backtrace.h).
//
// The symbol table is three arrays emitted by debug/gen-ksyms.sh from the
// first link of the kernel: ksyms_addrs (sorted function addresses),
// ksyms_names (offsets into ksyms_strtab) and their count.  The second link
// includes them; function addresses do not move between the two links
// because .ksyms is placed after .text (kernel.ld).

#include <debug/backtrace.h>
#include <kern/console.h>
#include <machine/vmparam.h>

extern const uint64_t ksyms_count;
extern const uint64_t ksyms_addrs[];
extern const uint32_t ksyms_names[];
extern const char ksyms_strtab[];
extern const char text_start[], text_end[];

#define BACKTRACE_MAX      32   // frames printed
#define BACKTRACE_WALK_MAX 4096 // frames followed, repeats included

const char *
ksym_lookup(uintptr_t addr, uintptr_t *offset)
{
    if (addr < (uintptr_t)text_start || addr >= (uintptr_t)text_end || ksyms_count == 0)
        return NULL;
    // Binary search for the last symbol at or below addr.
    uint64_t lo = 0, hi = ksyms_count;
    while (hi - lo > 1) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (ksyms_addrs[mid] <= addr)
            lo = mid;
        else
            hi = mid;
    }
    if (ksyms_addrs[lo] > addr)
        return NULL;
    *offset = addr - ksyms_addrs[lo];
    return &ksyms_strtab[ksyms_names[lo]];
}

static void
print_frame(int n, uintptr_t pc)
{
    uintptr_t off;
    const char *name = ksym_lookup(pc, &off);

    if (name != NULL)
        kprintf_unlocked("  [%2d] %016lx %s+0x%lx\n", n, pc, name, off);
    else
        kprintf_unlocked("  [%2d] %016lx ?\n", n, pc);
}

// A frame pointer is followed only while it points into kernel memory and
// is 8-byte aligned; the chain ends at 0 (boot.S and each new stack start
// with %rbp = 0).
static bool
frame_ok(uintptr_t rbp)
{
    return rbp != 0 && (rbp & 7) == 0 && rbp >= DIRECT_MAP_BASE;
}

// Walks the frame-pointer chain from `rbp`, printing frames numbered from
// `n`.  Runs of the same return address (unbounded recursion, the usual
// cause of a stack overflow) are printed once with a count, so the frames
// that started the recursion still show; BACKTRACE_WALK_MAX bounds the walk
// even on a corrupted chain.
static void
backtrace_walk(int n, uintptr_t rbp)
{
    uintptr_t last = 0;
    unsigned repeats = 0;

    for (int walked = 0; walked < BACKTRACE_WALK_MAX && n < BACKTRACE_MAX && frame_ok(rbp);
         walked++) {
        const uintptr_t *frame = (const uintptr_t *)rbp;
        uintptr_t pc = frame[1];
        if (pc == 0)
            break;
        if (pc == last) {
            repeats++;
        } else {
            if (repeats > 0)
                kprintf_unlocked("       ... the frame above repeated %u more times\n", repeats);
            repeats = 0;
            print_frame(n++, pc);
            last = pc;
        }
        if (frame[0] <= rbp) // stacks grow down: callers are above
            break;
        rbp = frame[0];
    }
    if (repeats > 0)
        kprintf_unlocked("       ... the frame above repeated %u more times\n", repeats);
}

void
backtrace_print(uintptr_t rbp)
{
    kprintf_unlocked("backtrace:\n");
    backtrace_walk(0, rbp);
}

void
backtrace_print_from(const uintptr_t *pcs, int npcs, uintptr_t rbp)
{
    kprintf_unlocked("backtrace:\n");
    for (int i = 0; i < npcs; i++)
        print_frame(i, pcs[i]);
    backtrace_walk(npcs, rbp);
}

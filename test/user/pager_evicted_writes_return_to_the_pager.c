/* SPDX-License-Identifier: MIT */
/*
 * Pages the pageout daemon evicts go back to their pager, and come back
 * from it intact.  The machine has 16 MiB of RAM (test/qemu/CMakeLists.txt)
 * and the client maps a 24 MiB memory object read/write (no copy), so the
 * object cannot be resident all at once.  The pager keeps NO copy of the
 * data, only what it can recompute it from -- for each page, the round r
 * the client was writing when the page last came back and how far it had
 * got (words [0, split) hold round r's pattern, the rest round r - 1's) --
 * three bytes a page:
 *
 *   data_request   a page never returned: data_unavailable (zero fill);
 *                  else data_supply of the recomputed page
 *   data_return    must be dirty, without kernel_copy, and hold exactly
 *                  such a page (checked word by word); its (r, split) is
 *                  recorded
 *
 * The client writes every word of every page, in order, in round 1 as
 * pattern(page, word, 1) after checking that the word reads 0 (the zero
 * fill), and again in round 2 after checking that it reads round 1's
 * pattern.  Round 1's pages are dirty from the start (zero-filled by the
 * kernel); round 2's were supplied clean, so only the MMU's modified bit
 * says they must go back.  Then lock_request(RETURN_DIRTY, flush) over
 * the whole object returns every page the pager does not have yet -- it
 * must then hold round 2 of every page -- and a last pass reads every page
 * back, each one supplied again.  The counts go to the console.  No
 * default pager runs: an external object's pages need none.  Nothing
 * leaks.
 *
 * The sizes are small for the sake of time: under TCG a page costs about
 * a millisecond per pass (about 15 s in all).
 */
#define UT_PAGER_DEFINES_LOCK_COMPLETED
#define UT_PAGER_DEFINES_DATA_RETURN
#define UT_PAGER_EXPECTS_NO_EXCEPTION
#include "ut_pager.h"

#define PAGE   UT_PAGER_PAGE
#define WORDS  (PAGE / 8)
#define NPAGES (24 * 1024 * 1024 / PAGE) /* 1.5 times the machine's RAM */

static vm_address_t base;

/* The pager's whole knowledge of the data (pager thread only). */
static uint8_t page_round[NPAGES];  /* 0: never returned (zeroes) */
static uint16_t page_split[NPAGES]; /* words of page_round's pattern; the rest: the round before */
static uint64_t supply_buf[WORDS] __attribute__((aligned(PAGE)));

/* Counts (written by the pager thread). */
static volatile uint32_t lock_completions;
static volatile uint32_t returns, zero_fills, supplies, requests_total;

/* What the client writes to word w of page p in round r; round 0 is the
 * zero fill. */
static uint64_t
pattern(unsigned p, unsigned w, unsigned r)
{
    return r == 0 ? 0 : ((uint64_t)p << 32) | ((uint64_t)w << 16) | r;
}

/* ---- The pager (init and terminate: ut_pager.h's) ---- */

kern_return_t
memory_object_data_request(mach_port_t memory_object, mach_port_t memory_control,
                           vm_offset_t offset, vm_size_t length, vm_prot_t desired_access)
{
    unsigned p = (unsigned)(offset / PAGE), r;

    (void)desired_access;
    UT_EQ(memory_object, ut_pager_object);
    UT_EQ(length, PAGE);
    UT_ASSERT(offset % PAGE == 0 && p < NPAGES);
    requests_total++;
    if ((r = page_round[p]) == 0) {
        zero_fills++;
        UT_KR(memory_object_data_unavailable(memory_control, offset, PAGE), KERN_SUCCESS);
    } else {
        for (unsigned w = 0; w < WORDS; w++)
            supply_buf[w] = pattern(p, w, w < page_split[p] ? r : r - 1);
        supplies++;
        UT_KR(memory_object_data_supply(memory_control, offset, (vm_offset_t)supply_buf, PAGE,
                                        VM_PROT_NONE, FALSE, MACH_PORT_NULL),
              KERN_SUCCESS);
    }
    ut_pager_drop_right(memory_control);
    return KERN_SUCCESS;
}

/* Records what a returned page of p holds: round r's pattern up to some
 * word, round r - 1's after it, where r is what word 0 says. */
static void
record_page(unsigned p, const uint64_t *data)
{
    unsigned r = (unsigned)(data[0] & 0xffff), split = 0;

    if (data[0] != pattern(p, 0, r))
        UT_FAIL("page %u came back with %#llx in word 0", p, (unsigned long long)data[0]);
    if (r == 0) { /* zeroes, as if never returned */
        r = 1;
    } else {
        UT_ASSERT(r <= 2);
        while (split < WORDS && data[split] == pattern(p, split, r))
            split++;
    }
    for (unsigned w = split; w < WORDS; w++)
        if (data[w] != pattern(p, w, r - 1))
            UT_FAIL("page %u word %u came back as %#llx: round %u to word %u, then %#llx expected",
                    p, w, (unsigned long long)data[w], r, split,
                    (unsigned long long)pattern(p, w, r - 1));
    page_round[p] = (uint8_t)r;
    page_split[p] = (uint16_t)split;
}

kern_return_t
memory_object_data_return(mach_port_t memory_object, mach_port_t memory_control, vm_offset_t offset,
                          vm_offset_t data, mach_msg_type_number_t dataCnt, boolean_t dirty,
                          boolean_t kernel_copy)
{
    unsigned p = (unsigned)(offset / PAGE);

    UT_EQ(memory_object, ut_pager_object);
    UT_ASSERT(offset % PAGE == 0 && p < NPAGES);
    UT_EQ(dataCnt, PAGE);
    UT_EQ(dirty, TRUE);        /* a clean page is dropped, never returned */
    UT_EQ(kernel_copy, FALSE); /* eviction and flush both give the page up */
    record_page(p, (const uint64_t *)data);
    UT_KR(vm_deallocate(mach_task_self(), data, dataCnt), KERN_SUCCESS);
    returns++;
    ut_pager_drop_right(memory_control);
    return KERN_SUCCESS;
}

kern_return_t
memory_object_lock_completed(mach_port_t port, mach_port_t memory_control, vm_offset_t offset,
                             vm_size_t length)
{
    UT_EQ(port, ut_pager_object);
    (void)offset, (void)length;
    ut_pager_drop_right(memory_control);
    lock_completions++;
    return KERN_SUCCESS;
}

/* Touches the 16 KiB of stack below the caller's frame, where the pager's
 * handlers will run. */
static __attribute__((noinline)) void
stack_resident(void)
{
    volatile char stack[16 * 1024];

    for (unsigned i = 0; i < sizeof(stack); i += PAGE / 2)
        stack[i] = 0;
}

static void *
pager_main(void *arg)
{
    (void)arg;
    stack_resident();
    ut_pager_serve_until(&ut_pager_terminates);
    return NULL;
}

/* ---- The client ---- */

static volatile uint64_t *
page_words(unsigned p)
{
    return (volatile uint64_t *)(base + (vm_offset_t)p * PAGE);
}

static void
write_pass(unsigned r)
{
    for (unsigned p = 0; p < NPAGES; p++) {
        volatile uint64_t *w = page_words(p);
        for (unsigned i = 0; i < WORDS; i++) {
            if (w[i] != pattern(p, i, r - 1))
                UT_FAIL("round %u: page %u word %u is %#llx before the write, expected %#llx", r, p,
                        i, (unsigned long long)w[i], (unsigned long long)pattern(p, i, r - 1));
            w[i] = pattern(p, i, r);
        }
    }
}

static void
read_pass(unsigned r)
{
    for (unsigned p = 0; p < NPAGES; p++) {
        volatile uint64_t *w = page_words(p);
        for (unsigned i = 0; i < WORDS; i++)
            if (w[i] != pattern(p, i, r))
                UT_FAIL("round %u: page %u word %u reads %#llx, expected %#llx", r, p, i,
                        (unsigned long long)w[i], (unsigned long long)pattern(p, i, r));
    }
}

/* lock_request over [offset, offset + size) answered on the memory object
 * port; returns when the pager has handled everything sent before it. */
static void
lock_and_wait(vm_offset_t offset, vm_size_t size, boolean_t flush)
{
    uint32_t before = lock_completions;

    UT_KR(memory_object_lock_request(ut_pager_control, offset, size, MEMORY_OBJECT_RETURN_DIRTY,
                                     flush, VM_PROT_NONE, ut_pager_object),
          KERN_SUCCESS);
    ut_wait_change(&lock_completions, before);
}

/* The pager's memory is made resident before memory runs short (here, and
 * its stack in pager_main): a pager that needs a new page to handle a
 * returned one waits for the memory it is meant to give back (the kernel
 * keeps its reserve from user tasks). */
static void
pager_memory_resident(void)
{
    for (unsigned p = 0; p < NPAGES; p += PAGE)
        ((volatile uint8_t *)page_round)[p] = 0;
    for (unsigned p = 0; p < NPAGES; p += PAGE / 2)
        ((volatile uint16_t *)page_split)[p] = 0;
    for (unsigned w = 0; w < WORDS; w++)
        ((volatile uint64_t *)supply_buf)[w] = 0;
}

int
main(void)
{
    quay_thread_t pager;
    uint32_t by_eviction, by_flush, requests_before;

    ut_stats_begin();
    pager_memory_resident();
    ut_pager_object = ut_port_send();
    UT_KR(quay_thread_create(pager_main, NULL, &pager), KERN_SUCCESS);
    base = ut_pager_map((vm_size_t)NPAGES * PAGE, VM_PROT_READ | VM_PROT_WRITE);
    ut_wait_change(&ut_pager_inits, 0);

    write_pass(1); /* zero-filled pages: dirty to the kernel from the start */
    write_pass(2); /* supplied pages: dirty only by the MMU's modified bit */
    lock_and_wait((vm_offset_t)NPAGES * PAGE, PAGE, FALSE); /* nothing there: a sync */
    by_eviction = returns;
    lock_and_wait(0, (vm_size_t)NPAGES * PAGE, TRUE);
    by_flush = returns - by_eviction;
    /* Each round's data of a page is evicted unless the page stays resident
     * from its write to the next round's (or to the flush), which at most
     * the pages free at boot can (about 2,700 of the 6,144): so at least
     * 2 * (6,144 - 2,700) pages went back by eviction. */
    UT_ASSERT(by_eviction >= NPAGES);
    UT_ASSERT(by_flush > 0);   /* the last pages written were still here */
    UT_EQ(zero_fills, NPAGES); /* a page once returned is supplied, never zeroed */
    for (unsigned p = 0; p < NPAGES; p++)
        if (page_round[p] != 2 || page_split[p] != WORDS)
            UT_FAIL("the pager has round %u to word %u of page %u", page_round[p], page_split[p],
                    p);
    requests_before = requests_total;
    read_pass(2); /* all flushed: each page is asked for and supplied again */
    UT_EQ(requests_total - requests_before, NPAGES);
    printf("%u pages: %u returned by eviction, %u by the flush; %u requests: %u zero fills, "
           "%u supplies\n",
           (unsigned)NPAGES, by_eviction, by_flush, requests_total, zero_fills, supplies);

    ut_pager_unmap_and_join(base, (vm_size_t)NPAGES * PAGE, pager);
    ut_pager_drop_right(ut_pager_control); /* a dead name */
    ut_pager_port_destroy(ut_pager_object);
    ut_stats_settle_baseline();
    return ut_pass();
}

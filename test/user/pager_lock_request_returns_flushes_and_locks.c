/* SPDX-License-Identifier: MIT */
/*
 * memory_object_lock_request and the page states it works on, with a
 * pager thread and its client in one task.  The pager keeps a copy of
 * every page of an 8-page object (store[]): it supplies pages from there
 * and takes returned pages back into it.  The client maps the object
 * read/write without copy, so its writes land in the object's pages:
 *
 *   a. RETURN_DIRTY, no flush: exactly the written pages come back, with
 *      their new contents, dirty and kernel_copy; a second request returns
 *      nothing; the client still reads its data without a new request, and
 *      a later write makes the page dirty again.
 *   b. RETURN_NONE + flush: the pages go, unreturned (a write is lost);
 *      the next read asks the pager again.
 *   c. RETURN_DIRTY + flush: the dirty pages come back with kernel_copy
 *      FALSE, the clean ones are only dropped; all are asked for again.
 *   d. lock value: after lock_request(lock_value = VM_PROT_WRITE), and for
 *      a page supplied with lock_value VM_PROT_WRITE, a write sends
 *      data_unlock (once) and waits until lock_request lowers the lock to
 *      VM_PROT_NONE; reads go on meanwhile.
 *   e. precious pages (data_supply with precious): RETURN_DIRTY leaves an
 *      untouched one alone; RETURN_ALL + flush returns it, dirty FALSE.
 *   f. reply ports: lock_completed(offset, size) and
 *      supply_completed(KERN_SUCCESS) reach them.
 *   g. bad lock_requests (and a bad data_supply) change nothing: no page
 *      is returned, flushed or locked, and no completion comes.
 *
 * The pager learns that the kernel has acted on a lock_request by asking
 * for lock_completed on the memory object port itself: the kernel sends
 * the request's data_returns first, so when the completion is handled,
 * they have been (pager_sync).
 */
#define UT_PAGER_DEFINES_DATA_UNLOCK
#define UT_PAGER_DEFINES_LOCK_COMPLETED
#define UT_PAGER_DEFINES_SUPPLY_COMPLETED
#define UT_PAGER_DEFINES_DATA_RETURN
#define UT_PAGER_EXPECTS_NO_EXCEPTION
#include "ut_pager.h"

#define PAGE     UT_PAGER_PAGE
#define WORDS    (PAGE / 8)
#define NPAGES   8
#define SYNC_OFF (64 * PAGE) /* a page nobody maps: lock_requests there touch nothing */
#define PATTERN  UT_PAGER_PATTERN

static mach_port_t reply; /* a reply port the main thread reads itself */
static vm_address_t base;
static volatile uint64_t *obj_words; /* the client's view: base as words */

/* The pager's copy of each page, supplied from and returned into. */
static uint64_t store[NPAGES][WORDS] __attribute__((aligned(PAGE)));
static vm_prot_t supply_lock[NPAGES]; /* lock_value of the next supply of the page */

/* What the pager saw (written by the pager thread). */
static volatile uint32_t returns_total;
static volatile uint32_t requests[NPAGES], returns[NPAGES], unlocks[NPAGES];
static volatile vm_prot_t request_access[NPAGES], unlock_access[NPAGES];
static volatile boolean_t return_dirty[NPAGES], return_kernel_copy[NPAGES];
static volatile uint32_t lock_completions, supply_completions;
static volatile mach_port_t completed_on;
static volatile vm_offset_t completed_offset, completed_length, completed_error_offset;
static volatile kern_return_t completed_result;

static unsigned
page_of(vm_offset_t offset)
{
    UT_ASSERT(offset % PAGE == 0 && offset / PAGE < NPAGES);
    return (unsigned)(offset / PAGE);
}

/* ---- The pager (init and terminate: ut_pager.h's) ---- */

kern_return_t
memory_object_data_request(mach_port_t memory_object, mach_port_t memory_control,
                           vm_offset_t offset, vm_size_t length, vm_prot_t desired_access)
{
    unsigned p = page_of(offset);

    UT_EQ(memory_object, ut_pager_object);
    UT_EQ(length, PAGE);
    request_access[p] = desired_access;
    requests[p]++; /* first: the supply ends the client's wait */
    UT_KR(memory_object_data_supply(memory_control, offset, (vm_offset_t)store[p], PAGE,
                                    supply_lock[p], FALSE, MACH_PORT_NULL),
          KERN_SUCCESS);
    ut_pager_drop_right(memory_control);
    return KERN_SUCCESS;
}

/* Only noted: the main thread answers with lock_request. */
kern_return_t
memory_object_data_unlock(mach_port_t memory_object, mach_port_t memory_control, vm_offset_t offset,
                          vm_size_t length, vm_prot_t desired_access)
{
    unsigned p = page_of(offset);

    UT_EQ(memory_object, ut_pager_object);
    UT_EQ(length, PAGE);
    unlock_access[p] = desired_access;
    unlocks[p]++;
    ut_pager_drop_right(memory_control);
    return KERN_SUCCESS;
}

/* The page's data is the pager's again: into the store. */
kern_return_t
memory_object_data_return(mach_port_t memory_object, mach_port_t memory_control, vm_offset_t offset,
                          vm_offset_t data, mach_msg_type_number_t dataCnt, boolean_t dirty,
                          boolean_t kernel_copy)
{
    unsigned p = page_of(offset);

    UT_EQ(memory_object, ut_pager_object);
    UT_EQ(dataCnt, PAGE);
    memcpy(store[p], (const void *)data, PAGE);
    UT_KR(vm_deallocate(mach_task_self(), data, dataCnt), KERN_SUCCESS);
    return_dirty[p] = dirty;
    return_kernel_copy[p] = kernel_copy;
    returns[p]++;
    returns_total++;
    ut_pager_drop_right(memory_control);
    return KERN_SUCCESS;
}

/* A completion on PORT for [offset, offset + length), for the main thread. */
static void
note_completion(mach_port_t port, mach_port_t memory_control, vm_offset_t offset, vm_size_t length)
{
    completed_on = port;
    completed_offset = offset;
    completed_length = length;
    ut_pager_drop_right(memory_control);
}

kern_return_t
memory_object_lock_completed(mach_port_t port, mach_port_t memory_control, vm_offset_t offset,
                             vm_size_t length)
{
    note_completion(port, memory_control, offset, length);
    lock_completions++;
    return KERN_SUCCESS;
}

kern_return_t
memory_object_supply_completed(mach_port_t port, mach_port_t memory_control, vm_offset_t offset,
                               vm_size_t length, kern_return_t result, vm_offset_t error_offset)
{
    note_completion(port, memory_control, offset, length);
    completed_result = result;
    completed_error_offset = error_offset;
    supply_completions++;
    return KERN_SUCCESS;
}

/* ---- The client's tools ---- */

static volatile uint64_t *
page_words(unsigned p)
{
    return obj_words + (size_t)p * WORDS;
}

/* The client's page p is what the pager's store holds. */
static void
expect_page_is_store(unsigned p)
{
    for (unsigned i = 0; i < WORDS; i++)
        if (page_words(p)[i] != store[p][i])
            UT_FAIL("page %u word %u is %#llx, the pager's store has %#llx", p, i,
                    (unsigned long long)page_words(p)[i], (unsigned long long)store[p][i]);
}

static void
lock_request(unsigned first, unsigned n, memory_object_return_t should_return, boolean_t flush,
             vm_prot_t lock_value, mach_port_t reply_to)
{
    UT_KR(memory_object_lock_request(ut_pager_control, first * PAGE, n * PAGE, should_return, flush,
                                     lock_value, reply_to),
          KERN_SUCCESS);
}

/* Waits until the pager has handled everything the kernel sent it so far:
 * a lock_request with no effect, answered on the memory object port. */
static void
pager_sync(void)
{
    uint32_t before = lock_completions;

    UT_KR(memory_object_lock_request(ut_pager_control, SYNC_OFF, PAGE, MEMORY_OBJECT_RETURN_NONE,
                                     FALSE, VM_PROT_NONE, ut_pager_object),
          KERN_SUCCESS);
    ut_wait_change(&lock_completions, before);
    UT_EQ(completed_on, ut_pager_object);
    UT_EQ(completed_offset, SYNC_OFF);
}

static void
expect_requests(unsigned first, unsigned n, uint32_t count)
{
    for (unsigned p = first; p < first + n; p++)
        if (requests[p] != count)
            UT_FAIL("page %u: %u data_requests, expected %u", p, requests[p], count);
}

/* Page p came back exactly `count` times in all, the last one as said. */
static void
expect_returned(unsigned p, uint32_t count, boolean_t dirty, boolean_t kernel_copy)
{
    if (returns[p] != count)
        UT_FAIL("page %u: returned %u times, expected %u", p, returns[p], count);
    if (count > 0) {
        UT_EQ(return_dirty[p], dirty);
        UT_EQ(return_kernel_copy[p], kernel_copy);
    }
}

/* Reads every word of pages [first, first + n) (faulting them in). */
static void
touch(unsigned first, unsigned n)
{
    for (unsigned p = first; p < first + n; p++)
        expect_page_is_store(p);
}

/* Reads a word of each of pages [first, first + n) (faulting them in),
 * whatever they hold. */
static void
read_pages(unsigned first, unsigned n)
{
    for (unsigned p = first; p < first + n; p++)
        (void)page_words(p)[WORDS - 1];
}

/* ---- a, b, c: returning and flushing ---- */

static void
return_dirty_without_flush(void)
{
    page_words(0)[1] = 0xa0;
    page_words(2)[5] = 0xa2;
    for (unsigned i = 0; i < WORDS; i++)
        page_words(3)[i] = 0xa3000 + i;
    UT_EQ(page_words(1)[7], PATTERN + PAGE + 56); /* only read */
    UT_EQ(page_words(4)[0], PATTERN + 4 * PAGE);
    expect_requests(0, 5, 1);
    UT_ASSERT(request_access[0] & VM_PROT_WRITE);
    UT_EQ(request_access[1] & VM_PROT_WRITE, 0);

    lock_request(0, NPAGES, MEMORY_OBJECT_RETURN_DIRTY, FALSE, VM_PROT_NONE, MACH_PORT_NULL);
    pager_sync();
    UT_EQ(returns_total, 3);
    expect_returned(0, 1, TRUE, TRUE);
    expect_returned(2, 1, TRUE, TRUE);
    expect_returned(3, 1, TRUE, TRUE);
    UT_EQ(store[0][1], 0xa0);
    UT_EQ(store[2][5], 0xa2);
    touch(0, 5); /* the returned data, the pager's copy and the client's agree */

    lock_request(0, NPAGES, MEMORY_OBJECT_RETURN_DIRTY, FALSE, VM_PROT_NONE, MACH_PORT_NULL);
    pager_sync();
    UT_EQ(returns_total, 3); /* clean now */
    expect_requests(0, 5, 1);

    page_words(3)[9] = 0xb3; /* resident: no request; dirty again */
    lock_request(0, NPAGES, MEMORY_OBJECT_RETURN_DIRTY, FALSE, VM_PROT_NONE, MACH_PORT_NULL);
    pager_sync();
    UT_EQ(returns_total, 4);
    expect_returned(3, 2, TRUE, TRUE);
    UT_EQ(store[3][9], 0xb3);
    expect_requests(0, 5, 1);
}

static void
flush_without_return(void)
{
    uint64_t kept = store[4][0];

    page_words(4)[0] = 0xdead; /* dirty, and dropped unreturned below */
    lock_request(0, NPAGES, MEMORY_OBJECT_RETURN_NONE, TRUE, VM_PROT_NONE, MACH_PORT_NULL);
    pager_sync();
    UT_EQ(returns_total, 4);
    expect_requests(0, 5, 1);
    UT_EQ(page_words(4)[0], kept); /* asked for again: the pager's data */
    touch(0, 5);
    expect_requests(0, 5, 2);
}

static void
return_dirty_and_flush(void)
{
    page_words(1)[2] = 0xc1;
    page_words(2)[3] = 0xc2;
    lock_request(0, NPAGES, MEMORY_OBJECT_RETURN_DIRTY, TRUE, VM_PROT_NONE, MACH_PORT_NULL);
    pager_sync();
    UT_EQ(returns_total, 6);
    expect_returned(1, 1, TRUE, FALSE);
    expect_returned(2, 2, TRUE, FALSE);
    expect_returned(0, 1, TRUE, TRUE); /* the clean ones were not */
    expect_returned(3, 2, TRUE, TRUE);
    expect_returned(4, 0, FALSE, FALSE);
    UT_EQ(store[1][2], 0xc1);
    UT_EQ(store[2][3], 0xc2);
    expect_requests(0, 5, 2);
    touch(0, 5);
    expect_requests(0, 5, 3);
}

/* ---- d: lock values ---- */

struct writer {
    unsigned page, word;
    uint64_t value;
    volatile uint32_t done;
    quay_thread_t thread;
};

static void *
writer_main(void *arg)
{
    struct writer *w = arg;

    page_words(w->page)[w->word] = w->value;
    w->done = 1;
    return NULL;
}

/* A write to page p, which withholds write access, sends data_unlock and
 * waits; lowering the lock to VM_PROT_NONE lets it land. */
static void
write_waits_for_unlock(unsigned p)
{
    struct writer w = {.page = p, .word = 3, .value = 0xd0 + p};
    uint64_t old = store[p][3];
    uint32_t unlocks_before = unlocks[p];

    UT_KR(quay_thread_create(writer_main, &w, &w.thread), KERN_SUCCESS);
    ut_wait_change(&unlocks[p], unlocks_before);
    UT_ASSERT(unlock_access[p] & VM_PROT_WRITE);
    ut_sleep_ms(20);
    UT_EQ(w.done, 0);             /* the writer waits for the pager */
    UT_EQ(page_words(p)[3], old); /* reading is not locked */
    UT_EQ(unlocks[p], unlocks_before + 1);
    lock_request(p, 1, MEMORY_OBJECT_RETURN_NONE, FALSE, VM_PROT_NONE, MACH_PORT_NULL);
    UT_KR(quay_thread_join(w.thread, NULL), KERN_SUCCESS);
    UT_EQ(w.done, 1);
    UT_EQ(page_words(p)[3], 0xd0 + p);
    UT_EQ(unlocks[p], unlocks_before + 1); /* one unlock per wait */
    page_words(p)[4] = 0xe0 + p;           /* unlocked now: no more asking */
    UT_EQ(unlocks[p], unlocks_before + 1);
}

static void
lock_value_withholds_writes(void)
{
    lock_request(0, 1, MEMORY_OBJECT_RETURN_NONE, FALSE, VM_PROT_WRITE, MACH_PORT_NULL);
    UT_EQ(page_words(0)[0], store[0][0]); /* reads go on */
    write_waits_for_unlock(0);
    UT_EQ(requests[0], 3); /* resident throughout */

    supply_lock[5] = VM_PROT_WRITE; /* page 5's first supply: locked against writing */
    write_waits_for_unlock(5);
    supply_lock[5] = VM_PROT_NONE;
    UT_EQ(requests[5], 1);
    UT_ASSERT(request_access[5] & VM_PROT_WRITE);
    UT_EQ(returns_total, 6);
}

/* ---- e, f: precious pages, reply ports ---- */

/* Receives one completion on `reply` within 5 s and serves it. */
static void
serve_reply(mach_msg_id_t id)
{
    ut_pager_serve_reply(reply, id);
    UT_EQ(completed_on, reply);
}

static void
precious_pages_and_reply_ports(void)
{
    uint32_t supplied = supply_completions, locked = lock_completions;

    /* Pages 6 and 7 unasked, precious, with supply_completed to `reply`. */
    UT_KR(memory_object_data_supply(ut_pager_control, 6 * PAGE, (vm_offset_t)store[6], 2 * PAGE,
                                    VM_PROT_NONE, TRUE, reply),
          KERN_SUCCESS);
    serve_reply(2207);
    UT_EQ(supply_completions, supplied + 1);
    UT_EQ(completed_offset, 6 * PAGE);
    UT_EQ(completed_length, 2 * PAGE);
    UT_EQ(completed_result, KERN_SUCCESS);
    UT_EQ(completed_error_offset, 0);
    touch(6, 2);
    expect_requests(6, 2, 0); /* resident since the supply */

    page_words(7)[0] = 0xf7;
    lock_request(6, 2, MEMORY_OBJECT_RETURN_DIRTY, FALSE, VM_PROT_NONE, reply);
    serve_reply(2206);
    UT_EQ(lock_completions, locked + 1);
    UT_EQ(completed_offset, 6 * PAGE);
    UT_EQ(completed_length, 2 * PAGE);
    pager_sync();
    UT_EQ(returns_total, 7);
    expect_returned(6, 0, FALSE, FALSE); /* precious but clean: not for RETURN_DIRTY */
    expect_returned(7, 1, TRUE, TRUE);

    page_words(7)[1] = 0xf8;
    lock_request(6, 2, MEMORY_OBJECT_RETURN_ALL, TRUE, VM_PROT_NONE, MACH_PORT_NULL);
    pager_sync();
    UT_EQ(returns_total, 9);
    expect_returned(6, 1, FALSE, FALSE); /* the kernel had the only copy */
    expect_returned(7, 2, TRUE, FALSE);
    UT_EQ(store[7][1], 0xf8);
    touch(6, 2);
    expect_requests(6, 2, 1);
    ut_pager_expect_no_reply(reply);
}

/* ---- g: bad requests ---- */

static void
bad_requests_change_nothing(void)
{
    static const struct {
        vm_offset_t offset;
        vm_size_t size;
        memory_object_return_t should_return;
        vm_prot_t lock_value;
    } bad[] = {
        {100, PAGE, MEMORY_OBJECT_RETURN_ALL, VM_PROT_NONE},     /* unaligned offset */
        {0, 0, MEMORY_OBJECT_RETURN_ALL, VM_PROT_NONE},          /* size 0 */
        {0, PAGE + 100, MEMORY_OBJECT_RETURN_ALL, VM_PROT_NONE}, /* unaligned size */
        {0, NPAGES * PAGE, 3, VM_PROT_NONE},                     /* should_return 3 */
        {0, NPAGES * PAGE, -1, VM_PROT_NONE},                    /* should_return -1 */
        {0, NPAGES * PAGE, MEMORY_OBJECT_RETURN_ALL, 0x10},      /* lock_value bit 4 */
        {0, NPAGES * PAGE, MEMORY_OBJECT_RETURN_ALL, VM_PROT_WRITE | 0x40},
        {(vm_offset_t)1 << 47, PAGE, MEMORY_OBJECT_RETURN_ALL, VM_PROT_NONE}, /* past the end */
    };
    uint32_t returned = returns_total, locked = lock_completions;

    read_pages(0, NPAGES); /* all resident; 0 and 5 dirty since d */
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        UT_KR(memory_object_lock_request(ut_pager_control, bad[i].offset, bad[i].size,
                                         bad[i].should_return, TRUE, bad[i].lock_value, reply),
              KERN_SUCCESS); /* a simpleroutine: the kernel's refusal is not seen */
    UT_KR(memory_object_lock_request(ut_pager_control, 0, NPAGES * PAGE, MEMORY_OBJECT_RETURN_DIRTY,
                                     FALSE, 0x10, reply),
          KERN_SUCCESS);
    /* data_supply with a bad lock value: no page, no supply_completed. */
    UT_KR(memory_object_lock_request(ut_pager_control, 7 * PAGE, PAGE, MEMORY_OBJECT_RETURN_NONE,
                                     TRUE, VM_PROT_NONE, MACH_PORT_NULL),
          KERN_SUCCESS);
    UT_KR(memory_object_data_supply(ut_pager_control, 7 * PAGE, (vm_offset_t)store[7], PAGE, 0x10,
                                    FALSE, reply),
          KERN_SUCCESS);
    pager_sync();
    UT_EQ(lock_completions, locked + 1); /* pager_sync's only */
    ut_pager_expect_no_reply(reply);
    UT_EQ(ut_status(reply).mps_msgcount, 0);
    UT_EQ(returns_total, returned);
    UT_EQ(ut_refs(reply, MACH_PORT_RIGHT_SEND), 1);

    read_pages(0, NPAGES);
    expect_requests(0, 5, 3); /* nothing was flushed ... */
    expect_requests(5, 2, 1);
    UT_EQ(requests[7], 2);   /* ... but page 7, by the good request */
    page_words(1)[0] = 0x91; /* nothing was locked */
    page_words(6)[0] = 0x96;
    UT_EQ(unlocks[1] + unlocks[6], 0);

    /* The dirty pages are still dirty: none was returned. */
    lock_request(0, NPAGES, MEMORY_OBJECT_RETURN_DIRTY, FALSE, VM_PROT_NONE, MACH_PORT_NULL);
    pager_sync();
    UT_EQ(returns_total, returned + 4);
    expect_returned(0, 2, TRUE, TRUE);
    expect_returned(1, 2, TRUE, TRUE);
    expect_returned(5, 1, TRUE, TRUE);
    expect_returned(6, 2, TRUE, TRUE);
    touch(0, NPAGES);
}

int
main(void)
{
    quay_thread_t pager;

    ut_stats_begin();
    for (unsigned p = 0; p < NPAGES; p++)
        ut_pager_fill_pattern(store[p], (vm_offset_t)p * PAGE);
    reply = ut_port_send();
    ut_pager_start(&pager, &ut_pager_terminates);
    base = ut_pager_map(NPAGES * PAGE, VM_PROT_READ | VM_PROT_WRITE);
    obj_words = (volatile uint64_t *)base;
    ut_wait_change(&ut_pager_inits, 0);

    return_dirty_without_flush();
    flush_without_return();
    return_dirty_and_flush();
    lock_value_withholds_writes();
    precious_pages_and_reply_ports();
    bad_requests_change_nothing();

    UT_EQ(ut_pager_inits, 1);
    ut_pager_unmap_and_join(base, NPAGES * PAGE, pager);
    ut_pager_drop_right(ut_pager_control); /* a dead name by now */

    ut_pager_port_destroy(ut_pager_object);
    ut_pager_port_destroy(reply);
    ut_stats_settle_baseline();
    return ut_pass();
}

/* SPDX-License-Identifier: MIT */
/*
 * The example of docs/tutorial-pager.md: a user-level pager that serves a
 * read-only text document, and a client that reads it as ordinary memory.
 * Both live in this one task (the pager on its own thread), but they talk
 * only through the kernel, exactly as two tasks would.
 *
 *   1. the object          the document, built in memory: a title line,
 *                          then numbered lines, a little under 3 pages;
 *   2. the pager's handlers memory_object_init, _data_request (data_supply
 *                          for the document, data_unavailable beyond its
 *                          end), _terminate, called by the generated
 *                          memory_object_server();
 *   3. the pager loop      a thread receiving on the memory object port;
 *   4. the client          vm_map of the memory object port, reads, unmap.
 *
 * The kernel sends init once, one data_request per page touched and
 * terminate when the mapping goes; nothing leaks.  The tutorial quotes this
 * file by section: keep the section comments where they are.
 */
#include "ut_ports.h" /* UT_* checks, ut_stats_*: the leak check */

#include <quay/threads.h>

#include "memory_objectServer.h"   /* generated: memory_object_server() */
#include "memory_object_control.h" /* generated: memory_object_data_supply() ... */

#define PAGE         4096
#define DOC_LINES    600
#define DOC_TITLE    "Quay pager tutorial: a document served page by page\n"
#define DOC_MAX      (4 * PAGE) /* room for the document */
#define WINDOW_PAGES 4          /* what the client maps: the document and a hole */

/* ---- 1. the object ------------------------------------------------------ */

/* The document, page-aligned so that a page of it can be supplied in place;
 * the bytes after its end stay zero. */
static char doc[DOC_MAX] __attribute__((aligned(PAGE)));
static vm_size_t doc_size;  /* bytes of text */
static vm_size_t doc_pages; /* pages that hold text */

static void
doc_build(void)
{
    int n;

    doc_size = strlen(DOC_TITLE);
    memcpy(doc, DOC_TITLE, doc_size);
    for (unsigned i = 1; i <= DOC_LINES; i++) {
        n = snprintf(doc + doc_size, DOC_MAX - doc_size, "line %u of %u\n", i, DOC_LINES);
        UT_ASSERT(n > 0 && doc_size + n < DOC_MAX);
        doc_size += n;
    }
    doc_pages = (doc_size + PAGE - 1) / PAGE;
}

/* ---- 2. the pager's handlers -------------------------------------------- */

static mach_port_t doc_port; /* the memory object: we hold receive and send */
static volatile uint32_t inits, requests, pages_supplied, pages_unavailable, terminates;

/* The kernel starts using the object.  Every message from the kernel
 * carries a new send right to the object's control port; this pager needs
 * it only while answering a request, so each handler drops its own. */
kern_return_t
memory_object_init(mach_port_t memory_object, mach_port_t memory_control, vm_size_t page_size)
{
    UT_EQ(memory_object, doc_port);
    UT_EQ(page_size, PAGE);
    inits++;
    UT_KR(mach_port_deallocate(mach_task_self(), memory_control), KERN_SUCCESS);
    return KERN_SUCCESS;
}

/* A thread faulted on [offset, offset + length) of the object: supply the
 * part that holds the document, and say "no data" (zero-fill) for the rest. */
kern_return_t
memory_object_data_request(mach_port_t memory_object, mach_port_t memory_control,
                           vm_offset_t offset, vm_size_t length, vm_prot_t desired_access)
{
    vm_size_t end = doc_pages * PAGE;
    vm_size_t have = offset < end ? (length < end - offset ? length : end - offset) : 0;

    (void)desired_access; /* the mapping is read-only: reading is all anyone asks */
    UT_EQ(memory_object, doc_port);
    UT_ASSERT(offset % PAGE == 0 && length % PAGE == 0);
    requests++;
    if (have > 0) {
        /* Out-of-line data, whole pages; lock nothing (VM_PROT_NONE); not
         * precious (we can always make the page again); no reply wanted. */
        UT_KR(memory_object_data_supply(memory_control, offset, (vm_offset_t)(doc + offset), have,
                                        VM_PROT_NONE, FALSE, MACH_PORT_NULL),
              KERN_SUCCESS);
        pages_supplied += have / PAGE;
    }
    if (have < length) {
        UT_KR(memory_object_data_unavailable(memory_control, offset + have, length - have),
              KERN_SUCCESS);
        pages_unavailable += (length - have) / PAGE;
    }
    UT_KR(mach_port_deallocate(mach_task_self(), memory_control), KERN_SUCCESS);
    return KERN_SUCCESS;
}

/* The last mapping is gone.  The control port dies right after this
 * message is sent: the right arrives as MACH_PORT_DEAD, or as a dead name. */
kern_return_t
memory_object_terminate(mach_port_t memory_object, mach_port_t memory_control)
{
    UT_EQ(memory_object, doc_port);
    if (memory_control != MACH_PORT_DEAD)
        UT_KR(mach_port_deallocate(mach_task_self(), memory_control), KERN_SUCCESS);
    terminates++;
    return KERN_SUCCESS;
}

/* The rest of memory_object.defs: a read-only object mapped read-only
 * never gets them (no page is ever dirty, nothing is locked).  A server
 * defines every routine of its subsystem; answering an error makes the
 * stub destroy the message. */
static volatile uint32_t unexpected;

kern_return_t
memory_object_data_unlock(mach_port_t o, mach_port_t c, vm_offset_t off, vm_size_t len, vm_prot_t a)
{
    (void)o, (void)c, (void)off, (void)len, (void)a;
    unexpected++;
    return KERN_FAILURE;
}

kern_return_t
memory_object_lock_completed(mach_port_t o, mach_port_t c, vm_offset_t off, vm_size_t len)
{
    (void)o, (void)c, (void)off, (void)len;
    unexpected++;
    return KERN_FAILURE;
}

kern_return_t
memory_object_supply_completed(mach_port_t o, mach_port_t c, vm_offset_t off, vm_size_t len,
                               kern_return_t result, vm_offset_t error_offset)
{
    (void)o, (void)c, (void)off, (void)len, (void)result, (void)error_offset;
    unexpected++;
    return KERN_FAILURE;
}

kern_return_t
memory_object_data_return(mach_port_t o, mach_port_t c, vm_offset_t off, vm_offset_t data,
                          mach_msg_type_number_t dataCnt, boolean_t dirty, boolean_t kernel_copy)
{
    (void)o, (void)c, (void)off, (void)data, (void)dataCnt, (void)dirty, (void)kernel_copy;
    unexpected++;
    return KERN_FAILURE;
}

kern_return_t
memory_object_change_completed(mach_port_t o, boolean_t may_cache, int strategy)
{
    (void)o, (void)may_cache, (void)strategy;
    unexpected++;
    return KERN_FAILURE;
}

/* ---- 3. the pager loop -------------------------------------------------- */

/* Receive a request on the memory object port, let the generated demux
 * call the handler, repeat until the kernel has terminated the object. */
static void *
pager_main(void *arg)
{
    (void)arg;
    while (terminates == 0)
        UT_KR(
            mach_msg_server_once(memory_object_server, memory_object_max_request_size, doc_port, 0),
            MACH_MSG_SUCCESS);
    return NULL;
}

/* The memory object is a plain port: the pager keeps the receive right and
 * gives out send rights (here: to itself, for the client's vm_map). */
static void
pager_start(quay_thread_t *pager)
{
    mach_port_t self = mach_task_self();

    doc_build();
    UT_KR(mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &doc_port), KERN_SUCCESS);
    UT_KR(mach_port_insert_right(self, doc_port, doc_port, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
    UT_KR(quay_thread_create(pager_main, NULL, pager), KERN_SUCCESS);
}

/* ---- 4. the client ------------------------------------------------------ */

/* Reads the mapped document like any string: checks the first line,
 * counts the lines, checks the last.  Each first touch of a page is a fault that the
 * pager answers; the page then stays resident. */
static void
client_read(const char *text)
{
    const char *last = text;
    unsigned lines = 0;
    char want[32];

    for (const char *p = text; *p != '\0'; p++) {
        if (*p == '\n' && p[1] != '\0')
            last = p + 1;
        lines += *p == '\n';
    }
    UT_EQ(memcmp(text, DOC_TITLE, strlen(DOC_TITLE)), 0);
    UT_EQ(lines, 1 + DOC_LINES);
    snprintf(want, sizeof want, "line %u of %u\n", DOC_LINES, DOC_LINES);
    UT_EQ(strcmp(last, want), 0);
    UT_EQ(text[(WINDOW_PAGES - 1) * PAGE], 0); /* beyond the end: data_unavailable */
}

int
main(void)
{
    quay_thread_t pager;
    vm_address_t addr = 0;

    ut_stats_begin();
    pager_start(&pager);

    /* Map the object anywhere, from its offset 0, shared (copy FALSE),
     * read-only; the pager hears memory_object_init. */
    UT_KR(vm_map(mach_task_self(), &addr, WINDOW_PAGES * PAGE, 0, TRUE, doc_port, 0, FALSE,
                 VM_PROT_READ, VM_PROT_READ, VM_INHERIT_NONE),
          KERN_SUCCESS);
    client_read((const char *)addr);
    printf("%.*s", (int)strlen(DOC_TITLE), (const char *)addr);
    client_read((const char *)addr); /* resident now: no new requests */

    /* Unmap: the last reference goes, the pager hears terminate and ends. */
    UT_KR(vm_deallocate(mach_task_self(), addr, WINDOW_PAGES * PAGE), KERN_SUCCESS);
    UT_KR(quay_thread_join(pager, NULL), KERN_SUCCESS);

    UT_EQ(doc_pages, WINDOW_PAGES - 1);
    UT_EQ(inits, 1);
    UT_EQ(requests, WINDOW_PAGES);
    UT_EQ(pages_supplied, doc_pages);
    UT_EQ(pages_unavailable, 1);
    UT_EQ(terminates, 1);
    UT_EQ(unexpected, 0);

    UT_KR(mach_port_mod_refs(mach_task_self(), doc_port, MACH_PORT_RIGHT_RECEIVE, -1),
          KERN_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), doc_port), KERN_SUCCESS);
    ut_stats_settle_baseline();
    return ut_pass();
}

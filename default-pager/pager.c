/* SPDX-License-Identifier: MIT */
/*
 * The default pager's handlers: the implementations the generated server
 * stubs call (memory_object_default.defs: memory_object_create and
 * memory_object_data_initialize; memory_object.defs: data_return,
 * data_request, terminate and the rest; default_pager.defs:
 * default_pager_info).  README.md, "Protocol", says what each does.
 *
 * Every request is checked before anything changes (decode, then commit):
 * a handler that refuses one returns an error, and the stub then destroys
 * the whole message -- rights and out-of-line data -- so a bad request
 * leaves nothing behind and changes nothing (docs/mig.md, "Ownership").
 * A handler that returns KERN_SUCCESS owns what the message carried: each
 * kernel message holds a new send right to the object's control port,
 * which the handler drops unless it keeps it (memory_object_create), and
 * the page of data_initialize / data_return, which goes to the store or
 * is deallocated.
 *
 * Answers to data_request go to the control port as separate messages
 * (memory_object_control.defs), sent before the next request is received:
 * the pager has one thread, so it handles the messages of one object in
 * the order they came, and a data_return is stored before a later
 * data_request for the same page is answered.
 */
#include <servers/default_pager_types.h>
#include <stdio.h>
#include <string.h>

#include "default_pagerServer.h"         /* generated: S_default_pager_info */
#include "memory_objectServer.h"         /* generated: the memory_object_* handlers */
#include "memory_object_defaultServer.h" /* generated: memory_object_create ... */
#include "memory_object_control.h"       /* generated: memory_object_data_supply ... */
#include "object.h"
#include "pager.h"
#include "store.h"

/* Set once by pager_init(), before the first request. */
static mach_port_t pager_manager; /* the port the kernel and clients send to */
static mach_port_t pager_set;     /* the port set: the manager and every object port */

/* Counters for default_pager_info. */
static struct {
    natural_t pages_in;  /* pages supplied to data_requests */
    natural_t pages_out; /* pages written to the store */
    natural_t refused;   /* pages kept in memory: the store was full (or a write failed) */
    int full_said;       /* the "store full" line was printed since the store last had room */
} stats;

/* Sets the ports the handlers check requests against. */
void
pager_init(mach_port_t manager, mach_port_t set)
{
    pager_manager = manager;
    pager_set = set;
}

/* Drops a send right to a control port that a message carried (it may
 * arrive as MACH_PORT_DEAD when the kernel has already destroyed the port). */
static void
drop_control(mach_port_t control)
{
    if (MACH_PORT_VALID(control))
        (void)mach_port_deallocate(mach_task_self(), control);
}

/*
 * Every kernel message about an object brings one more send right to its
 * control port, which is the name we keep in ob_control (a port has one
 * name in a space).  Dropping each one is a kernel call per page moved;
 * instead the extra references are counted and dropped DP_RIGHTS_BATCH at
 * a time, and the rest at terminate.
 */
#define DP_RIGHTS_BATCH 256

/* Drops n references to the control port's name: send rights, or a dead
 * name's references once the kernel has destroyed the port. */
static void
drop_control_refs(mach_port_t control, unsigned n)
{
    mach_port_delta_t delta = -(mach_port_delta_t)n;

    if (n == 0 || !MACH_PORT_VALID(control))
        return;
    if (mach_port_mod_refs(mach_task_self(), control, MACH_PORT_RIGHT_SEND, delta) != KERN_SUCCESS)
        (void)mach_port_mod_refs(mach_task_self(), control, MACH_PORT_RIGHT_DEAD_NAME, delta);
}

static void
control_right_came(struct dp_object *ob, mach_port_t control)
{
    if (control != ob->ob_control) {
        drop_control(control); /* not the name we know: nothing to batch */
        return;
    }
    if (++ob->ob_extra_rights == DP_RIGHTS_BATCH) {
        drop_control_refs(control, DP_RIGHTS_BATCH);
        ob->ob_extra_rights = 0;
    }
}

/* The object a request for OFFSET on port OBJECT is about, or NULL when
 * the port is not one of our objects or OFFSET is not a page boundary. */
static struct dp_object *
request_object(mach_port_t object, vm_offset_t offset)
{
    if (offset % DP_PAGE_SIZE != 0)
        return NULL;
    return object_find(object);
}

/* ---- pages in ---- */

/* Keeps DATA (a page of ours) in memory as page I of block BL: the store
 * could not take it.  Never loses it: the page waits there for a
 * data_request. */
static void
page_hold(struct dp_block *bl, unsigned i, vm_address_t data)
{
    if (bl->bl_held[i] != 0)
        (void)vm_deallocate(mach_task_self(), bl->bl_held[i], DP_PAGE_SIZE);
    bl->bl_held[i] = data;
    stats.refused++;
}

/*
 * Puts DATA, one page of ours, into the store as page INDEX of OB: in the
 * page's slot (overwritten), else in a new slot, else -- the store is full,
 * or the device refused the write -- held in memory.  The page is the
 * store's (or held) on KERN_SUCCESS; KERN_RESOURCE_SHORTAGE when the page
 * map cannot grow, and the caller still owns DATA.
 */
static kern_return_t
page_put(struct dp_object *ob, uint64_t index, vm_address_t data)
{
    struct dp_block *bl = object_block_add(ob, index);
    unsigned i = index % DP_BLOCK_PAGES;
    uint32_t slot;
    kern_return_t kr;

    if (bl == NULL)
        return KERN_RESOURCE_SHORTAGE;
    if (bl->bl_slot[i] == DP_NO_SLOT && store_alloc(&slot) == 0)
        bl->bl_slot[i] = slot;
    if (bl->bl_slot[i] == DP_NO_SLOT) {
        if (!stats.full_said)
            printf("default-pager: backing store full (%u pages): keeping page in memory\n",
                   store_total());
        stats.full_said = 1;
        page_hold(bl, i, data);
        return KERN_SUCCESS;
    }
    if ((kr = store_write(bl->bl_slot[i], data)) != KERN_SUCCESS) {
        printf("default-pager: %s: write of slot %u failed: error %d; keeping page in memory\n",
               store_name(), bl->bl_slot[i], kr);
        store_free(bl->bl_slot[i]); /* its old contents are stale now */
        bl->bl_slot[i] = DP_NO_SLOT;
        page_hold(bl, i, data);
        return KERN_SUCCESS;
    }
    if (bl->bl_held[i] != 0) { /* a copy held while the store was full is stale now */
        (void)vm_deallocate(mach_task_self(), bl->bl_held[i], DP_PAGE_SIZE);
        bl->bl_held[i] = 0;
    }
    stats.pages_out++;
    return KERN_SUCCESS;
}

/*
 * data_initialize and data_return: keep the page at OFFSET of OBJECT.
 * Refused (KERN_INVALID_ARGUMENT, nothing kept) for a port that is not
 * one of our objects, an offset that is not a page boundary, or data
 * that is not exactly one page; KERN_RESOURCE_SHORTAGE as page_put, and
 * then the object is marked as having lost a page.
 */
static kern_return_t
page_in(mach_port_t object, mach_port_t control, vm_offset_t offset, vm_offset_t data,
        mach_msg_type_number_t count)
{
    struct dp_object *ob = request_object(object, offset);
    kern_return_t kr;

    if (ob == NULL || count != DP_PAGE_SIZE)
        return KERN_INVALID_ARGUMENT;
    kr = page_put(ob, offset / DP_PAGE_SIZE, data);
    if (kr != KERN_SUCCESS) {
        /* The page cannot be recorded, so it is lost (the stub frees it).
         * Pages of the object we do not have now read as errors, never
         * as zeroes. */
        printf("default-pager: out of memory for the page map: page %#lx of an object lost\n",
               (unsigned long)offset);
        ob->ob_lost = 1;
        return kr;
    }
    control_right_came(ob, control);
    return KERN_SUCCESS;
}

/* memory_object_data_initialize (2251): the first contents of a page. */
kern_return_t
memory_object_data_initialize(mach_port_t memory_object, mach_port_t memory_control_port,
                              vm_offset_t offset, vm_offset_t data, mach_msg_type_number_t dataCnt)
{
    return page_in(memory_object, memory_control_port, offset, data, dataCnt);
}

/* memory_object_data_return (2208): a page evicted (or cleaned) again.
 * dirty and kernel_copy do not matter: the page is stored either way. */
kern_return_t
memory_object_data_return(mach_port_t memory_object, mach_port_t memory_control, vm_offset_t offset,
                          vm_offset_t data, mach_msg_type_number_t dataCnt, boolean_t dirty,
                          boolean_t kernel_copy)
{
    (void)dirty, (void)kernel_copy;
    return page_in(memory_object, memory_control, offset, data, dataCnt);
}

/* ---- pages out ---- */

/* Answers the page at OFFSET of OB, page I of block BL, with its data,
 * or with data_error if the store cannot read it. */
static void
page_supply(struct dp_object *ob, vm_offset_t offset, const struct dp_block *bl, unsigned i)
{
    vm_address_t page = bl->bl_held[i];
    int owned = 0;
    kern_return_t kr = KERN_SUCCESS;

    if (page == 0)
        kr = store_read(bl->bl_slot[i], &page, &owned);
    if (kr != KERN_SUCCESS) {
        printf("default-pager: %s: read of slot %u failed: error %d\n", store_name(),
               bl->bl_slot[i], kr);
        (void)memory_object_data_error(ob->ob_control, offset, DP_PAGE_SIZE, kr);
        return;
    }
    /* Nothing locked, not precious (we keep our copy), no reply wanted. */
    (void)memory_object_data_supply(ob->ob_control, offset, page, DP_PAGE_SIZE, VM_PROT_NONE, FALSE,
                                    MACH_PORT_NULL);
    stats.pages_in++;
    if (owned)
        (void)vm_deallocate(mach_task_self(), page, DP_PAGE_SIZE);
}

/* Answers [offset, offset + size) of OB, pages we do not have: "no
 * data" (the kernel zero-fills), or an error if the object lost a page. */
static void
pages_absent(struct dp_object *ob, vm_offset_t offset, vm_size_t size)
{
    if (ob->ob_lost)
        (void)memory_object_data_error(ob->ob_control, offset, size, KERN_MEMORY_ERROR);
    else
        (void)memory_object_data_unavailable(ob->ob_control, offset, size);
}

/*
 * memory_object_data_request (2203): supply [offset, offset + length),
 * page by page: a page we have goes back with data_supply, and each run of
 * pages we never had gets one data_unavailable (the kernel zero-fills).
 * Refused for an unknown object, or an offset or length that is not whole
 * pages (or is 0, or wraps).
 */
kern_return_t
memory_object_data_request(mach_port_t memory_object, mach_port_t memory_control,
                           vm_offset_t offset, vm_size_t length, vm_prot_t desired_access)
{
    struct dp_object *ob = request_object(memory_object, offset);
    vm_offset_t end = offset + length, run = offset;

    (void)desired_access; /* every page we supply is unlocked */
    if (ob == NULL || length == 0 || length % DP_PAGE_SIZE != 0 || end < offset)
        return KERN_INVALID_ARGUMENT;
    for (vm_offset_t off = offset; off < end; off += DP_PAGE_SIZE) {
        uint64_t index = off / DP_PAGE_SIZE;
        const struct dp_block *bl = object_block(ob, index);
        unsigned i = index % DP_BLOCK_PAGES;

        if (bl == NULL || (bl->bl_slot[i] == DP_NO_SLOT && bl->bl_held[i] == 0))
            continue; /* part of the run of pages we never had */
        if (run < off)
            pages_absent(ob, run, off - run);
        page_supply(ob, off, bl, i);
        run = off + DP_PAGE_SIZE;
    }
    if (run < end)
        pages_absent(ob, run, end - run);
    control_right_came(ob, memory_control);
    return KERN_SUCCESS;
}

/* ---- objects ---- */

/*
 * memory_object_create (2250), on the manager port: a new object of
 * NEW_OBJECT_SIZE bytes whose port's receive right is NEW_MEMORY_OBJECT,
 * with a send right to its control port.  We keep both, and the port joins
 * the set.  Refused (KERN_INVALID_ARGUMENT) when it did not come to the
 * manager port, for a page size that is not ours, or a missing right;
 * KERN_RESOURCE_SHORTAGE without memory.  A refused create destroys the
 * new port with the message: the kernel sees it die.
 */
kern_return_t
memory_object_create(mach_port_t old_memory_object, mach_port_t new_memory_object,
                     vm_size_t new_object_size, mach_port_t new_control_port,
                     vm_size_t new_page_size)
{
    struct dp_object *ob;
    kern_return_t kr;

    if (old_memory_object != pager_manager || new_page_size != DP_PAGE_SIZE ||
        !MACH_PORT_VALID(new_memory_object) || !MACH_PORT_VALID(new_control_port) ||
        object_find(new_memory_object) != NULL)
        return KERN_INVALID_ARGUMENT;
    ob = object_create(new_memory_object, new_control_port, new_object_size);
    if (ob == NULL)
        return KERN_RESOURCE_SHORTAGE;
    kr = mach_port_move_member(mach_task_self(), new_memory_object, pager_set);
    if (kr != KERN_SUCCESS) {
        object_destroy(ob);
        return kr;
    }
    return KERN_SUCCESS;
}

/* Gives back the slots and held pages of block BL (its object ends). */
static void
block_release(struct dp_block *bl)
{
    for (unsigned i = 0; i < DP_BLOCK_PAGES; i++) {
        if (bl->bl_slot[i] != DP_NO_SLOT) {
            store_free(bl->bl_slot[i]);
            stats.full_said = 0; /* the store has room again */
        }
        if (bl->bl_held[i] != 0)
            (void)vm_deallocate(mach_task_self(), bl->bl_held[i], DP_PAGE_SIZE);
    }
}

/*
 * memory_object_terminate (2201): the kernel is done with the object.
 * Its slots and held pages are freed, its port destroyed (senders see a
 * dead name) and its control rights dropped: nothing of it remains.
 */
kern_return_t
memory_object_terminate(mach_port_t memory_object, mach_port_t memory_control)
{
    struct dp_object *ob = object_find(memory_object);

    if (ob == NULL)
        return KERN_INVALID_ARGUMENT;
    object_for_each_block(ob, block_release);
    (void)mach_port_mod_refs(mach_task_self(), ob->ob_port, MACH_PORT_RIGHT_RECEIVE, -1);
    drop_control_refs(ob->ob_control, ob->ob_extra_rights);
    drop_control(ob->ob_control);
    drop_control(memory_control);
    object_destroy(ob);
    return KERN_SUCCESS;
}

/* ---- what the default pager is never sent: answered with nothing ---- */

/* memory_object_init (2200): objects of ours come by memory_object_create. */
kern_return_t
memory_object_init(mach_port_t memory_object, mach_port_t memory_control,
                   vm_size_t memory_object_page_size)
{
    (void)memory_object, (void)memory_object_page_size;
    drop_control(memory_control);
    return KERN_SUCCESS;
}

/* memory_object_data_unlock (2204): we never lock a page. */
kern_return_t
memory_object_data_unlock(mach_port_t memory_object, mach_port_t memory_control, vm_offset_t offset,
                          vm_size_t length, vm_prot_t desired_access)
{
    (void)memory_object, (void)offset, (void)length, (void)desired_access;
    drop_control(memory_control);
    return KERN_SUCCESS;
}

/* memory_object_lock_completed (2206): we never call lock_request. */
kern_return_t
memory_object_lock_completed(mach_port_t memory_object, mach_port_t memory_control,
                             vm_offset_t offset, vm_size_t length)
{
    (void)memory_object, (void)offset, (void)length;
    drop_control(memory_control);
    return KERN_SUCCESS;
}

/* memory_object_supply_completed (2207): we never ask for it (reply_to null). */
kern_return_t
memory_object_supply_completed(mach_port_t memory_object, mach_port_t memory_control,
                               vm_offset_t offset, vm_size_t length, kern_return_t result,
                               vm_offset_t error_offset)
{
    (void)memory_object, (void)offset, (void)length, (void)result, (void)error_offset;
    drop_control(memory_control);
    return KERN_SUCCESS;
}

/* memory_object_change_completed (2209): we never change attributes. */
kern_return_t
memory_object_change_completed(mach_port_t memory_object, boolean_t may_cache,
                               memory_object_copy_strategy_t copy_strategy)
{
    (void)memory_object, (void)may_cache, (void)copy_strategy;
    return KERN_SUCCESS;
}

/* ---- default_pager.defs ---- */

/* default_pager_info (2275), on the manager port: the store's size and
 * use and the counters.  KERN_INVALID_ARGUMENT on any other port. */
kern_return_t
S_default_pager_info(mach_port_t default_pager, default_pager_info_t *info)
{
    if (default_pager != pager_manager)
        return KERN_INVALID_ARGUMENT;
    memset(info, 0, sizeof(*info));
    info->dpi_total_space = store_total();
    info->dpi_free_space = store_free_count();
    info->dpi_page_size = DP_PAGE_SIZE;
    info->dpi_objects = (natural_t)object_count();
    info->dpi_disk = (natural_t)store_is_disk();
    info->dpi_pages_in = stats.pages_in;
    info->dpi_pages_out = stats.pages_out;
    info->dpi_refused = stats.refused;
    return KERN_SUCCESS;
}

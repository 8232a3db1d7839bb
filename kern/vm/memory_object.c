// SPDX-License-Identifier: MIT
//
// External memory objects: the kernel's half of the pager protocol
// (memory_object.h; README.md, "Pagers").
//
//   vm_map(task, ..., memory_object, ...)  -> memory_object_lookup: one
//       vm_object per memory object port, found in a list or created with
//       a control port (IKOT_MEM_OBJ_CONTROL) and announced with
//       memory_object_init.
//   a fault on a page the object lacks  -> memory_object_page_in: a busy
//       placeholder page goes into the object, memory_object_data_request
//       goes to the pager, and the fault waits (interruptibly) on the
//       placeholder.  Later faults on the page find the placeholder and
//       wait for the same answer.
//   the pager answers on the control port -> S_memory_object_data_supply,
//       _data_unavailable, _data_error fill the placeholder (or mark it in
//       error) and wake the waiters, which look the page up again.
//   the last reference goes  -> memory_object_object_terminate:
//       memory_object_terminate to the pager, the control port dies.
//   the pager's receive right dies -> pager_died (a kernel dead-name
//       request made with the object): the object is marked dead, its
//       waiting faults and every later fault on an absent page fail with
//       KERN_MEMORY_FAILURE (EXC_BAD_ACCESS in user mode).
//   a dirty or precious page leaves memory -> memory_object_return_page:
//       data_return (or data_initialize) with a copy of it, out of line;
//       called by the pageout daemon and by lock_request.
//   lock_request, ready, change_attributes, get_attributes, destroy ->
//       the S_ routines at the end; a page's lock value makes a fault
//       send data_unlock (memory_object_unlock) and wait.
//   the pageout daemon pages out an anonymous object the first time ->
//       memory_object_create_default: the object gets a memory object of
//       the default pager, and from then on is paged like any other.
//
// Messages to the pager are simpleroutines sent with
// mach_msg_send_from_kernel (MACH_SEND_ALWAYS: never blocks), so a pager
// that does not receive cannot stop the kernel; a pager that never
// answers leaves its faulting threads waiting, which thread_abort and
// task termination end.
//
// Locks: mo_lock (MEMORY_OBJECT) guards the list; object locks as in
// vm_object.c.  Messages are sent with no lock held.

#include <vm/memory_object.h>
#include <vm/vm_page.h>
#include <vm/vm_pageout.h>
#include <vm/pmap.h>
#include <ipc/ipc_ool.h>
#include <lib/string.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_notify.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_space.h>
#include <kern/assert.h>
#include <kern/rpc_servers.h>
#include <kern/sched_prim.h>
#include <kern/spinlock.h>
#include <mach/mig_support.h>

#include <memory_object.h>               // generated: KernelUser stubs (memory_object.defs)
#include <memory_object_default.h>       // generated: ...and memory_object_default.defs
#include <memory_object_controlServer.h> // generated: the S_* prototypes

static struct spinlock mo_lock = SPINLOCK_INIT("memory_object", LOCK_RANK_MEMORY_OBJECT);
static struct vm_object *mo_list; // protected by mo_lock: by vo_pager_next
static size_t mo_live, mo_requests, mo_pageins, mo_default; // atomic

size_t
memory_object_count(void)
{
    return __atomic_load_n(&mo_live, __ATOMIC_RELAXED);
}

size_t
memory_object_requests(void)
{
    return __atomic_load_n(&mo_requests, __ATOMIC_RELAXED);
}

size_t
memory_object_default_count(void)
{
    return __atomic_load_n(&mo_default, __ATOMIC_RELAXED);
}

size_t
memory_object_pageins(void)
{
    return __atomic_load_n(&mo_pageins, __ATOMIC_RELAXED);
}

void
memory_object_server_init(void)
{
    if (ipc_kobject_register_server(memory_object_control_server, 2300, 8,
                                    memory_object_control_max_reply_size) != KERN_SUCCESS)
        panic("memory_object_server_init: ids 2300..2307 are taken");
}

// The live external object of `pager` in the list, referenced, or NULL.
// An object whose count reached zero is on its way out: it does not
// count.  (Anonymous objects paged to the default pager are listed too,
// for pager_died, but a task cannot map one by its port.)
static struct vm_object *
list_find_locked(struct ipc_port *pager)
{
    assert_locked(&mo_lock);
    for (struct vm_object *o = mo_list; o != NULL; o = o->vo_pager_next)
        if (o->vo_pager == pager && !o->vo_internal && vm_object_reference_live(o))
            return o;
    return NULL;
}

static void
list_remove(struct vm_object *obj)
{
    spin_lock(&mo_lock);
    for (struct vm_object **pp = &mo_list; *pp != NULL; pp = &(*pp)->vo_pager_next) {
        if (*pp == obj) {
            *pp = obj->vo_pager_next;
            break;
        }
    }
    spin_unlock(&mo_lock);
}

// Marks obj's pager dead: absent pages are no longer asked for, and the
// faults waiting on busy placeholders wake up and fail (page_in sees the
// flag before it looks at the page).  Called with no lock held.
static void
object_mark_dead(struct vm_object *obj)
{
    spin_lock(&obj->vo_lock);
    __atomic_store_n(&obj->vo_pager_dead, true, __ATOMIC_RELAXED);
    thread_wakeup((event_t)&obj->vo_pager_ready);
    spin_unlock(&obj->vo_lock);
    vm_object_page_answer(obj, 0, MEMORY_OBJECT_SIZE, true); // wakes each busy page
}

// The kernel dead-name request's callback: the receive right of `pager`
// died.  Every live object of that port is marked dead (usually one; a
// second exists only while the first is being terminated, and a dying one
// is skipped: its faults are over).  No locks held (ipc_port_destroy).
static void
pager_died(struct ipc_port *pager)
{
    for (;;) {
        struct vm_object *obj = NULL;
        spin_lock(&mo_lock);
        for (struct vm_object *o = mo_list; o != NULL && obj == NULL; o = o->vo_pager_next) {
            if (o->vo_pager == pager && !__atomic_load_n(&o->vo_pager_dead, __ATOMIC_RELAXED) &&
                vm_object_reference_live(o))
                obj = o;
        }
        spin_unlock(&mo_lock);
        if (obj == NULL)
            return;
        object_mark_dead(obj);
        vm_object_deallocate(obj);
    }
}

// A new external object for pager, not yet listed: its own send right to
// the pager, a control port, a kernel dead-name request on the pager's
// port (an object made for a port that has just died starts dead).  NULL
// when memory is short.
static struct vm_object *
object_create(struct ipc_port *pager)
{
    struct vm_object *obj = vm_object_allocate(MEMORY_OBJECT_SIZE);
    kern_return_t kr;

    if (obj == NULL)
        return NULL;
    kr = ipc_dnrequest_kernel(pager, pager_died, &obj->vo_pager_dnr);
    if (kr == KERN_RESOURCE_SHORTAGE)
        goto fail_object;
    obj->vo_pager_dead = kr == KERN_INVALID_RIGHT;
    obj->vo_control = ipc_kobject_alloc_port(obj, IKOT_MEM_OBJ_CONTROL);
    if (obj->vo_control == NULL)
        goto fail_request;
    obj->vo_internal = false;
    obj->vo_pager = ipc_port_copy_send(pager);
    __atomic_add_fetch(&mo_live, 1, __ATOMIC_RELAXED);
    return obj;

fail_request:
    if (obj->vo_pager_dnr != NULL)
        ipc_dnrequest_kernel_cancel(pager, obj->vo_pager_dnr);
fail_object:
    vm_object_deallocate(obj); // still internal: nothing to tell a pager
    return NULL;
}

// Tells the pager about obj, then lets requests go (vo_pager_ready).
static void
object_announce(struct vm_object *obj)
{
    (void)memory_object_init(obj->vo_pager, obj->vo_control, PAGE_SIZE);
    spin_lock(&obj->vo_lock);
    obj->vo_pager_ready = true;
    thread_wakeup((event_t)&obj->vo_pager_ready);
    spin_unlock(&obj->vo_lock);
}

kern_return_t
memory_object_lookup(struct ipc_port *pager, struct vm_object **objp)
{
    struct vm_object *obj, *made;

    ipc_port_lock(pager);
    bool kernel_port = pager->ip_receiver == ipc_space_kernel || !pager->ip_active;
    ipc_port_unlock(pager);
    if (kernel_port)
        return KERN_INVALID_ARGUMENT;

    spin_lock(&mo_lock);
    obj = list_find_locked(pager);
    spin_unlock(&mo_lock);
    if (obj != NULL)
        goto found;
    if ((made = object_create(pager)) == NULL)
        return KERN_RESOURCE_SHORTAGE;
    spin_lock(&mo_lock);
    obj = list_find_locked(pager); // someone may have made one meanwhile
    if (obj == NULL) {
        made->vo_pager_next = mo_list;
        mo_list = made;
    }
    spin_unlock(&mo_lock);
    if (obj != NULL) {
        vm_object_deallocate(made); // never announced: no terminate is sent
        goto found;
    }
    object_announce(made);
    obj = made;
found:
    *objp = obj;
    return KERN_SUCCESS;
}

void
memory_object_object_terminate(struct vm_object *obj)
{
    list_remove(obj);
    if (obj->vo_pager_dnr != NULL) // off the list: pager_died cannot find obj now
        ipc_dnrequest_kernel_cancel(obj->vo_pager, obj->vo_pager_dnr);
    if (obj->vo_pager_ready)
        (void)memory_object_terminate(obj->vo_pager, obj->vo_control);
    ipc_kobject_destroy_port(obj->vo_control);
    ipc_port_release_send(obj->vo_pager);
    obj->vo_control = obj->vo_pager = NULL;
    __atomic_sub_fetch(&mo_live, 1, __ATOMIC_RELAXED);
    if (obj->vo_internal)
        __atomic_sub_fetch(&mo_default, 1, __ATOMIC_RELAXED);
}

static void
list_insert(struct vm_object *obj)
{
    spin_lock(&mo_lock);
    obj->vo_pager_next = mo_list;
    mo_list = obj;
    spin_unlock(&mo_lock);
}

kern_return_t
memory_object_create_default(struct vm_object *obj, struct ipc_port *manager)
{
    struct ipc_port *port = ipc_port_alloc_special(ipc_space_kernel), *control, *send;
    struct ipc_dnrequest *dnr;

    assert(obj->vo_internal && obj->vo_pager == NULL);
    if (port == NULL)
        return KERN_RESOURCE_SHORTAGE;
    if (ipc_dnrequest_kernel(port, pager_died, &dnr) != KERN_SUCCESS)
        goto fail_port;
    if ((control = ipc_kobject_alloc_port(obj, IKOT_MEM_OBJ_CONTROL)) == NULL)
        goto fail_request;
    send = ipc_port_make_send(port); // IPC locks rank below the object's
    spin_lock(&obj->vo_lock);
    obj->vo_pager = send;
    obj->vo_control = control;
    obj->vo_pager_dnr = dnr;
    obj->vo_pager_ready = true; // memory_object_create plays init's part
    spin_unlock(&obj->vo_lock);
    list_insert(obj);
    __atomic_add_fetch(&mo_live, 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&mo_default, 1, __ATOMIC_RELAXED);

    // The receive right goes with the message.  If the message cannot go,
    // the port dies with it (or here) and pager_died marks obj dead.
    kern_return_t kr = memory_object_create(manager, port, obj->vo_size, control, PAGE_SIZE);
    if (kr == MACH_SEND_NO_BUFFER)
        ipc_port_dealloc_special(port);
    return kr == KERN_SUCCESS ? KERN_SUCCESS : KERN_FAILURE;

fail_request:
    ipc_dnrequest_kernel_cancel(port, dnr);
fail_port:
    ipc_port_dealloc_special(port);
    return KERN_RESOURCE_SHORTAGE;
}

kern_return_t
memory_object_return_page(struct vm_object *obj, vm_offset_t offset, struct vm_page *p,
                          struct vm_page *frame, bool dirty, bool kernel_copy, bool initialize)
{
    struct vm_object *carrier;
    kern_return_t kr;
    void *data;

    memcpy(phys_to_virt(vm_page_to_phys(frame)), phys_to_virt(vm_page_to_phys(p)), PAGE_SIZE);
    if ((carrier = vm_object_of_page(frame)) == NULL) {
        vm_page_free(frame, 0);
        return KERN_RESOURCE_SHORTAGE;
    }
    if ((data = ipc_ool_copy_object(carrier, PAGE_SIZE)) == NULL)
        return KERN_RESOURCE_SHORTAGE;
    if (initialize)
        kr = memory_object_data_initialize(obj->vo_pager, obj->vo_control, offset,
                                           (vm_offset_t)data, PAGE_SIZE);
    else
        kr = memory_object_data_return(obj->vo_pager, obj->vo_control, offset, (vm_offset_t)data,
                                       PAGE_SIZE, dirty, kernel_copy);
    if (kr == MACH_SEND_NO_BUFFER) { // not sent: the data is still ours
        ipc_ool_discard(data, PAGE_SIZE);
        return KERN_RESOURCE_SHORTAGE;
    }
    return kr == KERN_SUCCESS ? KERN_SUCCESS : KERN_FAILURE; // else consumed by a dead port
}

// Waits, with obj locked, for `event`; returns with obj locked again.
// False when the wait was interrupted.
static bool
wait_locked(struct vm_object *obj, void *event)
{
    assert_wait((event_t)event, true);
    spin_unlock(&obj->vo_lock);
    wait_result_t wr = thread_block();
    spin_lock(&obj->vo_lock);
    return wr != THREAD_INTERRUPTED;
}

// Puts a busy placeholder at offset and asks the pager for it.  Called and
// returns with obj unlocked.  KERN_SUCCESS also when another fault put a
// page there first.
static kern_return_t
request_page(struct vm_object *obj, vm_offset_t offset, vm_prot_t access)
{
    struct vm_page *fresh = vm_page_grab();

    if (fresh == NULL)
        return KERN_RESOURCE_SHORTAGE;
    if (!vm_object_page_insert_busy(obj, offset, fresh)) {
        vm_page_free(fresh, 0);
        return KERN_SUCCESS; // lost the race: wait for the winner's request
    }
    __atomic_add_fetch(&mo_requests, 1, __ATOMIC_RELAXED);
    kern_return_t kr =
        memory_object_data_request(obj->vo_pager, obj->vo_control, offset, PAGE_SIZE, access);
    if (kr != KERN_SUCCESS) { // no message buffer: nobody will answer
        spin_lock(&obj->vo_lock);
        vm_object_page_discard_locked(obj, offset);
        spin_unlock(&obj->vo_lock);
        return KERN_MEMORY_ERROR;
    }
    return KERN_SUCCESS;
}

kern_return_t
memory_object_page_in(struct vm_object *obj, vm_offset_t offset, vm_prot_t access)
{
    assert(offset % PAGE_SIZE == 0);
    spin_lock(&obj->vo_lock);
    for (;;) {
        struct vm_page *p = vm_object_page_lookup_locked(obj, offset);
        if (p != NULL && !(p->vp_flags & VM_PAGE_WAIT_FLAGS))
            break; // resident: the caller looks it up again
        // Being cleaned: its data is valid and its cleaner settles it soon.
        if (p != NULL && (p->vp_flags & VM_PAGE_CLEANING)) {
            if (!wait_locked(obj, p)) {
                spin_unlock(&obj->vo_lock);
                return KERN_ABORTED;
            }
            continue;
        }
        // Absent and not the pager's (an anonymous object's page that was
        // freed clean, or never paged out): the caller's walk goes on.
        if (p == NULL && (obj->vo_pager == NULL ||
                          (obj->vo_internal && !vm_object_existence_test_locked(obj, offset))))
            break;
        // The pager is dead: nobody will answer.  Fail, leave no placeholder.
        if (obj->vo_pager_dead) {
            vm_object_page_discard_locked(obj, offset);
            spin_unlock(&obj->vo_lock);
            return KERN_MEMORY_FAILURE;
        }
        if (p != NULL && (p->vp_flags & VM_PAGE_ERROR)) {
            vm_object_page_discard_locked(obj, offset); // the next fault asks again
            spin_unlock(&obj->vo_lock);
            return KERN_MEMORY_ERROR;
        }
        if (p != NULL || !obj->vo_pager_ready) { // busy, or init not sent yet
            if (!wait_locked(obj, p != NULL ? (void *)p : (void *)&obj->vo_pager_ready)) {
                spin_unlock(&obj->vo_lock);
                return KERN_ABORTED;
            }
            continue;
        }
        spin_unlock(&obj->vo_lock);
        kern_return_t kr = request_page(obj, offset, access);
        if (kr != KERN_SUCCESS)
            return kr;
        spin_lock(&obj->vo_lock);
    }
    spin_unlock(&obj->vo_lock);
    return KERN_SUCCESS;
}

struct vm_object *
convert_port_to_vm_object(struct ipc_port *port)
{
    struct vm_object *obj;

    if (!IP_VALID(port))
        return NULL;
    ipc_port_lock(port);
    obj = ipc_kobject_get_locked(port, IKOT_MEM_OBJ_CONTROL);
    if (obj != NULL && !vm_object_reference_live(obj))
        obj = NULL; // terminating: its port dies in a moment
    ipc_port_unlock(port);
    return obj;
}

// ---------------------------------------------------------------------------
// Page locks and lock_request.

kern_return_t
memory_object_unlock(struct vm_object *obj, vm_offset_t offset, vm_prot_t access)
{
    spin_lock(&obj->vo_lock);
    for (;;) {
        struct vm_page *p = vm_object_page_lookup_locked(obj, offset);
        if (p == NULL || (p->vp_flags & VM_PAGE_WAIT_FLAGS) || !(p->vp_page_lock & access))
            break; // changed meanwhile: the caller looks again
        if (obj->vo_pager_dead) {
            spin_unlock(&obj->vo_lock);
            return KERN_MEMORY_FAILURE;
        }
        if (!(p->vp_flags & VM_PAGE_UNLOCK)) { // the first fault asks, the others wait
            p->vp_flags |= VM_PAGE_UNLOCK;
            spin_unlock(&obj->vo_lock);
            __atomic_add_fetch(&mo_requests, 1, __ATOMIC_RELAXED);
            kern_return_t kr = memory_object_data_unlock(obj->vo_pager, obj->vo_control, offset,
                                                         PAGE_SIZE, access);
            spin_lock(&obj->vo_lock);
            if (kr != KERN_SUCCESS) { // nobody will answer
                if (vm_object_page_lookup_locked(obj, offset) == p)
                    p->vp_flags &= (uint8_t)~VM_PAGE_UNLOCK;
                spin_unlock(&obj->vo_lock);
                return KERN_MEMORY_ERROR;
            }
            continue; // look again before waiting: the answer may be in
        }
        if (!wait_locked(obj, p)) {
            spin_unlock(&obj->vo_lock);
            return KERN_ABORTED;
        }
    }
    spin_unlock(&obj->vo_lock);
    return KERN_SUCCESS;
}

// The first resident page of obj in [from, end) with data (not busy),
// marked CLEANING and off the paging queues for the caller; a page being
// cleaned by someone else is waited for.  NULL when there is none.
static struct vm_page *
lock_next_page(struct vm_object *obj, vm_offset_t from, vm_offset_t end)
{
    spin_lock(&obj->vo_lock);
    struct avl_node *n = avl_find_ge(&obj->vo_pages, from);
    while (n != NULL && n->an_key < end) {
        struct vm_page *p = container_of(n, struct vm_page, vp_onode);
        if (p->vp_flags & VM_PAGE_CLEANING) {
            if (!wait_locked(obj, p)) // its cleaner settles it soon
                break;                // unless we are interrupted: stop here
            n = avl_find_ge(&obj->vo_pages, from);
            continue;
        }
        if (!(p->vp_flags & (VM_PAGE_BUSY | VM_PAGE_ERROR))) {
            p->vp_flags |= VM_PAGE_CLEANING;
            vm_page_dequeue(p);
            spin_unlock(&obj->vo_lock);
            return p;
        }
        n = avl_next(n);
    }
    spin_unlock(&obj->vo_lock);
    return NULL;
}

// Applies one lock_request to p (CLEANING, from lock_next_page).
// *memory_ok: the request may still wait for memory; cleared when a wait
// found none, so that the rest of the request returns nothing rather than
// wait again.  No lock held; may block.
static void
lock_page(struct vm_object *obj, struct vm_page *p, memory_object_return_t should_return,
          bool flush, vm_prot_t lock_value, bool *memory_ok)
{
    // Write-protect first, so no write lands between the copy and the
    // clearing of the modified bit; remove the translations to flush.
    pmap_page_protect(p, flush || (lock_value & VM_PROT_READ) ? VM_PROT_NONE : VM_PROT_READ);
    bool dirty = pmap_is_modified(p) || (p->vp_flags & VM_PAGE_DIRTY);
    bool precious = (p->vp_flags & VM_PAGE_PRECIOUS) != 0;
    bool ret = (should_return == MEMORY_OBJECT_RETURN_DIRTY && dirty) ||
               (should_return == MEMORY_OBJECT_RETURN_ALL && (dirty || precious));
    // A returned page holds a frame (the copy) and a message until the
    // pager has taken it, and the request is the pager's, not the pageout
    // daemon's: like a fault it may not eat into the reserve, so its frame
    // comes from vm_page_grab, waiting for the daemon when refused.
    // Without this a flush of thousands of dirty pages outruns the pager
    // and leaves the kernel no memory at all.
    struct vm_page *frame = NULL;
    while (ret && *memory_ok && (frame = vm_page_grab()) == NULL)
        *memory_ok = vm_page_wait() == KERN_SUCCESS;
    if (ret && (frame == NULL || memory_object_return_page(obj, vm_page_offset(p), p, frame, dirty,
                                                           !flush, false) != KERN_SUCCESS)) {
        vm_object_page_clean_failed(obj, p); // the data stays here, unflushed
        return;
    }
    if (flush) {
        vm_object_page_cleaned(obj, p, false);
        return;
    }
    if (ret)
        pmap_clear_modify(p);
    spin_lock(&obj->vo_lock);
    if (ret)
        p->vp_flags &= (uint8_t)~VM_PAGE_DIRTY; // the pager has this data now
    if (p->vp_flags & VM_PAGE_UNLOCK) {
        p->vp_flags &= (uint8_t)~VM_PAGE_UNLOCK; // the faults waiting look again
        thread_wakeup((event_t)p);
    }
    p->vp_page_lock = (uint8_t)lock_value;
    spin_unlock(&obj->vo_lock);
    vm_object_page_clean_failed(obj, p); // "not cleaned away": back on the queues
}

// ---------------------------------------------------------------------------
// The control interface (memory_object_control.defs), pager -> kernel.
// Simpleroutines: a return code other than KERN_SUCCESS only makes the
// stub destroy the request (docs/mig.md, "Ownership").

// [offset, offset + size) is a whole number of pages inside an object.
static bool
page_range_ok(vm_offset_t offset, vm_size_t size)
{
    return offset % PAGE_SIZE == 0 && size % PAGE_SIZE == 0 && size != 0 &&
           offset < MEMORY_OBJECT_SIZE && size <= MEMORY_OBJECT_SIZE - offset;
}

/*
 * memory_object_data_supply (2300): the data for [offset, + dataCnt).
 * Busy placeholders are filled and their faults woken; absent pages are
 * made resident; resident ones are left alone.  lock_value is the access
 * withheld from the pages (a fault that needs it sends data_unlock);
 * precious pages are returned on eviction even when clean.  With a
 * reply_to, memory_object_supply_completed reports the pages that could
 * not be made resident (no memory).
 * Returns: KERN_SUCCESS; KERN_INVALID_ARGUMENT (no live object, a range that is not whole
 *     pages, a bad lock_value, an object that is dead: destroyed, or its pager gone).
 */
kern_return_t
S_memory_object_data_supply(vm_object_t obj, vm_offset_t offset, vm_offset_t data,
                            mach_msg_type_number_t dataCnt, vm_prot_t lock_value,
                            boolean_t precious, mach_port_t reply_to)
{
    // A dead object (destroyed, or its pager's port died) takes no more
    // data: its faults fail, and a late supply must not bring pages back.
    if (obj == NULL || obj->vo_pager == NULL || !page_range_ok(offset, dataCnt) ||
        (lock_value & ~VM_PROT_ALL) != 0 || __atomic_load_n(&obj->vo_pager_dead, __ATOMIC_RELAXED))
        return KERN_INVALID_ARGUMENT;
    // Busy placeholders need no memory; an absent page that finds none is
    // skipped (it is asked for when touched) and reported to reply_to.
    kern_return_t result = KERN_SUCCESS;
    vm_offset_t error_offset = 0;
    for (vm_size_t done = 0; done < dataCnt; done += PAGE_SIZE) {
        if (vm_object_page_supply(obj, offset + done, (const char *)data + done, lock_value,
                                  precious) != KERN_SUCCESS &&
            result == KERN_SUCCESS) {
            result = KERN_RESOURCE_SHORTAGE;
            error_offset = offset + done;
        }
    }
    __atomic_add_fetch(&mo_pageins, dataCnt / PAGE_SIZE, __ATOMIC_RELAXED);
    // Past this point the request is ours (rule 1): free and drop it all.
    mig_kernel_deallocate((void *)data, dataCnt);
    if (IP_VALID(reply_to)) {
        (void)memory_object_supply_completed(reply_to, obj->vo_control, offset, dataCnt, result,
                                             error_offset);
        ipc_port_release_send(reply_to);
    }
    return KERN_SUCCESS;
}

/*
 * memory_object_data_unavailable (2301): no data for [offset, + size):
 * the pages faults wait for there are zero-filled, as for anonymous memory
 * (pages nobody asked for are not made: they are asked for when touched).
 * Returns: KERN_SUCCESS; KERN_INVALID_ARGUMENT.
 */
kern_return_t
S_memory_object_data_unavailable(vm_object_t obj, vm_offset_t offset, vm_size_t size)
{
    if (obj == NULL || obj->vo_pager == NULL || !page_range_ok(offset, size))
        return KERN_INVALID_ARGUMENT;
    vm_object_page_answer(obj, offset, offset + size, false);
    return KERN_SUCCESS;
}

/*
 * memory_object_data_error (2302): the pages of [offset, + size) the
 * kernel is waiting for cannot be had: each waiting fault fails with
 * KERN_MEMORY_ERROR (error_value is not passed on: GNU Mach does the same).
 * Returns: KERN_SUCCESS; KERN_INVALID_ARGUMENT.
 */
kern_return_t
S_memory_object_data_error(vm_object_t obj, vm_offset_t offset, vm_size_t size,
                           kern_return_t error_value)
{
    (void)error_value;
    if (obj == NULL || obj->vo_pager == NULL || !page_range_ok(offset, size))
        return KERN_INVALID_ARGUMENT;
    vm_object_page_answer(obj, offset, offset + size, true);
    return KERN_SUCCESS;
}

/*
 * memory_object_lock_request (2303): see memory_object_control.defs.  Each
 * resident page of the range is settled in turn, marked CLEANING while it
 * is (faults on it wait) and off the paging queues; pages whose data is on
 * its way in (busy) are skipped.  Before a page is returned the request
 * waits, as a fault does, while free pages are down to the reserve.  A
 * page whose return fails (no memory, the pager's port died) is neither
 * flushed nor locked: its data stays.
 * Returns: KERN_SUCCESS; KERN_INVALID_ARGUMENT (no live external object, a
 *     range that is not whole pages, a bad should_return or lock_value).
 */
kern_return_t
S_memory_object_lock_request(vm_object_t obj, vm_offset_t offset, vm_size_t size,
                             memory_object_return_t should_return, boolean_t should_flush,
                             vm_prot_t lock_value, mach_port_t reply_to)
{
    if (obj == NULL || obj->vo_pager == NULL || obj->vo_internal || !page_range_ok(offset, size) ||
        should_return < MEMORY_OBJECT_RETURN_NONE || should_return > MEMORY_OBJECT_RETURN_ALL ||
        (lock_value & ~VM_PROT_ALL) != 0)
        return KERN_INVALID_ARGUMENT;
    bool memory_ok = true;
    for (vm_offset_t next = offset; next < offset + size;) {
        struct vm_page *p = lock_next_page(obj, next, offset + size);
        if (p == NULL)
            break;
        next = vm_page_offset(p) + PAGE_SIZE;
        lock_page(obj, p, should_return, should_flush, lock_value, &memory_ok);
    }
    if (IP_VALID(reply_to)) {
        (void)memory_object_lock_completed(reply_to, obj->vo_control, offset, size);
        ipc_port_release_send(reply_to);
    }
    return KERN_SUCCESS;
}

// Sets the attributes ready and change_attributes carry.  may_cache is
// recorded and reported; Quay keeps no cache of unmapped objects, so an
// object still ends with its last mapping.
static kern_return_t
set_attributes(struct vm_object *obj, boolean_t may_cache, memory_object_copy_strategy_t cs)
{
    if (obj == NULL || obj->vo_pager == NULL || obj->vo_internal || cs < MEMORY_OBJECT_COPY_NONE ||
        cs > MEMORY_OBJECT_COPY_TEMPORARY)
        return KERN_INVALID_ARGUMENT;
    spin_lock(&obj->vo_lock);
    obj->vo_pager_attrs_set = true;
    obj->vo_may_cache = may_cache != FALSE;
    obj->vo_copy_strategy = cs;
    spin_unlock(&obj->vo_lock);
    return KERN_SUCCESS;
}

/*
 * memory_object_ready (2304): the pager's attributes (may_cache, copy
 * strategy).  Requests do not wait for it: they go once init is sent.
 * Returns: KERN_SUCCESS; KERN_INVALID_ARGUMENT.
 */
kern_return_t
S_memory_object_ready(vm_object_t obj, boolean_t may_cache, memory_object_copy_strategy_t cs)
{
    return set_attributes(obj, may_cache, cs);
}

/*
 * memory_object_change_attributes (2305): as ready, then
 * memory_object_change_completed to reply_to.
 * Returns: KERN_SUCCESS; KERN_INVALID_ARGUMENT (nothing changes, no reply).
 */
kern_return_t
S_memory_object_change_attributes(vm_object_t obj, boolean_t may_cache,
                                  memory_object_copy_strategy_t cs, mach_port_t reply_to)
{
    kern_return_t kr = set_attributes(obj, may_cache, cs);

    if (kr != KERN_SUCCESS)
        return kr;
    if (IP_VALID(reply_to)) {
        (void)memory_object_change_completed(reply_to, may_cache, cs);
        ipc_port_release_send(reply_to);
    }
    return KERN_SUCCESS;
}

/*
 * memory_object_get_attributes (2306): the attributes; before ready or
 * change_attributes: not ready, no caching, MEMORY_OBJECT_COPY_DELAY.
 * Returns: KERN_SUCCESS; KERN_INVALID_ARGUMENT.
 */
kern_return_t
S_memory_object_get_attributes(vm_object_t obj, boolean_t *ready, boolean_t *may_cache,
                               memory_object_copy_strategy_t *cs)
{
    if (obj == NULL || obj->vo_pager == NULL || obj->vo_internal)
        return KERN_INVALID_ARGUMENT;
    spin_lock(&obj->vo_lock);
    *ready = obj->vo_pager_attrs_set;
    *may_cache = obj->vo_may_cache;
    *cs = obj->vo_pager_attrs_set ? obj->vo_copy_strategy : MEMORY_OBJECT_COPY_DELAY;
    spin_unlock(&obj->vo_lock);
    return KERN_SUCCESS;
}

/*
 * memory_object_destroy (2307): the pager gives the object up: it is
 * marked dead (faults on pages it does not have fail with
 * KERN_MEMORY_FAILURE), and every resident page is dropped unreturned.
 * terminate follows when the last mapping goes.
 * Returns: KERN_SUCCESS; KERN_INVALID_ARGUMENT.
 */
kern_return_t
S_memory_object_destroy(vm_object_t obj, kern_return_t reason)
{
    (void)reason;
    if (obj == NULL || obj->vo_pager == NULL || obj->vo_internal)
        return KERN_INVALID_ARGUMENT;
    object_mark_dead(obj);
    for (vm_offset_t next = 0;;) {
        struct vm_page *p = lock_next_page(obj, next, MEMORY_OBJECT_SIZE);
        if (p == NULL)
            break;
        next = vm_page_offset(p) + PAGE_SIZE;
        pmap_page_protect(p, VM_PROT_NONE);
        vm_object_page_cleaned(obj, p, false);
    }
    return KERN_SUCCESS;
}

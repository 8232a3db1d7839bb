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
#include <memory_object_controlServer.h> // generated: the S_* prototypes

static struct spinlock mo_lock = SPINLOCK_INIT("memory_object", LOCK_RANK_MEMORY_OBJECT);
static struct vm_object *mo_list;   // protected by mo_lock: by vo_pager_next
static size_t mo_live, mo_requests; // atomic

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

void
memory_object_server_init(void)
{
    if (ipc_kobject_register_server(memory_object_control_server, 2300, 8,
                                    memory_object_control_max_reply_size) != KERN_SUCCESS)
        panic("memory_object_server_init: ids 2300..2307 are taken");
}

// The live object of `pager` in the list, referenced, or NULL.  An object
// whose count reached zero is on its way out: it does not count.
static struct vm_object *
list_find_locked(struct ipc_port *pager)
{
    assert_locked(&mo_lock);
    for (struct vm_object *o = mo_list; o != NULL; o = o->vo_pager_next)
        if (o->vo_pager == pager && vm_object_reference_live(o))
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
    struct vm_page *fresh = vm_page_alloc(0);

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
    assert(obj->vo_pager != NULL && offset % PAGE_SIZE == 0);
    spin_lock(&obj->vo_lock);
    for (;;) {
        struct vm_page *p = vm_object_page_lookup_locked(obj, offset);
        if (p != NULL && p->vp_flags == 0)
            break; // resident: the caller looks it up again
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
 * made resident; resident ones are left alone.  lock_value and precious
 * are not used yet (no lock_request, no pageout); reply_to is dropped
 * (supply_completed is not sent yet).
 * Returns: KERN_SUCCESS; KERN_INVALID_ARGUMENT (no live object, a range that is not whole
 *     pages).
 */
kern_return_t
S_memory_object_data_supply(vm_object_t obj, vm_offset_t offset, vm_offset_t data,
                            mach_msg_type_number_t dataCnt, vm_prot_t lock_value,
                            boolean_t precious, mach_port_t reply_to)
{
    (void)lock_value;
    (void)precious;
    if (obj == NULL || obj->vo_pager == NULL || !page_range_ok(offset, dataCnt))
        return KERN_INVALID_ARGUMENT;
    // Busy placeholders need no memory; an absent page that finds none is
    // skipped (it is asked for when touched).
    for (vm_size_t done = 0; done < dataCnt; done += PAGE_SIZE)
        (void)vm_object_page_supply(obj, offset + done, (const char *)data + done);
    // Past this point the request is ours (rule 1): free and drop it all.
    mig_kernel_deallocate((void *)data, dataCnt);
    if (IP_VALID(reply_to))
        ipc_port_release_send(reply_to);
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

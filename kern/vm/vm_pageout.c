// SPDX-License-Identifier: MIT
//
// The pageout daemon, the page reserve and the default pager's port (see
// vm_pageout.h; README.md, "Paging").
//
// Watermarks, in pages, from the amount of RAM:
//
//   reserve      task memory (vm_page_grab) is not given below it, except to
//                the paging task and kernel threads: what the kernel and the
//                default pager need to free memory
//   free_min     below it, the daemon is woken
//   free_target  the daemon works until free pages reach it
//
// One round of the daemon takes pages from the cold end of the inactive
// queue, which it keeps at a third of the paging queues by moving the
// coldest active pages there with their reference bits cleared.  For each
// page, with the queues locked and its object only try-locked (the queue
// lock ranks above object locks):
//
//   referenced since it was deactivated    -> back to the active queue
//   mapped by the paging task              -> back to the active queue
//   otherwise                              -> marked CLEANING, off the queues;
//       then, with no lock held, every translation is removed (gathering
//       the modified bit) and:
//         clean (the pager has its data)   -> freed
//         dirty or precious                -> its data goes to the pager
//                                             (memory_object_return_page),
//                                             then it is freed; an anonymous
//                                             object first gets a default-
//                                             pager object
//         cannot be written (no default pager, its pager dead, no memory)
//                                          -> back to the active queue
//
// A round ends when free pages reach free_target, or when it has looked at
// every queued page without freeing one (then memory is exhausted: the
// threads waiting in vm_page_wait fail with KERN_RESOURCE_SHORTAGE).
// Waiters are woken at the end of the first round that started after
// they began to wait, or as soon as free pages are above the reserve.
//
// Locks: po_lock (PAGEOUT, taken with nothing else held) guards the
// default pager's port, the paging task and the round counters.

#include <vm/vm_pageout.h>
#include <vm/memory_object.h>
#include <vm/vm_map.h>
#include <vm/vm_object.h>
#include <vm/vm_page.h>
#include <vm/pmap.h>
#include <ipc/ipc_port.h>
#include <kern/assert.h>
#include <kern/console.h>
#include <kern/sched.h>
#include <kern/sched_prim.h>
#include <kern/spinlock.h>
#include <kern/task.h>
#include <kern/thread.h>

#define BALANCE_BATCH   32 /* active pages deactivated per look at the queues */
#define LAUNDRY_WAIT_NS (2ull * 1000 * 1000 * 1000) /* for a pager to take a page */

// Constant after vm_pageout_init.
static size_t reserve, free_min, free_target;
static size_t laundry_max; // pages in flight to pagers before the daemon waits

static struct spinlock po_lock = SPINLOCK_INIT("vm_pageout", LOCK_RANK_PAGEOUT);
// Protected by po_lock.
static struct ipc_port *default_pager; // a send right, or IP_NULL
static struct task *paging_task;       // referenced, or NULL
static uint64_t rounds_started, rounds_done;
static bool last_round_stuck; // the last round freed nothing
static uint64_t round_wanted; // the last round a thread in vm_page_wait waits for

// Atomic.
static size_t pageouts, reclaimed, shortages;
static size_t in_flight; // carriers alive

// Events.
static char daemon_event, free_event, laundry_event;

void
vm_pageout_counts(struct vm_pageout_counts *c)
{
    *c = (struct vm_pageout_counts){
        .vpo_pageouts = __atomic_load_n(&pageouts, __ATOMIC_RELAXED),
        .vpo_pageins = memory_object_pageins(),
        .vpo_reclaimed = __atomic_load_n(&reclaimed, __ATOMIC_RELAXED),
        .vpo_shortages = __atomic_load_n(&shortages, __ATOMIC_RELAXED),
    };
}

// ---------------------------------------------------------------------------
// The default pager and the paging task.

struct ipc_port *
vm_pageout_set_default_pager(struct ipc_port *port, struct task *task)
{
    struct ipc_port *old;
    struct task *old_task = NULL;

    if (IP_VALID(port))
        task_reference(task);
    spin_lock(&po_lock);
    old = default_pager;
    if (IP_VALID(port)) {
        default_pager = port;
        old_task = paging_task;
        paging_task = task;
        last_round_stuck = false; // anonymous memory can go somewhere now
    }
    spin_unlock(&po_lock);
    if (!IP_VALID(port) && IP_VALID(old)) // only looking: the caller gets a copy
        old = ipc_port_copy_send(old);
    if (old_task != NULL)
        task_deallocate(old_task);
    return old;
}

bool
vm_pageout_is_paging_task(const struct task *task)
{
    return __atomic_load_n(&paging_task, __ATOMIC_RELAXED) == task;
}

// A send right to the default pager for the caller, or IP_NULL.
static struct ipc_port *
default_pager_get(void)
{
    spin_lock(&po_lock);
    struct ipc_port *port = default_pager;
    if (IP_VALID(port))
        ipc_port_reference(port); // keeps it while we copy a right below
    spin_unlock(&po_lock);
    if (!IP_VALID(port))
        return IP_NULL;
    struct ipc_port *right = ipc_port_copy_send(port);
    ipc_port_release(port);
    return right;
}

// The pmap of the paging task (only compared, never followed), or NULL.
static struct pmap *
paging_pmap(void)
{
    struct task *t = __atomic_load_n(&paging_task, __ATOMIC_RELAXED);
    return t != NULL ? t->map->pmap : NULL;
}

// ---------------------------------------------------------------------------
// Pages in flight.  A page written to a pager is a copy (the original is
// freed at once), so the free count rises only when the pager is done
// with the copy: the daemon lets at most laundry_max be in flight, then
// waits for the pagers, which run meanwhile.

void
vm_pageout_carrier_start(void)
{
    __atomic_add_fetch(&in_flight, 1, __ATOMIC_RELAXED);
}

void
vm_pageout_carrier_done(void)
{
    if (__atomic_sub_fetch(&in_flight, 1, __ATOMIC_RELAXED) < laundry_max)
        thread_wakeup((event_t)&laundry_event);
}

// Waits until fewer than laundry_max pages are in flight.  False when the
// pagers took more than LAUNDRY_WAIT_NS to take one (stuck, or dead and
// their messages not yet destroyed): the round ends.
static bool
laundry_wait(void)
{
    while (__atomic_load_n(&in_flight, __ATOMIC_RELAXED) >= laundry_max) {
        assert_wait((event_t)&laundry_event, false);
        thread_set_timeout(LAUNDRY_WAIT_NS);
        if (__atomic_load_n(&in_flight, __ATOMIC_RELAXED) < laundry_max) {
            thread_wakeup((event_t)&laundry_event); // ends our own wait
            (void)thread_block();
            break;
        }
        if (thread_block() == THREAD_TIMED_OUT &&
            __atomic_load_n(&in_flight, __ATOMIC_RELAXED) >= laundry_max)
            return false;
    }
    return true;
}

// ---------------------------------------------------------------------------
// The reserve.

static bool
may_use_reserve(void)
{
    struct task *t = current_task();
    return t == NULL || t->t_kernel || vm_pageout_is_paging_task(t);
}

static void
daemon_wakeup(void)
{
    thread_wakeup((event_t)&daemon_event);
}

struct vm_page *
vm_page_grab(void)
{
    size_t free = vm_page_free_count();

    if (free < free_min)
        daemon_wakeup();
    if (free <= reserve && !may_use_reserve())
        return NULL;
    return vm_page_alloc(0);
}

kern_return_t
vm_page_wait(void)
{
    wait_result_t wr = THREAD_AWAKENED;

    spin_lock(&po_lock);
    uint64_t target = rounds_started + 1; // a round that starts from now on
    while (vm_page_free_count() <= reserve && rounds_done < target && wr != THREAD_INTERRUPTED) {
        round_wanted = MAX(round_wanted, target);
        assert_wait((event_t)&free_event, true);
        spin_unlock(&po_lock);
        daemon_wakeup();
        wr = thread_block();
        spin_lock(&po_lock);
    }
    bool ok = vm_page_free_count() > reserve || (rounds_done >= target && !last_round_stuck);
    spin_unlock(&po_lock);
    if (ok)
        return KERN_SUCCESS;
    if (wr == THREAD_INTERRUPTED)
        return KERN_ABORTED;
    __atomic_add_fetch(&shortages, 1, __ATOMIC_RELAXED);
    return KERN_RESOURCE_SHORTAGE;
}

// ---------------------------------------------------------------------------
// Cleaning one page.

// Writes p (CLEANING, off the queues, obj referenced by the caller) to its
// pager if it must, and frees it.  Returns whether it was freed.
static bool
pageout_page(struct vm_object *obj, struct vm_page *p)
{
    vm_offset_t offset = vm_page_offset(p);

    pmap_page_protect(p, VM_PROT_NONE); // faults on it now wait (CLEANING)
    bool modified = pmap_is_modified(p);
    spin_lock(&obj->vo_lock);
    bool dirty = modified || (p->vp_flags & VM_PAGE_DIRTY);
    bool precious = (p->vp_flags & VM_PAGE_PRECIOUS) != 0;
    bool held = !obj->vo_internal || vm_object_existence_test_locked(obj, offset);
    bool needs_pager = obj->vo_internal && obj->vo_pager == NULL;
    spin_unlock(&obj->vo_lock);

    if (!dirty && !precious && held) { // its pager has the data
        vm_object_page_cleaned(obj, p, false);
        __atomic_add_fetch(&reclaimed, 1, __ATOMIC_RELAXED);
        return true;
    }
    if (needs_pager) {
        struct ipc_port *manager = default_pager_get();
        kern_return_t kr =
            IP_VALID(manager) ? memory_object_create_default(obj, manager) : KERN_FAILURE;
        if (IP_VALID(manager))
            ipc_port_release_send(manager);
        if (kr != KERN_SUCCESS)
            goto keep;
    }
    if (__atomic_load_n(&obj->vo_pager_dead, __ATOMIC_RELAXED))
        goto keep;
    if (obj->vo_internal && !vm_object_existence_reserve(obj, offset))
        goto keep;
    // The copy's frame comes from below the reserve: this frees a page.
    struct vm_page *frame = vm_page_alloc(0);
    if (frame == NULL || memory_object_return_page(obj, offset, p, frame, dirty, false,
                                                   obj->vo_internal && !held) != KERN_SUCCESS)
        goto keep;
    vm_object_page_cleaned(obj, p, obj->vo_internal);
    __atomic_add_fetch(&pageouts, 1, __ATOMIC_RELAXED);
    return true;

keep: // nobody else has the data: the page stays, still dirty to the pmap
    vm_object_page_clean_failed(obj, p);
    return false;
}

// ---------------------------------------------------------------------------
// The daemon.

enum scan_result { SCAN_FREED, SCAN_KEPT, SCAN_EMPTY };

// Keeps a third of the queued pages inactive: the coldest active pages
// move over with their reference bits cleared, so that the next look at
// them sees whether they were used meanwhile.  Page queues locked.
static void
balance_locked(void)
{
    for (unsigned i = 0; i < BALANCE_BATCH; i++) {
        size_t active = vm_page_queue_count_locked(VM_PAGE_Q_ACTIVE);
        size_t inactive = vm_page_queue_count_locked(VM_PAGE_Q_INACTIVE);
        struct vm_page *p = vm_page_queue_cold_locked(VM_PAGE_Q_ACTIVE);
        if (p == NULL || inactive * 3 >= active + inactive)
            return;
        pmap_clear_reference(p);
        vm_page_requeue_locked(p, VM_PAGE_Q_INACTIVE);
    }
}

// Looks at the coldest inactive page and frees it if it can.
static enum scan_result
scan_one(void)
{
    vm_page_queue_lock();
    balance_locked();
    struct vm_page *p = vm_page_queue_cold_locked(VM_PAGE_Q_INACTIVE);
    if (p == NULL) {
        vm_page_queue_unlock();
        return SCAN_EMPTY;
    }
    struct vm_object *obj = p->vp_object;
    // Object locks rank below the queues: only a try.  A page whose object
    // is busy, or dying (its pages are about to be freed anyway), waits.
    if (!spin_trylock(&obj->vo_lock)) {
        vm_page_requeue_locked(p, VM_PAGE_Q_INACTIVE);
        vm_page_queue_unlock();
        return SCAN_KEPT;
    }
    if (!vm_object_reference_live(obj)) {
        vm_page_requeue_locked(p, VM_PAGE_Q_INACTIVE);
        spin_unlock(&obj->vo_lock);
        vm_page_queue_unlock();
        return SCAN_KEPT;
    }
    assert(!(p->vp_flags & VM_PAGE_WAIT_FLAGS)); // such pages are on no queue
    struct pmap *pager_pmap = paging_pmap();
    // Anonymous data nobody could take (no default pager): not worth
    // unmapping to find out.
    bool nowhere = obj->vo_internal && obj->vo_pager == NULL &&
                   !IP_VALID(__atomic_load_n(&default_pager, __ATOMIC_RELAXED));
    bool keep = nowhere || pmap_is_referenced(p) ||
                (pager_pmap != NULL && pmap_page_mapped_in(p, pager_pmap));
    if (keep) {
        pmap_clear_reference(p);
        vm_page_requeue_locked(p, VM_PAGE_Q_ACTIVE);
    } else {
        p->vp_flags |= VM_PAGE_CLEANING;
        vm_page_requeue_locked(p, VM_PAGE_Q_NONE);
    }
    spin_unlock(&obj->vo_lock);
    vm_page_queue_unlock();
    bool freed = !keep && pageout_page(obj, p);
    vm_object_deallocate(obj);
    return freed ? SCAN_FREED : SCAN_KEPT;
}

// A thread waits for a round that has not run yet, or free pages are low
// and the last round did free some (after a fruitless one, only a waiter
// or a new default pager starts the next: nothing else can have changed
// much).  Waiters are known by the round they wait for, not counted: a
// woken waiter may not run for a while, and the daemon must not run empty
// rounds for it meanwhile.
static bool
round_wanted_locked(void)
{
    assert_locked(&po_lock);
    return rounds_done < round_wanted || (vm_page_free_count() < free_min && !last_round_stuck);
}

// One round: pages are freed until free_target.  Returns false when it
// looked at every queued page and freed none.
static bool
pageout_round(void)
{
    size_t fruitless = 0;

    while (vm_page_free_count() < free_target) {
        size_t queued =
            vm_page_queue_count(VM_PAGE_Q_ACTIVE) + vm_page_queue_count(VM_PAGE_Q_INACTIVE);
        if (!laundry_wait())
            return false;
        enum scan_result r = scan_one();
        if (r == SCAN_EMPTY || (r == SCAN_KEPT && ++fruitless > queued))
            return false;
        if (r == SCAN_FREED)
            fruitless = 0;
        if (vm_page_free_count() > reserve &&
            __atomic_load_n(&round_wanted, __ATOMIC_RELAXED) > rounds_done)
            thread_wakeup((event_t)&free_event);
    }
    return true;
}

static void
pageout_daemon(void *arg)
{
    (void)arg;
    for (;;) {
        spin_lock(&po_lock);
        while (!round_wanted_locked()) {
            assert_wait((event_t)&daemon_event, false);
            spin_unlock(&po_lock);
            (void)thread_block();
            spin_lock(&po_lock);
        }
        uint64_t round = ++rounds_started;
        spin_unlock(&po_lock);

        bool progress = pageout_round();

        spin_lock(&po_lock);
        bool newly_stuck = !progress && !last_round_stuck;
        rounds_done = round;
        last_round_stuck = !progress;
        thread_wakeup((event_t)&free_event);
        spin_unlock(&po_lock);
        if (newly_stuck)
            kprintf("vm_pageout: memory exhausted: no page can be freed (%zu free, %zu "
                    "reserved)%s\n",
                    vm_page_free_count(), reserve,
                    IP_VALID(default_pager) ? "" : "; no default pager is registered");
        if (!progress) // let the threads that were refused run before the next try
            thread_sleep_ns(10 * 1000 * 1000);
    }
}

void
vm_pageout_init(void)
{
    size_t total = vm_page_total_count();

    reserve = MIN(MAX(total / 64, (size_t)64), (size_t)1024);
    free_min = reserve + reserve / 2;
    free_target = reserve * 2;
    laundry_max = reserve / 4;
    struct thread *t = kernel_thread_create(pageout_daemon, NULL, PRI_KERNEL_DEFAULT, "pageout");
    if (t == NULL)
        panic("vm_pageout_init: cannot start the pageout daemon");
    thread_deallocate(t);
}

// SPDX-License-Identifier: MIT
//
// Threads: creation, references, suspension, abort, termination and
// reaping.
//
// Life cycle.  A thread is created with two references: one for the caller
// and one that the thread holds on itself while it exists ("alive").  It
// runs on a kernel stack from kmem_alloc(KMEM_GUARD), so an overflow hits an
// unmapped guard page and is reported as a double fault.  It ends by calling
// thread_terminate_self() (a kernel thread whose function returns does so
// too; a user thread does when it reaches the user boundary with
// TH_TERMINATE set): it becomes TH_HALTED and switches away for good.  A
// thread cannot free the stack it runs on, so the thread that runs next
// hands it to the reaper (sched_switch_finish), a kernel thread that frees
// the stack, unlinks the thread from its task, wakes thread_wait_terminated()
// and task_wait() callers and drops the "alive" reference.  The last
// reference frees the structure and drops the thread's task reference.
//
// Locks: the task lock protects the task's thread list, suspend counts,
// TH_TERMINATE and th_reaped (so it is the lock waiters on those sleep
// under); the thread lock protects th_state and the wait fields (sched_prim.c);
// the reaper lock its list.  Order: task, reaper, wait queue, thread, run
// queue (lock_order.h).

#include <kern/thread.h>
#include <kern/assert.h>
#include <kern/cpu.h>
#include <kern/sched.h>
#include <kern/task.h>
#include <kern/zalloc.h>
#include <ipc/ipc_tt.h>
#include <lib/string.h>
#include <machine/cpufunc.h>
#include <machine/vmparam.h>
#include <vm/kmem.h>

#define KSTACK_SIZE (4 * PAGE_SIZE)

static struct zone *thread_zone;
static struct thread *boot_thread;

static struct spinlock reaper_lock = SPINLOCK_INIT("reaper", LOCK_RANK_REAPER);
static struct thread *reaper_list; // protected by reaper_lock, through th_rq_next

struct thread *
current_thread(void)
{
    return cpu_current_thread();
}

// Fills in a zeroed thread structure (no stack, no task yet).
static void
thread_init_struct(struct thread *t, int priority, const char *name)
{
    memset(t, 0, sizeof(*t));
    spinlock_init(&t->th_lock, "thread", LOCK_RANK_THREAD);
    t->th_priority = t->th_sched_pri = priority;
    t->th_quantum = SCHED_QUANTUM_TICKS;
    t->th_wait_result = THREAD_WAIT_NONE;
    t->th_intr_on = true;
    t->th_refs = 2; // the caller's, and the thread's own until reaped
    callout_init(&t->th_timeout, sched_timeout_expire, t);
    strlcpy(t->th_name, name, sizeof(t->th_name));
}

void
thread_bootstrap(void)
{
    thread_zone = zone_create("thread", sizeof(struct thread), 16);
    if (thread_zone == NULL)
        panic("thread_bootstrap: no memory for the thread zone");
    boot_thread = zalloc(thread_zone);
    if (boot_thread == NULL)
        panic("thread_bootstrap: no memory for the boot thread");
    thread_init_struct(boot_thread, PRI_MIN, "idle0");
    boot_thread->th_task = kernel_task;
    task_reference(kernel_task);
    intr_push_off();
    cpu_current()->thread = boot_thread;
    intr_pop_off();
}

// Links t into `task`; fails (KERN_FAILURE) if the task is terminating.
// A user thread starts suspended once.
static kern_return_t
thread_attach(struct task *task, struct thread *t, bool user)
{
    spin_lock(&task->t_lock);
    if (!task->t_active) {
        spin_unlock(&task->t_lock);
        return KERN_FAILURE;
    }
    t->th_task = task;
    t->th_task_next = task->t_threads;
    task->t_threads = t;
    task->t_thread_count++;
    t->th_suspend_count = user ? 1 : 0;
    if (t->th_suspend_count > 0)
        t->th_state |= TH_SUSP;
    spin_unlock(&task->t_lock);
    task_reference(task);
    return KERN_SUCCESS;
}

// Creates a thread of `task` that will run fn(arg) on its own stack, and
// makes it ready.  Out-parameter on success only.
static kern_return_t
thread_create_common(struct task *task, void (*fn)(void *), void *arg, int priority,
                     const char *name, bool user, struct thread **out)
{
    if (priority < PRI_MIN || priority > PRI_MAX)
        return KERN_INVALID_ARGUMENT;
    struct thread *t = zalloc(thread_zone);
    if (t == NULL)
        return KERN_RESOURCE_SHORTAGE;
    thread_init_struct(t, priority, name);
    t->th_kstack = kmem_alloc(KSTACK_SIZE, KMEM_GUARD);
    if (t->th_kstack == NULL)
        goto fail_thread;
    t->th_kstack_size = KSTACK_SIZE;
    pcb_init(t, t->th_kstack, KSTACK_SIZE, fn, arg, user);
    kern_return_t kr = ipc_thread_init(t);
    if (kr != KERN_SUCCESS)
        goto fail_stack;
    kr = thread_attach(task, t, user);
    if (kr != KERN_SUCCESS)
        goto fail_ipc;
    spin_lock(&t->th_lock);
    sched_setrun_locked(t);
    spin_unlock(&t->th_lock);
    *out = t;
    sched_preempt_check();
    return KERN_SUCCESS;

fail_ipc:
    ipc_thread_terminate(t);
fail_stack:
    kmem_free(t->th_kstack, KSTACK_SIZE);
    zfree(thread_zone, t);
    return kr;
fail_thread:
    zfree(thread_zone, t);
    return KERN_RESOURCE_SHORTAGE;
}

struct thread *
kernel_thread_create(void (*fn)(void *), void *arg, int priority, const char *name)
{
    struct thread *t;

    if (thread_create_common(kernel_task, fn, arg, priority, name, false, &t) != KERN_SUCCESS)
        return NULL;
    return t;
}

kern_return_t
kernel_thread_create_in(struct task *task, void (*fn)(void *), void *arg, int priority,
                        const char *name, struct thread **out)
{
    return thread_create_common(task, fn, arg, priority, name, false, out);
}

// The first code of a user thread: straight to the user boundary, where it
// stops until resumed.
static void
thread_user_start(void *arg)
{
    (void)arg;
    intr_disable();
    thread_user_return();
    pcb_return_to_user(current_thread());
}

kern_return_t
thread_create_internal(struct task *task, const char *name, struct thread **out)
{
    if (task == NULL || task->t_kernel)
        return KERN_INVALID_ARGUMENT;
    return thread_create_common(task, thread_user_start, NULL, PRI_USER_DEFAULT, name, true, out);
}

kern_return_t
thread_setup_user(struct thread *t, uintptr_t rip, uintptr_t rsp, uint64_t arg0, uint64_t arg1)
{
    if (t->pcb.pcb_utf == NULL || rip >= USER_MAX || rsp > USER_MAX)
        return KERN_INVALID_ARGUMENT;
    pcb_setup_user(t, rip, rsp, arg0, arg1);
    return KERN_SUCCESS;
}

// The first C code of every new thread, called by switch.S's trampoline.
void thread_start(struct thread *prev, void (*fn)(void *), void *arg) __noreturn;

void
thread_start(struct thread *prev, void (*fn)(void *), void *arg)
{
    sched_switch_finish(prev);
    fn(arg);
    thread_terminate_self();
}

void
thread_reference(struct thread *t)
{
    __atomic_fetch_add(&t->th_refs, 1, __ATOMIC_RELAXED);
}

void
thread_deallocate(struct thread *t)
{
    if (t == NULL || __atomic_sub_fetch(&t->th_refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    assert(t->th_reaped && t != boot_thread);
    callout_drain(&t->th_timeout); // a stale timeout may still be running
    struct task *task = t->th_task;
    zfree(thread_zone, t);
    task_deallocate(task);
}

void
thread_terminate_self(void)
{
    struct thread *self = current_thread();
    struct task *task = self->th_task;

    assert(!(self->th_state & TH_IDLE));
    spin_lock(&task->t_lock);
    spin_lock(&self->th_lock);
    self->th_state = (self->th_state & ~TH_RUN) | TH_TERMINATE | TH_HALTED;
    spin_unlock(&task->t_lock); // thread lock stays held into the switch
    sched_switch_self_locked(self);
    panic("thread_terminate_self: halted thread %s ran again", self->th_name);
}

void
thread_reap_enqueue(struct thread *t)
{
    spin_lock(&reaper_lock);
    t->th_rq_next = reaper_list;
    reaper_list = t;
    spin_unlock(&reaper_lock);
    thread_wakeup((event_t)&reaper_list);
}

// Frees a halted thread's stack and unlinks it from its task.
static void
thread_reap(struct thread *t)
{
    struct task *task = t->th_task;

    ipc_thread_terminate(t);
    kmem_free(t->th_kstack, t->th_kstack_size);
    spin_lock(&task->t_lock);
    struct thread **pp = &task->t_threads;
    while (*pp != t)
        pp = &(*pp)->th_task_next;
    *pp = t->th_task_next;
    task->t_thread_count--;
    t->th_kstack = NULL;
    t->th_reaped = true;
    bool task_done = task->t_thread_count == 0 && !task->t_active;
    spin_unlock(&task->t_lock);
    thread_wakeup((event_t)&t->th_reaped);
    if (task_done)
        thread_wakeup((event_t)&task->t_thread_count);
    thread_deallocate(t); // the thread's own reference
}

static void
reaper_main(void *arg)
{
    (void)arg;
    for (;;) {
        spin_lock(&reaper_lock);
        struct thread *t = reaper_list;
        if (t == NULL) {
            assert_wait((event_t)&reaper_list, false);
            spin_unlock(&reaper_lock);
            thread_block();
            continue;
        }
        reaper_list = t->th_rq_next;
        spin_unlock(&reaper_lock);
        thread_reap(t);
    }
}

void
thread_reaper_start(void)
{
    struct thread *t = kernel_thread_create(reaper_main, NULL, PRI_KERNEL_HIGH, "reaper");

    if (t == NULL)
        panic("thread_reaper_start: cannot create the reaper");
    thread_deallocate(t);
}

wait_result_t
thread_wait_terminated(struct thread *t)
{
    struct task *task = t->th_task;

    spin_lock(&task->t_lock);
    while (!t->th_reaped) {
        assert_wait((event_t)&t->th_reaped, true);
        spin_unlock(&task->t_lock);
        if (thread_block() == THREAD_INTERRUPTED)
            return THREAD_INTERRUPTED;
        spin_lock(&task->t_lock);
    }
    spin_unlock(&task->t_lock);
    return THREAD_AWAKENED;
}

// Asks the CPU that runs t to look at it at its next trap return.
static void
thread_poke(struct thread *t)
{
    struct cpu *c = t->th_cpu;

    if (c != NULL && c->thread == t)
        c->need_resched = true; // an IPI to c once there are several CPUs
}

// Marks t terminating.  Caller holds t's task lock.  Returns false if it
// was already.
static bool
thread_mark_terminate_locked(struct thread *t)
{
    assert_locked(&t->th_task->t_lock);
    spin_lock(&t->th_lock);
    bool first = !(t->th_state & TH_TERMINATE);
    t->th_state |= TH_TERMINATE;
    spin_unlock(&t->th_lock);
    return first;
}

kern_return_t
thread_terminate_locked(struct thread *t)
{
    if (!thread_mark_terminate_locked(t))
        return KERN_TERMINATED;
    // Out of an interruptible wait (a suspended thread's stop included):
    // it sees TH_TERMINATE on its way out.
    clear_wait(t, THREAD_INTERRUPTED);
    thread_poke(t);
    return KERN_SUCCESS;
}

kern_return_t
thread_terminate(struct thread *t)
{
    struct task *task = t->th_task;

    spin_lock(&task->t_lock);
    kern_return_t kr = thread_terminate_locked(t);
    spin_unlock(&task->t_lock);
    return kr;
}

kern_return_t
thread_suspend(struct thread *t)
{
    struct task *task = t->th_task;

    spin_lock(&task->t_lock);
    if (t->th_state & TH_TERMINATE) {
        spin_unlock(&task->t_lock);
        return KERN_TERMINATED;
    }
    if (t->th_suspend_count++ == 0) {
        spin_lock(&t->th_lock);
        t->th_state |= TH_SUSP;
        spin_unlock(&t->th_lock);
    }
    thread_poke(t);
    spin_unlock(&task->t_lock);
    return KERN_SUCCESS;
}

kern_return_t
thread_resume(struct thread *t)
{
    struct task *task = t->th_task;
    kern_return_t kr = KERN_SUCCESS;

    spin_lock(&task->t_lock);
    if (t->th_state & TH_TERMINATE)
        kr = KERN_TERMINATED;
    else if (t->th_suspend_count == 0)
        kr = KERN_FAILURE;
    else if (--t->th_suspend_count == 0) {
        spin_lock(&t->th_lock);
        t->th_state &= ~TH_SUSP;
        spin_unlock(&t->th_lock);
        thread_wakeup((event_t)&t->th_suspend_count);
    }
    spin_unlock(&task->t_lock);
    return kr;
}

kern_return_t
thread_abort(struct thread *t)
{
    if (__atomic_load_n(&t->th_state, __ATOMIC_RELAXED) & TH_TERMINATE)
        return KERN_TERMINATED;
    clear_wait(t, THREAD_INTERRUPTED);
    return KERN_SUCCESS;
}

// Should `t` stay stopped?  Caller holds t's task lock.
static bool
thread_should_stop_locked(struct thread *t)
{
    return !(t->th_state & TH_TERMINATE) &&
           (t->th_suspend_count > 0 || t->th_task->t_suspend_count > 0);
}

void
thread_suspend_point(void)
{
    struct thread *self = current_thread();
    struct task *task = self->th_task;

    spin_lock(&task->t_lock);
    while (thread_should_stop_locked(self)) {
        assert_wait((event_t)&self->th_suspend_count, true);
        spin_unlock(&task->t_lock);
        thread_block(); // resumed, aborted or terminated: look again
        spin_lock(&task->t_lock);
    }
    bool terminate = (self->th_state & TH_TERMINATE) != 0;
    spin_unlock(&task->t_lock);
    if (terminate)
        thread_terminate_self();
}

bool
thread_is_stopped(struct thread *t)
{
    struct task *task = t->th_task;

    spin_lock(&task->t_lock);
    spin_lock(&t->th_lock);
    bool stopped = (t->th_suspend_count > 0 || task->t_suspend_count > 0) &&
                   (t->th_state & (TH_WAIT | TH_RUN)) == TH_WAIT && t->th_interruptible;
    spin_unlock(&t->th_lock);
    spin_unlock(&task->t_lock);
    return stopped;
}

void
thread_sleep_ns(uint64_t ns)
{
    struct thread *self = current_thread();

    assert_wait((event_t)&self->th_timeout_deadline, false);
    thread_set_timeout(ns);
    thread_block();
}

void
thread_user_return(void)
{
    for (;;) {
        struct thread *self = current_thread();
        // Unlocked peeks, interrupts off: a request that lands right after
        // is seen at the next entry into the kernel (its CPU is poked).
        unsigned state = __atomic_load_n(&self->th_state, __ATOMIC_RELAXED);
        if ((state & (TH_TERMINATE | TH_SUSP)) ||
            __atomic_load_n(&self->th_task->t_suspend_count, __ATOMIC_RELAXED) > 0) {
            intr_enable();
            thread_suspend_point(); // terminates, or returns once resumed
            intr_disable();
            continue;
        }
        if (cpu_current()->need_resched) {
            sched_preempt();
            continue;
        }
        return;
    }
}

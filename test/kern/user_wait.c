// SPDX-License-Identifier: MIT
//
// Tests of copyin/copyout/copyinstr and of quay_wait/quay_wake.  The calls
// that need user memory run in kernel-mode threads of a small task
// (kernel_thread_create_in), whose address space has one data page.

#include <debug/ktest.h>
#include <kern/clock.h>
#include <kern/copyio.h>
#include <kern/quay_wait.h>
#include <kern/sched.h>
#include <kern/thread.h>
#include <machine/vmparam.h>
#include "exec_util.h"

#define DATA_VA 0x600000ul

KTEST(copyio, bad_user_pointers_return_invalid_address)
{
    char buf[16] = "x";
    size_t len = 99;
    const uintptr_t bad[] = {
        0,                     // the null page
        (uintptr_t)buf,        // a kernel address
        0x0000800000000000ull, // non-canonical
        USER_MAX - 2,          // straddles the end of user space
        0x10000,               // a user address mapped in no task here
    };

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        KT_EQ(copyin(bad[i], buf, 4), KERN_INVALID_ADDRESS);
        KT_EQ(copyout(buf, bad[i], 4), KERN_INVALID_ADDRESS);
        KT_EQ(copyinstr(bad[i], buf, sizeof(buf), &len), KERN_INVALID_ADDRESS);
    }
    KT_EQ(copyin(0x1000, buf, SIZE_MAX), KERN_INVALID_ADDRESS); // wraps around
    KT_EQ(len, 99);                                             // out-parameter untouched
    KT_EQ(buf[0], 'x');
}

static volatile kern_return_t r1, r2, r3, r4;
static volatile size_t slen;
static volatile unsigned woken;
static volatile uint64_t elapsed;

static void
copy_round_trip(void *arg)
{
    (void)arg;
    char out[8] = "quay!", in[8] = {0};
    size_t n;

    r1 = copyout(out, DATA_VA + PAGE_SIZE - 6, 6); // ends exactly at the page end
    r2 = copyin(DATA_VA + PAGE_SIZE - 6, in, 6);
    r3 = copyinstr(DATA_VA + PAGE_SIZE - 6, in, sizeof(in), &n);
    slen = n;
    r4 = copyinstr(DATA_VA + PAGE_SIZE - 6, in, 3, &n); // no NUL in 3 bytes
    if (r2 == KERN_SUCCESS && memcmp(in, "quay!", 6) != 0)
        r2 = KERN_FAILURE;
}

// Runs fn in a kernel-mode thread of u's task and waits for it.
static bool
run_in_task(struct utask *u, void (*fn)(void *), void *arg)
{
    struct thread *t;

    if (kernel_thread_create_in(u->task, fn, arg, PRI_KERNEL_DEFAULT, "kt-in-task", &t) !=
        KERN_SUCCESS)
        return false;
    thread_wait_terminated(t);
    thread_deallocate(t);
    return true;
}

KTEST(copyio, copies_to_and_from_mapped_user_memory)
{
    struct utask u;

    KT_ASSERT(ut_create(&u, "copyio"));
    KT_ASSERT(ut_map(&u, DATA_VA, VM_PROT_READ | VM_PROT_WRITE) != NULL);
    KT_ASSERT(run_in_task(&u, copy_round_trip, NULL));
    ut_destroy(&u);
    KT_EQ(r1, KERN_SUCCESS);
    KT_EQ(r2, KERN_SUCCESS);
    KT_EQ(r3, KERN_SUCCESS);
    KT_EQ(slen, 5);
    KT_EQ(r4, KERN_INVALID_ARGUMENT);
}

static void
wait_checks(void *arg)
{
    volatile uint32_t *word = arg; // the data page through the direct map

    *word = 1;
    uint64_t t0 = clock_now_ns();
    r1 = quay_wait(DATA_VA, 0, 1000); // mismatch: at once
    elapsed = clock_now_ns() - t0;
    t0 = clock_now_ns();
    r2 = quay_wait(DATA_VA, 1, 30); // match: times out
    if (clock_now_ns() - t0 < 30 * MS)
        r2 = KERN_FAILURE;
    r3 = quay_wait(DATA_VA + 2, 1, 0);
    r4 = quay_wait(0x10000, 1, 0);
    woken = quay_wake(DATA_VA, 5); // nobody waits
}

KTEST(quay_wait, mismatch_returns_at_once_and_match_times_out)
{
    struct utask u;

    KT_ASSERT(ut_create(&u, "qwait"));
    void *data = ut_map(&u, DATA_VA, VM_PROT_READ | VM_PROT_WRITE);
    KT_ASSERT(data != NULL);
    KT_ASSERT(run_in_task(&u, wait_checks, data));
    ut_destroy(&u);
    KT_EQ(r1, KERN_SUCCESS);
    KT_ASSERT(elapsed < 10 * MS);
    KT_EQ(r2, KERN_OPERATION_TIMED_OUT);
    KT_EQ(r3, KERN_INVALID_ARGUMENT);
    KT_EQ(r4, KERN_INVALID_ADDRESS);
    KT_EQ(woken, 0);
}

static volatile kern_return_t waiter_kr[2];
static volatile unsigned waiters_started;

static void
waiter(void *arg)
{
    uintptr_t i = (uintptr_t)arg;

    __atomic_fetch_add(&waiters_started, 1, __ATOMIC_RELAXED);
    waiter_kr[i] = quay_wait(DATA_VA, 0, 2000);
}

static void
waker(void *arg)
{
    (void)arg;
    thread_sleep_ns(20 * MS); // both waiters are blocked by now
    woken = quay_wake(DATA_VA, 10);
}

KTEST(quay_wait, wake_returns_how_many_it_woke)
{
    struct utask u;
    struct thread *t[3];

    waiters_started = 0;
    waiter_kr[0] = waiter_kr[1] = -1;
    KT_ASSERT(ut_create(&u, "qwake"));
    KT_ASSERT(ut_map(&u, DATA_VA, VM_PROT_READ | VM_PROT_WRITE) != NULL);
    for (uintptr_t i = 0; i < 2; i++)
        KT_EQ(kernel_thread_create_in(u.task, waiter, (void *)i, 90, "kt-waiter", &t[i]),
              KERN_SUCCESS);
    KT_EQ(kernel_thread_create_in(u.task, waker, NULL, 90, "kt-waker", &t[2]), KERN_SUCCESS);
    for (int i = 0; i < 3; i++) {
        thread_wait_terminated(t[i]);
        thread_deallocate(t[i]);
    }
    ut_destroy(&u);
    KT_EQ(waiters_started, 2);
    KT_EQ(woken, 2);
    KT_EQ(waiter_kr[0], KERN_SUCCESS);
    KT_EQ(waiter_kr[1], KERN_SUCCESS);
}

static void
wait_to_be_aborted(void *arg)
{
    (void)arg;
    waiter_kr[0] = quay_wait(DATA_VA, 0, 0);
}

KTEST(quay_wait, abort_ends_the_wait_with_kern_aborted)
{
    struct utask u;
    struct thread *t;

    KT_ASSERT(ut_create(&u, "qabort"));
    KT_ASSERT(ut_map(&u, DATA_VA, VM_PROT_READ | VM_PROT_WRITE) != NULL);
    KT_EQ(kernel_thread_create_in(u.task, wait_to_be_aborted, NULL, 90, "kt-abort", &t),
          KERN_SUCCESS);
    KT_ASSERT(t->th_state & TH_WAIT);
    KT_EQ(thread_abort(t), KERN_SUCCESS);
    thread_wait_terminated(t);
    thread_deallocate(t);
    ut_destroy(&u);
    KT_EQ(waiter_kr[0], KERN_ABORTED);
}

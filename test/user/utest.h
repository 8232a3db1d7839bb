/* SPDX-License-Identifier: MIT
 *
 * Checks for the Mach API tests in test/user/.  Each test is one task; a
 * failed check prints where and what (expected and actual) and ends the task
 * with status 1, which fails the test.  A test that reaches the end prints
 * "ok" and returns 0.
 *
 *   UT_ASSERT(cond)              any condition
 *   UT_EQ(actual, expected)      integers, printed in hex and decimal
 *   UT_KR(call, expected_code)   a kern_return_t / mach_msg_return_t
 *   ut_port(), ut_port_send(), ut_refs(), ut_refs_in(), ut_status(),
 *   ut_sleep_ms()                small helpers every test may use
 *   ut_stats_begin() / ut_stats_expect_baseline()
 *                                counts of live ports, sets, rights,
 *                                messages, tasks, threads (host_ipc_stats)
 *                                must be back where they started
 */
#ifndef UTEST_H
#define UTEST_H

#include <mach.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UT_FAIL(...)                                                                               \
    do {                                                                                           \
        printf("FAIL %s:%d: ", __FILE__, __LINE__);                                                \
        printf(__VA_ARGS__);                                                                       \
        printf("\n");                                                                              \
        exit(1);                                                                                   \
    } while (0)

#define UT_ASSERT(cond)                                                                            \
    do {                                                                                           \
        if (!(cond))                                                                               \
            UT_FAIL("%s", #cond);                                                                  \
    } while (0)

#define UT_EQ(actual, expected)                                                                    \
    do {                                                                                           \
        long long a_ = (long long)(actual), e_ = (long long)(expected);                            \
        if (a_ != e_)                                                                              \
            UT_FAIL("%s is %lld (%#llx), expected %s = %lld (%#llx)", #actual, a_,                 \
                    (unsigned long long)a_, #expected, e_, (unsigned long long)e_);                \
    } while (0)

#define UT_KR(call, expected) UT_EQ((kern_return_t)(call), (expected))

static host_ipc_stats_t ut_stats_before;

/* Sleeps about MS milliseconds (a quay_wait that nothing wakes). */
static inline void
ut_sleep_ms(uint32_t ms)
{
    static volatile uint32_t never;

    UT_KR(quay_wait(&never, 0, ms), KERN_OPERATION_TIMED_OUT);
}

/* The counts now (the host port's right is dropped again). */
static inline host_ipc_stats_t
ut_stats_now(void)
{
    host_ipc_stats_t now;
    mach_port_t host = mach_host_self();

    UT_KR(host_ipc_stats(host, &now), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), host), KERN_SUCCESS);
    return now;
}

/*
 * Records the kernel's object counts at the start of a test, once they are
 * steady: work still in flight when the test starts (a message the kernel
 * has not freed yet, a thread the reaper has not reaped) would otherwise be
 * counted in the baseline and missing at the end.  Two readings 10 ms apart
 * must agree (up to 1 s).
 */
static inline void
ut_stats_begin(void)
{
    host_ipc_stats_t prev = ut_stats_now();

    for (int i = 0; i < 100; i++) {
        ut_sleep_ms(10);
        ut_stats_before = ut_stats_now();
        if (memcmp(&prev, &ut_stats_before, sizeof(prev)) == 0)
            return;
        prev = ut_stats_before;
    }
}

/* Ports and names, less what paged anonymous objects keep alive (the
 * pageout daemon may page out any task's memory during a test). */
static inline natural_t
ut_stats_ports(const host_ipc_stats_t *s)
{
    return s->his_ports - HIS_PAGED_PORTS * s->his_paged;
}

static inline natural_t
ut_stats_entries(const host_ipc_stats_t *s)
{
    return s->his_entries - HIS_PAGED_ENTRIES * s->his_paged;
}

static inline int
ut_stats_at_baseline(const host_ipc_stats_t *now)
{
    return ut_stats_ports(now) == ut_stats_ports(&ut_stats_before) &&
           now->his_psets == ut_stats_before.his_psets &&
           ut_stats_entries(now) == ut_stats_entries(&ut_stats_before) &&
           now->his_kmsgs == ut_stats_before.his_kmsgs &&
           now->his_tasks == ut_stats_before.his_tasks &&
           now->his_threads == ut_stats_before.his_threads;
}

/*
 * Fails unless every count is back where ut_stats_begin() saw it.  The
 * kernel frees a terminated thread (and the last references it held) in its
 * reaper thread, a little after thread_terminate has returned, so the
 * counts get up to 1 s to settle (10 ms steps), as in the bootstrap task's
 * own leak check.
 */
static inline void
ut_stats_expect_baseline(void)
{
    host_ipc_stats_t now = ut_stats_now();

    for (int i = 0; i < 100 && !ut_stats_at_baseline(&now); i++) {
        ut_sleep_ms(10);
        now = ut_stats_now();
    }
    UT_EQ(ut_stats_ports(&now), ut_stats_ports(&ut_stats_before));
    UT_EQ(now.his_psets, ut_stats_before.his_psets);
    UT_EQ(ut_stats_entries(&now), ut_stats_entries(&ut_stats_before));
    UT_EQ(now.his_kmsgs, ut_stats_before.his_kmsgs);
    UT_EQ(now.his_tasks, ut_stats_before.his_tasks);
    UT_EQ(now.his_threads, ut_stats_before.his_threads);
}

/* ---- Ports: helpers every test file may use ---- */

/* A new receive right in this task. */
static inline mach_port_name_t
ut_port(void)
{
    mach_port_name_t name = MACH_PORT_NULL;

    UT_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &name), KERN_SUCCESS);
    UT_ASSERT(MACH_PORT_VALID(name));
    return name;
}

/* A new receive right with one send right under the same name. */
static inline mach_port_name_t
ut_port_send(void)
{
    mach_port_name_t name = ut_port();

    UT_KR(mach_port_insert_right(mach_task_self(), name, name, MACH_MSG_TYPE_MAKE_SEND),
          KERN_SUCCESS);
    return name;
}

/* The user references TASK holds for RIGHT under NAME (the call must work). */
static inline mach_port_urefs_t
ut_refs_in(task_t task, mach_port_name_t name, mach_port_right_t right)
{
    mach_port_urefs_t refs = 0xdeadbeef;

    UT_KR(mach_port_get_refs(task, name, right, &refs), KERN_SUCCESS);
    return refs;
}

static inline mach_port_urefs_t
ut_refs(mach_port_name_t name, mach_port_right_t right)
{
    return ut_refs_in(mach_task_self(), name, right);
}

/* The receive status of the port named NAME in this task. */
static inline mach_port_status_t
ut_status(mach_port_name_t name)
{
    mach_port_status_t st;

    memset(&st, 0xa5, sizeof(st));
    UT_KR(mach_port_get_receive_status(mach_task_self(), name, &st), KERN_SUCCESS);
    return st;
}

static inline int
ut_pass(void)
{
    printf("ok\n");
    return 0;
}

#endif

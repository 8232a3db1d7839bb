/* SPDX-License-Identifier: MIT
 *
 * Helpers of the exception tests (exception_*.c): an exception handler
 * built on the generated excServer (test/user/CMakeLists.txt generates it
 * into every test whose name starts with "exception_").
 *
 * The test defines ut_exc_handle(), its policy: it sees each
 * exception_raise (recorded in ut_exc_seen[]) and returns the reply code.
 * catch_exception_raise deallocates the thread and task rights it got
 * when it answers KERN_SUCCESS or MIG_NO_REPLY (on an error reply the stub
 * releases them: docs/mig.md, "Ownership").  ut_exc_serve() runs a handler thread (the
 * threads library) that answers `n` requests on a port or port set.
 */
#ifndef UT_EXC_H
#define UT_EXC_H

#include "ut_ports.h"
#include <mach/exception_types.h>
#include <mach/task_special_ports.h>
#include <quay/threads.h>

#include "excServer.h" /* generated: exc_server(), catch_exception_raise() */

struct ut_exc_seen {
    mach_port_t port;   /* the exception port it came on */
    mach_port_t thread; /* the faulting thread's port (name in our space) */
    mach_port_t task;   /* its task's */
    exception_type_t exc;
    int64_t code[2];
    mach_msg_type_number_t ncode;
};

#define UT_EXC_MAX 8
static struct ut_exc_seen ut_exc_seen[UT_EXC_MAX];
static volatile uint32_t ut_exc_count;

/* The test's policy: the reply to exception number ut_exc_count. */
static kern_return_t ut_exc_handle(const struct ut_exc_seen *e);

kern_return_t
catch_exception_raise(mach_port_t port, mach_port_t thread, mach_port_t task, exception_type_t exc,
                      exception_data_t code, mach_msg_type_number_t ncode)
{
    struct ut_exc_seen *e = &ut_exc_seen[ut_exc_count % UT_EXC_MAX];
    kern_return_t kr;

    *e = (struct ut_exc_seen){port, thread, task, exc, {0, 0}, ncode};
    for (mach_msg_type_number_t i = 0; i < ncode && i < 2; i++)
        e->code[i] = code[i];
    kr = ut_exc_handle(e);
    if (kr == KERN_SUCCESS || kr == MIG_NO_REPLY) {
        UT_KR(mach_port_deallocate(mach_task_self(), thread), KERN_SUCCESS);
        UT_KR(mach_port_deallocate(mach_task_self(), task), KERN_SUCCESS);
    }
    ut_exc_count++;
    return kr;
}

struct ut_exc_server {
    mach_port_t rcv; /* port or port set */
    unsigned n;      /* requests to answer */
    quay_thread_t thread;
};

static void *
ut_exc_server_main(void *arg)
{
    struct ut_exc_server *s = arg;

    for (unsigned i = 0; i < s->n; i++)
        UT_KR(mach_msg_server_once(exc_server, exc_max_request_size, s->rcv, 0), MACH_MSG_SUCCESS);
    return NULL;
}

/* The kernel makes a thread's reply port for kernel RPCs (exception_raise
 * goes through mach_msg_rpc_from_kernel) at its first exception and keeps
 * it until the thread ends: one more live port while the faulting thread
 * lives.  The bootstrap task's leak check after the test counts it gone. */
static inline void
ut_exc_expect_kernel_reply_port(void)
{
    ut_stats_before.his_ports++;
}

/* Starts a handler thread answering n requests on rcv. */
static inline void
ut_exc_serve(struct ut_exc_server *s, mach_port_t rcv, unsigned n)
{
    s->rcv = rcv;
    s->n = n;
    UT_KR(quay_thread_create(ut_exc_server_main, s, &s->thread), KERN_SUCCESS);
}

static inline void
ut_exc_join(struct ut_exc_server *s)
{
    UT_KR(quay_thread_join(s->thread, NULL), KERN_SUCCESS);
}

/* The calling thread's exception port (THREAD_EXCEPTION_PORT) := port. */
static inline void
ut_exc_set_thread_port(mach_port_t port)
{
    thread_t self = mach_thread_self();

    UT_KR(thread_set_special_port(self, THREAD_EXCEPTION_PORT, port), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), self), KERN_SUCCESS);
}

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Thread creation and joining (<quay/threads.h>).
 *
 * quay_thread_create():
 *   1. allocate the handle, a stack and a TLS block (TLS area + TCB);
 *   2. let libc-port give the thread its own newlib state (weak hook);
 *   3. thread_create() a suspended kernel thread in this task;
 *   4. read its initial user state (the kernel's defaults for segments and
 *      flags), point rip at thread_entry, rsp at the new stack, rdi and the
 *      %fs base at the TCB, and thread_set_state() it;
 *   5. thread_resume() it.
 * thread_entry() then calls the function with the TCB already in place.
 *
 * Ending.  A finishing thread stores its result, sets t_done and wakes the
 * joiner, then parks: it cannot free the stack it is running on, and a
 * self-terminating RPC would leave its reply port behind.  The joiner waits
 * for t_done, then thread_terminate()s the parked thread -- which returns
 * only once the thread is stopped for good (Mach semantics) -- and only
 * then frees its reply port, newlib state, stack and TLS block.
 */
#include <stdlib.h>
#include <string.h>

#include <mach/mach.h>
#include <mach/thread_status.h>
#include <quay/tcb.h>
#include <quay/threads.h>

struct quay_thread {
    void *(*t_fn)(void *);
    void *t_arg;
    void *t_result;     /* written by the thread before t_done */
    uint32_t t_done;    /* 0 running, 1 finished: the joiner waits on it */
    mach_port_t t_port; /* send right to the kernel thread */
    void *t_stack;      /* QUAY_THREAD_STACK_SIZE bytes */
    struct quay_tcb *t_tcb;
};

/* libc-port's per-thread newlib state (weak: libmach also links without it). */
extern int __libc_port_thread_setup(struct quay_tcb *tcb) __attribute__((weak));
extern void __libc_port_thread_teardown(struct quay_tcb *tcb) __attribute__((weak));

static _Noreturn void thread_entry(struct quay_tcb *tcb);

/* Free what quay_thread_create() allocated for T (the kernel thread is gone). */
static void
thread_free(struct quay_thread *t)
{
    if (t->t_tcb != NULL) {
        if (MACH_PORT_VALID(t->t_tcb->tcb_reply_port))
            (void)mach_port_mod_refs(mach_task_self(), t->t_tcb->tcb_reply_port,
                                     MACH_PORT_RIGHT_RECEIVE, -1);
        if (__libc_port_thread_teardown != NULL)
            __libc_port_thread_teardown(t->t_tcb);
        free(t->t_tcb->tcb_block);
    }
    free(t->t_stack);
    free(t);
}

/* Allocate T's stack and TLS block and prepare its TCB; false if out of memory. */
static boolean_t
thread_alloc(struct quay_thread *t)
{
    void *block = malloc(quay_tls_block_size());

    t->t_stack = malloc(QUAY_THREAD_STACK_SIZE);
    if (block == NULL || t->t_stack == NULL) {
        free(block);
        return FALSE;
    }
    t->t_tcb = quay_tls_init(block);
    t->t_tcb->tcb_thread = t;
    if (__libc_port_thread_setup != NULL && __libc_port_thread_setup(t->t_tcb) != 0)
        return FALSE;
    return TRUE;
}

/* Give the suspended kernel thread T its starting registers. */
static kern_return_t
thread_start_state(struct quay_thread *t)
{
    x86_thread_state64_t state;
    mach_msg_type_number_t count = x86_THREAD_STATE64_COUNT;
    uintptr_t top = ((uintptr_t)t->t_stack + QUAY_THREAD_STACK_SIZE) & ~(uintptr_t)15;
    kern_return_t kr;

    kr = thread_get_state(t->t_port, x86_THREAD_STATE64, (thread_state_t)&state, &count);
    if (kr != KERN_SUCCESS)
        return kr;
    /* As if called: the return address slot (0) sits just below a 16-byte
     * boundary, so thread_entry sees the stack alignment the ABI promises. */
    top -= sizeof(uint64_t);
    *(uint64_t *)top = 0;
    state.rip = (uint64_t)(uintptr_t)thread_entry;
    state.rsp = top;
    state.rdi = (uint64_t)(uintptr_t)t->t_tcb;
    state.fs_base = (uint64_t)(uintptr_t)t->t_tcb;
    return thread_set_state(t->t_port, x86_THREAD_STATE64, (thread_state_t)&state,
                            x86_THREAD_STATE64_COUNT);
}

kern_return_t
quay_thread_create(void *(*fn)(void *), void *arg, quay_thread_t *thread)
{
    struct quay_thread *t = calloc(1, sizeof(*t));
    kern_return_t kr;

    if (t == NULL)
        return KERN_RESOURCE_SHORTAGE;
    t->t_fn = fn;
    t->t_arg = arg;
    if (!thread_alloc(t)) {
        kr = KERN_RESOURCE_SHORTAGE;
        goto fail_alloc;
    }
    kr = thread_create(mach_task_self(), &t->t_port);
    if (kr != KERN_SUCCESS)
        goto fail_alloc;
    kr = thread_start_state(t);
    if (kr == KERN_SUCCESS)
        kr = thread_resume(t->t_port);
    if (kr != KERN_SUCCESS)
        goto fail_thread;
    *thread = t;
    return KERN_SUCCESS;

fail_thread:
    (void)thread_terminate(t->t_port);
    (void)mach_port_deallocate(mach_task_self(), t->t_port);
fail_alloc:
    thread_free(t);
    return kr;
}

/* Where a new thread starts, on its own stack, with rdi and %fs at its TCB. */
static _Noreturn void
thread_entry(struct quay_tcb *tcb)
{
    struct quay_thread *t = tcb->tcb_thread;

    quay_thread_exit(t->t_fn(t->t_arg));
}

void
quay_thread_exit(void *result)
{
    static uint32_t first_thread_parked; /* stays 0: the first thread sleeps on it */
    struct quay_thread *t = quay_tcb()->tcb_thread;
    uint32_t *word = &first_thread_parked;

    if (t != NULL) {
        t->t_result = result;
        __atomic_store_n(&t->t_done, 1, __ATOMIC_RELEASE);
        (void)quay_wake(&t->t_done, UINT32_MAX);
        word = &t->t_done;
    }
    /* Park until the joiner (or the task's end) terminates this thread. */
    for (;;)
        (void)quay_wait(word, __atomic_load_n(word, __ATOMIC_RELAXED), 0);
}

kern_return_t
quay_thread_join(quay_thread_t t, void **result)
{
    if (t == NULL)
        return KERN_INVALID_ARGUMENT;
    while (__atomic_load_n(&t->t_done, __ATOMIC_ACQUIRE) == 0)
        (void)quay_wait(&t->t_done, 0, 0);
    (void)thread_terminate(t->t_port);
    (void)mach_port_deallocate(mach_task_self(), t->t_port);
    if (result != NULL)
        *result = t->t_result;
    thread_free(t);
    return KERN_SUCCESS;
}

quay_thread_t
quay_thread_self(void)
{
    return quay_tcb()->tcb_thread;
}

// SPDX-License-Identifier: MIT
//
// The Mach traps implemented by the execution part of the kernel: yielding
// (swtch, swtch_pri, thread_switch) and the Quay-specific traps (user-address
// wait/wake, task exit, console output, TLS base).  Each takes its arguments
// as words from the trap table (syscall_sw.h) and checks them as user input.

#include <kern/syscall_sw.h>
#include <kern/console.h>
#include <kern/copyio.h>
#include <kern/quay_wait.h>
#include <kern/sched.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <machine/vmparam.h>

/* thread_switch options (Mach's mach/thread_switch.h values). */
#define SWITCH_OPTION_NONE    0
#define SWITCH_OPTION_DEPRESS 1
#define SWITCH_OPTION_WAIT    2

#define CONSOLE_WRITE_MAX   65536 /* bytes per quay_console_write */
#define CONSOLE_WRITE_CHUNK 256

// Yields with the caller's priority depressed to the minimum, so every
// ready thread runs first; the depression ends when the caller runs again.
static void
thread_depress_yield(void)
{
    struct thread *self = current_thread();

    spin_lock(&self->th_lock);
    self->th_sched_pri = PRI_MIN;
    sched_switch_self_locked(self); // re-queued at PRI_MIN
    spin_lock(&self->th_lock);
    self->th_sched_pri = self->th_priority;
    spin_unlock(&self->th_lock);
}

// swtch(): yields to ready threads of the same or higher priority; returns
// whether other threads are still ready.
uint64_t
trap_swtch(const uint64_t *args)
{
    (void)args;
    thread_yield();
    return sched_others_ready();
}

// swtch_pri(priority): yields with the priority depressed (the argument is
// ignored, as in Mach); returns whether other threads are still ready.
uint64_t
trap_swtch_pri(const uint64_t *args)
{
    (void)args;
    thread_depress_yield();
    return sched_others_ready();
}

// thread_switch(thread, option, time ms).  The thread name is a hint to run
// that thread next; it is not acted on yet (it needs the IPC space to name
// a thread).  NONE yields, DEPRESS yields with the priority depressed,
// WAIT sleeps `time` ms.  KERN_INVALID_ARGUMENT for an unknown option.
uint64_t
trap_thread_switch(const uint64_t *args)
{
    uint64_t option = args[1];
    uint32_t ms = (uint32_t)args[2];

    switch (option) {
    case SWITCH_OPTION_NONE:
        thread_yield();
        return KERN_SUCCESS;
    case SWITCH_OPTION_DEPRESS:
        thread_depress_yield();
        return KERN_SUCCESS;
    case SWITCH_OPTION_WAIT:
        thread_sleep_ns((uint64_t)ms * 1000000);
        return KERN_SUCCESS;
    default:
        return KERN_INVALID_ARGUMENT;
    }
}

uint64_t
trap_quay_wait(const uint64_t *args)
{
    return quay_wait(args[0], (uint32_t)args[1], (uint32_t)args[2]);
}

uint64_t
trap_quay_wake(const uint64_t *args)
{
    return quay_wake(args[0], (unsigned)MIN(args[1], (uint64_t)UINT32_MAX));
}

// quay_task_exit(status): terminates the calling task; the calling thread
// halts on its way back to user mode, so this does not return to it.
uint64_t
trap_quay_task_exit(const uint64_t *args)
{
    return task_terminate_internal(current_task(), (int)args[0]);
}

// quay_console_write(buf, len): at most CONSOLE_WRITE_MAX bytes, copied in
// in chunks.  KERN_INVALID_ARGUMENT for a longer buffer,
// KERN_INVALID_ADDRESS for one that is not readable (what was read before
// the bad byte may have been printed).
uint64_t
trap_quay_console_write(const uint64_t *args)
{
    uintptr_t buf = args[0];
    size_t len = args[1];
    char chunk[CONSOLE_WRITE_CHUNK];

    if (len > CONSOLE_WRITE_MAX)
        return KERN_INVALID_ARGUMENT;
    for (size_t off = 0; off < len;) {
        size_t n = MIN(len - off, sizeof(chunk));
        kern_return_t kr = copyin(buf + off, chunk, n);
        if (kr != KERN_SUCCESS)
            return kr;
        kprintf("%.*s", (int)n, chunk);
        off += n;
    }
    return KERN_SUCCESS;
}

// quay_thread_set_tls(addr): the calling thread's %fs base; any address in
// the user half (KERN_INVALID_ARGUMENT otherwise).
uint64_t
trap_quay_thread_set_tls(const uint64_t *args)
{
    if (args[0] >= USER_MAX)
        return KERN_INVALID_ARGUMENT;
    pcb_set_fs_base(current_thread(), args[0]);
    return KERN_SUCCESS;
}

/* SPDX-License-Identifier: MIT
 *
 * User exceptions as Mach messages (exception.c).  The architecture's trap
 * code turns a CPU exception raised by user code (a page fault vm_fault
 * could not resolve, an invalid opcode, a division by zero ...) into a
 * struct exception_info -- the Mach exception type and codes of
 * <mach/exception_types.h> plus what the console report needs -- and calls
 * exception_raise_user(), the one place where exception messages are sent.
 */
#ifndef _KERN_EXCEPTION_H_
#define _KERN_EXCEPTION_H_

#include <kern/types.h>
#include <mach/exception_types.h>

struct thread;

/* Exit status of a task terminated by an unhandled exception: 128 + the
 * machine's exception number (x86-64: the vector, 14 for a page fault). */
#define TASK_STATUS_EXCEPTION(code) (128 + (int)(code))

struct exception_info {
    exception_type_t ei_type;            /* EXC_* */
    int64_t ei_code[EXCEPTION_CODE_MAX]; /* its codes (exception_types.h) */
    unsigned ei_vector;                  /* machine exception number */
    const char *ei_name;                 /* its name, for the console */
    uintptr_t ei_pc;                     /* user PC at the exception */
    uintptr_t ei_addr;                   /* fault address, 0 if none */
    uint64_t ei_error;                   /* the machine's error code */
};

/* Raises `ei` for the calling thread, which took it in user mode:
 * exception_raise (exc.defs) to the thread's exception port, then to the
 * task's, each time waiting (interruptibly) for the handler's reply.  The
 * first KERN_SUCCESS reply ends it: the thread returns to user mode with
 * its (possibly changed) state.  An error reply, a dead or absent port,
 * or a handler that dies moves on to the next level.  With no level left
 * the console says "task NAME: <name> at RIP <pc> (addr <addr>, error
 * <error>), thread NAME; terminating it" and the task is terminated with
 * TASK_STATUS_EXCEPTION(ei_vector).  An interrupted wait (thread_abort,
 * termination) returns at once: a terminating thread halts at its return
 * to user mode, an aborted one runs the faulting instruction again and
 * raises it anew.  Interrupts on, no lock held; may block. */
void exception_raise_user(const struct exception_info *ei);

#endif

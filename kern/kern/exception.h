/* SPDX-License-Identifier: MIT
 *
 * User exceptions the kernel could not resolve (a page fault vm_fault
 * refused, an invalid opcode, a division by zero ...).  exception.c.  This
 * is the one hook where Mach exception messages to the thread's and task's
 * exception ports will be sent (VM issue); today the task is reported on
 * the console and terminated.
 */
#ifndef _KERN_EXCEPTION_H_
#define _KERN_EXCEPTION_H_

#include <kern/types.h>

struct thread;

/* Exit status of a task terminated by an unhandled exception: 128 + the
 * machine's exception number (x86-64: the vector, 14 for a page fault). */
#define TASK_STATUS_EXCEPTION(code) (128 + (int)(code))

/* Handles exception `code` (named `name`) raised by user code of `thread`
 * at `pc`, with fault address `addr` (0 if none) and machine `error`.
 * Prints "task NAME: <name> at RIP <pc> (addr <addr>)" and terminates the
 * thread's task with TASK_STATUS_EXCEPTION(code); the thread halts at its
 * return to user mode.  Interrupts on, no lock held. */
void exception_unhandled(struct thread *thread, unsigned code, const char *name, uintptr_t pc,
                         uintptr_t addr, uint64_t error);

#endif

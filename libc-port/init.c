/* SPDX-License-Identifier: MIT */
/*
 * __libc_port_init: the C half of program start-up in a Mach task, called
 * by crt0 before main().
 *
 * Order matters: libmach's mach_init() installs the first thread's TCB
 * first, because newlib finds errno and its per-thread state through it
 * (reent.c) and the locks identify their owner by it (locks.c).  Only then
 * may newlib run: environ, then the C constructors, with the destructors
 * registered to run at exit().  Constructors and destructors are the
 * .preinit_array/.init_array/.fini_array tables that libc-port/user.ld
 * delimits (this newlib is built without its own __libc_init_array).
 */
#include <stdlib.h>
#include <string.h>

#include <mach/mach.h>
#include "libc_port.h"

extern char **environ;

typedef void (*init_fn)(void);
extern init_fn __preinit_array_start[], __preinit_array_end[];
extern init_fn __init_array_start[], __init_array_end[];
extern init_fn __fini_array_start[], __fini_array_end[];

/* Run the C constructors, in link order. */
static void
run_constructors(void)
{
    for (init_fn *f = __preinit_array_start; f < __preinit_array_end; f++)
        (*f)();
    for (init_fn *f = __init_array_start; f < __init_array_end; f++)
        (*f)();
}

/* Run the C destructors, in reverse order; exit() calls it. */
static void
run_destructors(void)
{
    for (init_fn *f = __fini_array_end; f > __fini_array_start;)
        (*--f)();
}

/* Report a start-up failure on the console and end the task with status 127. */
static _Noreturn void
init_failed(const char *what)
{
    static const char prefix[] = "libc-port: start-up failed: ";

    (void)quay_console_write(prefix, sizeof(prefix) - 1);
    (void)quay_console_write(what, strlen(what));
    (void)quay_console_write("\n", 1);
    for (;;)
        quay_task_exit(127);
}

/* SP points at argc on the initial stack (crt0.S). */
void
__libc_port_init(long *sp)
{
    long argc = sp[0];
    char **argv = (char **)(sp + 1);

    if (mach_init() != KERN_SUCCESS)
        init_failed("mach_init (thread control block)");
    environ = argv + argc + 1;
    if (atexit(run_destructors) != 0)
        init_failed("atexit");
    run_constructors();
}

/* SPDX-License-Identifier: MIT
 *
 * Starting the bootstrap task (bootstrap.c): boot module 0, the first user
 * task, which starts every other module (boot/bootstrap/).
 */
#ifndef _KERN_BOOTSTRAP_H_
#define _KERN_BOOTSTRAP_H_

#include <kern/types.h>

/* Starts module 0 as the task "bootstrap" with send rights to the
 * privileged host port and the device master port in its IPC space, their
 * names appended to its arguments as `--host-priv=N --device-master=M`, and
 * a kernel thread that reports its end: if the bootstrap task ever ends,
 * the machine powers off with its status (so a crashed bootstrap fails a
 * test run at once instead of timing out).  Returns false if there is no
 * module; panics if module 0 cannot be started (nothing else could run).
 * kmain, once, at the end of boot, with interrupts on and no lock held. */
bool bootstrap_start(void);

#endif

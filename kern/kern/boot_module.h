/* SPDX-License-Identifier: MIT
 *
 * Boot modules as tasks (boot_module.c).  The loader's modules (kern/
 * bootinfo.h) are ELF64 executables with a command line "path args...";
 * module 0 is the bootstrap task (kern/bootstrap.c), which starts the others
 * through quay.defs (kern/quay_server.c).  Both use these two steps:
 *
 *   boot_module_task_alloc   an empty task named after the module
 *   (the caller may now put rights into the task's IPC space)
 *   boot_module_task_load    its image, its stack with argv, one thread;
 *                            the task is left suspended once
 *
 * The argv of module "dir/prog a  b" is {"prog", "a", "b"}: the command
 * line split at blanks (spaces and tabs; no quoting), with the first word's
 * last path component as argv[0] ("module" for an empty line), then any
 * extra arguments the caller gives.  QEMU's -initrd passes "path args";
 * GRUB passes only the words after the file, so boot/grub.cfg.in repeats
 * the program's name there.
 */
#ifndef _KERN_BOOT_MODULE_H_
#define _KERN_BOOT_MODULE_H_

#include <kern/types.h>
#include <mach/kern_return.h>

struct task;

#define BOOT_MODULE_ARGS_MAX 64 /* words of a command line plus extra arguments */

/* How many modules the loader passed. */
unsigned boot_module_count(void);

/* Module `index`'s command line and size in bytes.  KERN_INVALID_ARGUMENT
 * for an index out of range (nothing written).  No lock needed: the boot
 * information never changes after kmain parsed it. */
kern_return_t boot_module_info(unsigned index, const char **cmdline, size_t *size);

/* Creates an empty task (task_create_internal) named after module `index`'s
 * path.  KERN_SUCCESS and *out with a reference for the caller;
 * KERN_INVALID_ARGUMENT for a bad index (nothing created);
 * KERN_RESOURCE_SHORTAGE.  No lock held. */
kern_return_t boot_module_task_alloc(unsigned index, struct task **out);

/* Loads module `index` into `task` (made by boot_module_task_alloc, not
 * yet changed otherwise): its segments (elf_load), the stack with argv as
 * described above plus `extra` (a NULL-terminated array of kernel strings,
 * or NULL), no environment, and one thread at the entry point.  The task is
 * suspended once and its thread ready: task_resume() starts it.  On failure
 * the task may hold part of the image but no thread and is not suspended;
 * the caller releases it.  Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (bad
 * index, not a loadable ELF64 x86-64 executable, more than
 * BOOT_MODULE_ARGS_MAX arguments or too many bytes of them);
 * KERN_RESOURCE_SHORTAGE.  No lock held. */
kern_return_t boot_module_task_load(struct task *task, unsigned index, const char *const *extra);

#endif

// SPDX-License-Identifier: MIT
//
// Boot modules as tasks (boot_module.h): turning module N of the loader's
// list into a suspended task with one thread, its image mapped by the ELF
// loader and its command line on the stack as argv.  The module's pages
// stay reserved for the life of the system, so a module can be started any
// number of times; each task gets its own copy of the image.

#include <kern/boot_module.h>
#include <kern/bootinfo.h>
#include <kern/elf_load.h>
#include <kern/kalloc.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <lib/string.h>
#include <vm/pmap.h>

unsigned
boot_module_count(void)
{
    return boot_info.nmods;
}

kern_return_t
boot_module_info(unsigned index, const char **cmdline, size_t *size)
{
    if (index >= boot_info.nmods)
        return KERN_INVALID_ARGUMENT;
    *cmdline = boot_info.mods[index].cmdline;
    *size = boot_info.mods[index].end - boot_info.mods[index].start;
    return KERN_SUCCESS;
}

static bool
is_blank(char c)
{
    return c == ' ' || c == '\t';
}

// The last component of the path [start, end): what follows its last '/'.
static const char *
last_component(const char *start, const char *end)
{
    const char *base = end;

    while (base > start && base[-1] != '/')
        base--;
    return base;
}

// The last component of the path that starts `cmdline` (up to the first
// blank), copied into buf; "module" if there is none.
static void
module_basename(const char *cmdline, char *buf, size_t size)
{
    const char *start = cmdline, *end;

    while (is_blank(*start))
        start++;
    for (end = start; *end != '\0' && !is_blank(*end); end++)
        ;
    const char *base = last_component(start, end);
    size_t len = MIN((size_t)(end - base), size - 1);
    if (len == 0) {
        strlcpy(buf, "module", size);
        return;
    }
    memcpy(buf, base, len);
    buf[len] = '\0';
}

kern_return_t
boot_module_task_alloc(unsigned index, struct task **out)
{
    char name[TASK_NAME_MAX];

    if (index >= boot_info.nmods)
        return KERN_INVALID_ARGUMENT;
    module_basename(boot_info.mods[index].cmdline, name, sizeof(name));
    return task_create_internal(NULL, name, out);
}

// Splits `line` (a writable copy of the command line) at blanks in place
// into argv[0..], the first word replaced by its last path component (or
// "module" if there is no word), then appends `extra`; NULL-terminates.  argv has room for
// BOOT_MODULE_ARGS_MAX + 1 pointers.  false if the words do not fit.
static bool
split_args(char *line, const char *const *extra, const char **argv)
{
    unsigned argc = 0;
    char *p = line;

    for (;;) {
        while (is_blank(*p))
            *p++ = '\0';
        if (*p == '\0')
            break;
        if (argc == BOOT_MODULE_ARGS_MAX)
            return false;
        argv[argc++] = p;
        while (*p != '\0' && !is_blank(*p))
            p++;
    }
    if (argc == 0)
        argv[argc++] = "module"; // an empty line (GRUB: a module with no words)
    else if (*last_component(argv[0], argv[0] + strlen(argv[0])) != '\0')
        argv[0] = last_component(argv[0], argv[0] + strlen(argv[0]));
    for (; extra != NULL && *extra != NULL; extra++) {
        if (argc == BOOT_MODULE_ARGS_MAX)
            return false;
        argv[argc++] = *extra;
    }
    argv[argc] = NULL;
    return true;
}

// Maps the image and writes the initial stack; *entry and *rsp on success.
static kern_return_t
load_image(struct task *task, unsigned index, const char *const *extra, vaddr_t *entry,
           vaddr_t *rsp)
{
    const struct boot_module *mod = &boot_info.mods[index];
    const char *argv[BOOT_MODULE_ARGS_MAX + 1];
    char *line = kalloc(BOOT_CMDLINE_MAX);
    kern_return_t kr;

    if (line == NULL)
        return KERN_RESOURCE_SHORTAGE;
    strlcpy(line, mod->cmdline, BOOT_CMDLINE_MAX);
    if (!split_args(line, extra, argv)) {
        kr = KERN_INVALID_ARGUMENT;
        goto out;
    }
    kr = elf_load(task->map, phys_to_virt(mod->start), mod->end - mod->start, entry);
    if (kr == KERN_SUCCESS)
        kr = elf_setup_stack(task->map, argv, NULL, rsp);
out:
    kfree(line, BOOT_CMDLINE_MAX);
    return kr;
}

kern_return_t
boot_module_task_load(struct task *task, unsigned index, const char *const *extra)
{
    struct thread *thread;
    vaddr_t entry, rsp;
    kern_return_t kr;

    if (index >= boot_info.nmods)
        return KERN_INVALID_ARGUMENT;
    kr = load_image(task, index, extra, &entry, &rsp);
    if (kr != KERN_SUCCESS)
        return kr;
    kr = thread_create_internal(task, task->t_name, &thread);
    if (kr != KERN_SUCCESS)
        return KERN_RESOURCE_SHORTAGE; // KERN_FAILURE: the task is dying; same to the caller
    kr = thread_setup_user(thread, entry, rsp, 0, 0);
    if (kr != KERN_SUCCESS) {
        // Cannot happen (elf_load checked the entry, the stack is in user
        // space), but if it did: the never-started thread ends at its
        // suspension point.
        (void)thread_terminate(thread);
        thread_deallocate(thread);
        return kr;
    }
    // The task's suspension takes over from the thread's own: the caller's
    // single task_resume() then starts it.
    (void)task_suspend(task);
    (void)thread_resume(thread);
    thread_deallocate(thread);
    return KERN_SUCCESS;
}

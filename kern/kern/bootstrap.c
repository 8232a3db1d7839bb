// SPDX-License-Identifier: MIT
//
// The bootstrap task: boot module 0, started by the kernel at the end of
// kmain as the first user task.  The kernel gives it the two rights no
// other task can obtain on its own -- the privileged host port (start boot
// modules, power off) and the device master port (open devices) -- by
// putting send rights into its IPC space before it runs and telling it the
// names on its command line.  Everything after that is user code: the
// bootstrap task (boot/bootstrap/) starts the other modules through
// quay.defs.
//
// The device master port (IKOT_MASTER_DEVICE) is made by device_init()
// (kern/device/ds_routines.c), which serves device.defs on it.

#include <kern/bootstrap.h>
#include <device/ds_routines.h>
#include <kern/boot_module.h>
#include <kern/bootinfo.h>
#include <kern/assert.h>
#include <kern/console.h>
#include <kern/machine.h>
#include <kern/sched.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <ipc/ipc_defer.h>
#include <ipc/ipc_host.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <lib/printf.h>

/*
 * Gives `task` a new send right to `port` and writes its name to *namep.
 * The task is new and runs nothing, so its space cannot go away meanwhile.
 * Returns KERN_SUCCESS, or the ipc_right_copyout code (no right is left
 * behind on failure).  No lock held.
 */
static kern_return_t
task_insert_send(struct task *task, struct ipc_port *port, mach_port_name_t *namep)
{
    struct ipc_space *space;
    struct ipc_port *right;
    kern_return_t kr;

    spin_lock(&task->itk.itk_lock);
    space = task->itk.itk_space;
    spin_unlock(&task->itk.itk_lock);
    if (space == NULL)
        return KERN_INVALID_TASK;
    right = ipc_port_make_send(port);
    ipc_space_lock(space);
    kr = space->is_active ? ipc_right_copyout(space, right, MACH_MSG_TYPE_PORT_SEND, namep)
                          : KERN_INVALID_TASK;
    ipc_space_unlock(space);
    if (kr != KERN_SUCCESS)
        ipc_port_release_send(right);
    ipc_defer_run();
    return kr;
}

// Waits for the bootstrap task to end and powers the machine off with its
// status: without it nothing would ever end the machine.
static void
bootstrap_watch(void *arg)
{
    struct task *task = arg;
    int status;

    while (task_wait(task, &status) != KERN_SUCCESS)
        ;
    kprintf("bootstrap task ended with status %d\n", status);
    machine_exit(status);
}

// Loads module 0 into `task` with the two names as extra arguments.
static kern_return_t
bootstrap_load(struct task *task, mach_port_name_t host_priv, mach_port_name_t device_master)
{
    char host_arg[32], device_arg[32];
    const char *extra[] = {host_arg, device_arg, NULL};

    snprintf(host_arg, sizeof(host_arg), "--host-priv=%u", host_priv);
    snprintf(device_arg, sizeof(device_arg), "--device-master=%u", device_master);
    return boot_module_task_load(task, 0, extra);
}

bool
bootstrap_start(void)
{
    mach_port_name_t host_priv, device_master;
    struct ipc_port *master;
    struct task *task;
    struct thread *watch;
    kern_return_t kr;

    if (boot_module_count() == 0)
        return false;
    master = device_master_port();
    kr = boot_module_task_alloc(0, &task);
    if (kr != KERN_SUCCESS)
        panic("bootstrap: cannot create the task: %d", kr);
    if ((kr = task_insert_send(task, realhost.host_priv_self, &host_priv)) != KERN_SUCCESS ||
        (kr = task_insert_send(task, master, &device_master)) != KERN_SUCCESS ||
        (kr = bootstrap_load(task, host_priv, device_master)) != KERN_SUCCESS)
        panic("bootstrap: cannot start module 0 ('%s'): %d", boot_info.mods[0].cmdline, kr);
    watch = kernel_thread_create(bootstrap_watch, task, PRI_KERNEL_DEFAULT, "bootstrap-watch");
    if (watch == NULL)
        panic("bootstrap: no memory for its watcher");
    thread_deallocate(watch);
    kprintf("bootstrap: started '%s'\n", boot_info.mods[0].cmdline);
    (void)task_resume(task); // our reference is the watcher's now; it is never dropped
    return true;
}

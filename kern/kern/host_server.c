// SPDX-License-Identifier: MIT
//
// The kernel server of include/mach/mach_host.defs (ids 2600..2603): the
// machine as a kernel object.  The host port (anyone may hold a send right:
// mach_host_self) answers queries; host_reboot needs the privileged host
// port, which only the bootstrap task is given.  The intran gives each
// routine &realhost, or NULL when the port is not the host port of the
// right kind: every routine then answers KERN_INVALID_HOST.

#include <kern/rpc_servers.h>
#include <kern/assert.h>
#include <kern/clock.h>
#include <kern/console.h>
#include <kern/cpu.h>
#include <kern/machine.h>
#include <ipc/ipc_host.h>
#include <ipc/ipc_kobject.h>
#include <lib/string.h>
#include <mach/host_info.h>
#include <mach/host_reboot.h>
#include <vm/vm_page.h>
#include <vm/vm_pageout.h>
#include <kern/task.h>

#include <mach_hostServer.h> // generated: the S_* prototypes, mach_host_server()

#define MACH_HOST_ID_BASE  2600
#define MACH_HOST_ID_COUNT 5 // host_info .. vm_set_default_memory_manager

// XNU's CPU_TYPE_X86_64 (CPU_TYPE_X86 | CPU_ARCH_ABI64) and
// CPU_SUBTYPE_X86_64_ALL, so tools written for Mach recognise the machine.
#define HOST_CPU_TYPE_X86_64     0x01000007
#define HOST_CPU_SUBTYPE_X86_ALL 3

static const char kernel_version[] = "Quay microkernel (x86-64, Mach IPC), built " __DATE__;

/*
 * host_info (2600): HOST_BASIC_INFO: the CPUs brought up and the usable
 * RAM.  *count is the caller's room in integer_t units and becomes the
 * count filled.
 * Returns: KERN_SUCCESS; KERN_INVALID_HOST; KERN_INVALID_ARGUMENT (unknown
 *     flavor, or *count smaller than the flavor's).
 */
kern_return_t
S_host_info(host_t host, host_flavor_t flavor, host_info_t host_info_out,
            mach_msg_type_number_t *host_info_outCnt)
{
    struct host_basic_info info;

    if (host == NULL)
        return KERN_INVALID_HOST;
    if (flavor != HOST_BASIC_INFO || *host_info_outCnt < HOST_BASIC_INFO_COUNT)
        return KERN_INVALID_ARGUMENT;
    memset(&info, 0, sizeof(info));
    info.max_cpus = (integer_t)ncpus;
    info.avail_cpus = (integer_t)ncpus; // every CPU found is running (SMP issue: online count)
    info.memory_size = (vm_size_t)vm_page_total_count() * PAGE_SIZE;
    info.cpu_type = HOST_CPU_TYPE_X86_64;
    info.cpu_subtype = HOST_CPU_SUBTYPE_X86_ALL;
    memcpy(host_info_out, &info, sizeof(info));
    *host_info_outCnt = HOST_BASIC_INFO_COUNT;
    return KERN_SUCCESS;
}

/*
 * host_kernel_version (2601): a NUL-terminated, printable version string
 * in the caller's 512 bytes.
 * Returns: KERN_SUCCESS; KERN_INVALID_HOST.
 */
kern_return_t
S_host_kernel_version(host_t host, kernel_version_t version)
{
    _Static_assert(sizeof(kernel_version) <= sizeof(kernel_version_t), "version too long");

    if (host == NULL)
        return KERN_INVALID_HOST;
    strlcpy(version, kernel_version, sizeof(kernel_version_t));
    return KERN_SUCCESS;
}

/*
 * host_get_time (2602): the time of the kernel's clock (clock_now_ns).
 * Quay has no battery clock yet, so the epoch is the boot: seconds since
 * the kernel started, microseconds in [0, 1000000).
 * Returns: KERN_SUCCESS; KERN_INVALID_HOST.
 */
kern_return_t
S_host_get_time(host_t host, time_value_t *current_time)
{
    uint64_t us;

    if (host == NULL)
        return KERN_INVALID_HOST;
    us = clock_now_ns() / 1000;
    current_time->seconds = (int64_t)(us / 1000000);
    current_time->microseconds = (int64_t)(us % 1000000);
    return KERN_SUCCESS;
}

/*
 * host_reboot (2603): end the machine.  RB_HALT halts, anything else is a
 * reboot; Quay has no reset path yet, so both end with machine_exit(0):
 * under QEMU (isa-debug-exit, -no-reboot, as the harness runs it) the
 * emulator exits with success, on hardware the CPU halts.  On success the
 * call does not return, so the caller sees no reply.
 * Returns: KERN_INVALID_HOST (not the privileged host port);
 *     KERN_INVALID_ARGUMENT (option bits Quay does not know).
 */
kern_return_t
S_host_reboot(host_priv_t host_priv, int options)
{
    if (host_priv == NULL)
        return KERN_INVALID_HOST;
    if ((options & ~RB_SUPPORTED) != 0)
        return KERN_INVALID_ARGUMENT;
    kprintf("Quay: host_reboot(%#x): %s\n", (unsigned)options,
            (options & RB_HALT) ? "halting" : "rebooting (ends the machine)");
    machine_exit(0);
}

/*
 * vm_set_default_memory_manager (2604): registers the default pager
 * (vm_pageout.c); the caller's task becomes the paging task.  new_manager
 * is a send right the request brought (IP_NULL: only look); the previous
 * one goes back as a send right (moved by the stub).
 * Returns: KERN_SUCCESS; KERN_INVALID_HOST without the privileged port.
 */
kern_return_t
S_vm_set_default_memory_manager(host_priv_t host_priv, mach_port_t new_manager,
                                mach_port_t *old_manager)
{
    if (host_priv == NULL)
        return KERN_INVALID_HOST;
    *old_manager = vm_pageout_set_default_pager(new_manager, current_task());
    return KERN_SUCCESS;
}

/*
 * Registers mach_host_server() with the kobject layer.  kmain, once, after
 * ipc_init().  Panics if the ids are taken (a build error in disguise).
 */
void
mach_host_server_init(void)
{
    if (ipc_kobject_register_server(mach_host_server, MACH_HOST_ID_BASE, MACH_HOST_ID_COUNT,
                                    mach_host_max_reply_size) != KERN_SUCCESS)
        panic("mach_host_server_init: ids %d..%d are taken", MACH_HOST_ID_BASE,
              MACH_HOST_ID_BASE + MACH_HOST_ID_COUNT - 1);
}

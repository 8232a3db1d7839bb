/* SPDX-License-Identifier: MIT */
/*
 * default-pager: the task that keeps the kernel's anonymous memory when
 * RAM runs short (README.md).
 *
 *     default-pager [--pages=N] [DEVICE]
 *
 * With DEVICE ("hd0") the backing store is that whole disk; without, or
 * when the disk cannot be used, it is the pager's own memory.  --pages=N
 * uses at most N pages of it.
 *
 * Startup: open the store (and touch the heap the page maps will need);
 * get the privileged host port from the
 * bootstrap task ("host-priv", answered only on the privileged bootstrap
 * port it gives a program named default-pager); make the manager port;
 * vm_set_default_memory_manager; publish the manager port in the name
 * service as DEFAULT_PAGER_SERVICE; then serve, with one thread, a port
 * set holding the manager port and every memory object port.  Nothing
 * here ever calls anything but the kernel and the device (the name
 * service only at startup), so paging cannot wait for a task that is
 * itself waiting for paging.
 */
#include <servers/bootstrap.h>
#include <servers/default_pager_types.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "default_pagerServer.h"
#include "memory_objectServer.h"
#include "memory_object_defaultServer.h"
#include "pager.h"
#include "store.h"

#define HOST_PRIV_SERVICE "host-priv" /* boot/bootstrap/README.md, "Privilege" */

/* Heap touched at startup (prefault_heap): a base, and bytes per page of
 * the store, up to a bound. */
#define PREFAULT_BASE     (128u * 1024)
#define PREFAULT_PER_PAGE 16u
#define PREFAULT_MAX      (16u * 1024 * 1024)

struct options {
    const char *device; /* NULL: a RAM store */
    uint32_t pages;     /* --pages=N; 0: the whole store */
};

static int
parse_options(int argc, char **argv, struct options *opt)
{
    char *end;

    memset(opt, 0, sizeof(*opt));
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--pages=", 8) == 0) {
            unsigned long n = strtoul(argv[i] + 8, &end, 10);

            if (*end != '\0' || n == 0 || n > DP_MAX_PAGES)
                return -1;
            opt->pages = (uint32_t)n;
        } else if (argv[i][0] != '-' && opt->device == NULL) {
            opt->device = argv[i];
        } else {
            return -1;
        }
    }
    return 0;
}

/* Hands out every message to the subsystem whose ids it has: the
 * memory_object protocol (2200..), memory_object_create and
 * data_initialize (2250..), default_pager_info (2275).  An id of none of
 * them is destroyed by the last demux, which answers MIG_BAD_ID. */
static boolean_t
pager_demux(mach_msg_header_t *in, mach_msg_header_t *out)
{
    if (memory_object_server_routine(in) != 0)
        return memory_object_server(in, out);
    if (memory_object_default_server_routine(in) != 0)
        return memory_object_default_server(in, out);
    return default_pager_server(in, out);
}

/* The largest request or reply of the three subsystems. */
static mach_msg_size_t
pager_max_size(void)
{
    mach_msg_size_t sizes[] = {
        memory_object_max_request_size,         memory_object_max_reply_size,
        memory_object_default_max_request_size, memory_object_default_max_reply_size,
        default_pager_max_request_size,         default_pager_max_reply_size,
    };
    mach_msg_size_t max = 0;

    for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        max = sizes[i] > max ? sizes[i] : max;
    return max;
}

/*
 * Touches, then frees, enough heap for the page maps of a full store
 * (object.c: about 13 bytes a page when pages are dense) and some more.
 * The pages stay resident -- the kernel never pages out the paging task's
 * memory, and the heap never gives pages back -- so the maps can grow
 * later, when memory is short, without each new block needing a fresh
 * page from the kernel's reserve.
 */
static void
prefault_heap(uint32_t store_pages)
{
    size_t bytes = PREFAULT_BASE + (size_t)store_pages * PREFAULT_PER_PAGE;
    void *p;

    if (bytes > PREFAULT_MAX)
        bytes = PREFAULT_MAX;
    if ((p = malloc(bytes)) != NULL) {
        memset(p, 0, bytes);
        free(p);
    }
}

/*
 * Opens the store the options name; prints what it is.  A device that
 * cannot be used (no such disk: `./quay run --no-swap`, a machine booted
 * without one) is not fatal: the pager says so and keeps pages in a RAM
 * store instead, so that the system still has a default pager.
 */
static kern_return_t
open_store(const struct options *opt)
{
    kern_return_t kr;

    kr = opt->device != NULL ? store_open_device(opt->device, opt->pages)
                             : store_open_ram(opt->pages);
    if (kr != KERN_SUCCESS && opt->device != NULL) {
        printf("default-pager: no usable disk %s: using a RAM store instead\n", opt->device);
        kr = store_open_ram(opt->pages);
    }
    if (kr != KERN_SUCCESS)
        return kr;
    printf("default-pager: store %s: %u pages of %u bytes\n", store_name(), store_total(),
           DP_PAGE_SIZE);
    return KERN_SUCCESS;
}

/*
 * Makes MANAGER the kernel's default memory manager, with the privileged
 * host port from the bootstrap task.  Without that port, or when the kernel
 * refuses, says so and goes on: the pager still serves whoever sends to
 * it (tests do), and the kernel keeps its anonymous memory resident.
 */
static void
become_default_manager(mach_port_t bootstrap, mach_port_t manager)
{
    mach_port_t self = mach_task_self(), host_priv = MACH_PORT_NULL, old = MACH_PORT_NULL;
    kern_return_t kr;

    kr = bootstrap_look_up(bootstrap, HOST_PRIV_SERVICE, &host_priv);
    if (kr != BOOTSTRAP_SUCCESS) {
        printf("default-pager: warning: no privileged host port (bootstrap_look_up: %d); "
               "not the default memory manager\n",
               kr);
        return;
    }
    kr = vm_set_default_memory_manager(host_priv, manager, &old);
    (void)mach_port_deallocate(self, host_priv);
    if (kr != KERN_SUCCESS) {
        printf("default-pager: warning: vm_set_default_memory_manager: error %d; "
               "not the default memory manager\n",
               kr);
        return;
    }
    if (MACH_PORT_VALID(old))
        (void)mach_port_deallocate(self, old);
    printf("default-pager: the default memory manager\n");
}

/* The manager port and the port set, with the manager in the set. */
static kern_return_t
make_ports(mach_port_t *manager, mach_port_t *set)
{
    mach_port_t self = mach_task_self();
    kern_return_t kr;

    if ((kr = mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, set)) != KERN_SUCCESS)
        return kr;
    if ((kr = mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, manager)) != KERN_SUCCESS)
        return kr;
    return mach_port_move_member(self, *manager, *set);
}

int
main(int argc, char **argv)
{
    struct options opt;
    mach_port_t bootstrap = MACH_PORT_NULL, manager, set;
    kern_return_t kr;

    if (parse_options(argc, argv, &opt) != 0) {
        printf("usage: default-pager [--pages=N] [DEVICE]\n");
        return 2;
    }
    if (open_store(&opt) != KERN_SUCCESS)
        return 1;
    prefault_heap(store_total());
    if ((kr = task_get_bootstrap_port(mach_task_self(), &bootstrap)) != KERN_SUCCESS ||
        (kr = make_ports(&manager, &set)) != KERN_SUCCESS) {
        printf("default-pager: cannot set up its ports: error %d\n", kr);
        return 1;
    }
    pager_init(manager, set);
    become_default_manager(bootstrap, manager);
    kr = bootstrap_register(bootstrap, DEFAULT_PAGER_SERVICE, manager);
    (void)mach_port_deallocate(mach_task_self(), bootstrap);
    if (kr != BOOTSTRAP_SUCCESS)
        printf("default-pager: warning: cannot register %s: error %d\n", DEFAULT_PAGER_SERVICE, kr);
    kr = mach_msg_server(pager_demux, pager_max_size(), set, 0);
    printf("default-pager: receive failed: error %#x\n", kr);
    return 1;
}

/* SPDX-License-Identifier: MIT */
/*
 * The name service (include/servers/bootstrap.defs): the bootstrap task
 * answers bootstrap_register and bootstrap_look_up on the bootstrap port of
 * every task it starts.
 *
 * Those ports are all members of one port set, on which one service thread
 * runs mach_msg_server() with the generated demux, bootstrap_server().
 * Every bootstrap port is the same service: which one a request came in on
 * does not matter.  The table maps a name to bootstrap's send right for the
 * registered port.
 *
 * Threads.  The main thread (bootstrap.c) starts tasks and waits for them;
 * it adds each new bootstrap port to the set (mach_port_move_member, a
 * kernel call that may run while the service thread is receiving on the
 * set) and destroys the port when the task has ended, which takes it out
 * of the set.  Only the service thread touches the table, so it needs no
 * lock.
 *
 * Lifetime.  An entry lives until bootstrap ends: nobody unregisters, and
 * bootstrap does not forget what a task registered when the task ends.
 * When a registered port dies, bootstrap's right becomes a dead name; the
 * next register or look_up of that name finds it dead, drops the entry and
 * frees the name (lazily: no dead-name notification is requested), so a
 * restarted server can register again.
 *
 * Privilege.  One name is not in the table: HOST_PRIV_SERVICE, the
 * privileged host port, which only bootstrap holds.  look_up answers it
 * only to a request that arrived on a *privileged* bootstrap port -- the
 * one bootstrap gives the default pager, which must register itself with
 * vm_set_default_memory_manager -- and BOOTSTRAP_UNKNOWN_SERVICE to every
 * other; nobody may register under it.  The main thread marks and unmarks
 * the privileged ports (a few words written with atomic stores); the
 * service thread only reads the marks.
 */
#include <mach.h>
#include <quay/threads.h>
#include <servers/bootstrap.h>
#include <stdio.h>
#include <string.h>

#include "bootstrapServer.h"
#include "name_service.h"

#define NS_MAX_SERVICES   64
#define NS_MAX_PRIVILEGED 4 /* privileged bootstrap ports alive at once */

struct service {
    char sv_name[BOOTSTRAP_NAME_MAX];
    mach_port_t sv_port; /* bootstrap's send right; MACH_PORT_NULL: a free slot */
};

/* Protected by being touched only by the service thread (and by the main
 * thread before any client exists: name_service_register_local). */
static struct service services[NS_MAX_SERVICES];

/* Written once by name_service_start() before the service thread exists. */
static mach_port_t ns_set;
static mach_port_t ns_host_priv; /* bootstrap's send right; answers HOST_PRIV_SERVICE */

/* The names of the privileged bootstrap ports (MACH_PORT_NULL: a free
 * slot).  Written by the main thread only, read by the service thread:
 * atomic loads and stores.  A port is marked before its task runs and
 * unmarked before its receive right is destroyed, so a name that comes
 * back for another port is never found marked. */
static mach_port_t ns_privileged[NS_MAX_PRIVILEGED];

/* 1 if PORT (a request's bootstrap port, our receive right) is privileged. */
static int
port_privileged(mach_port_t port)
{
    if (!MACH_PORT_VALID(port))
        return 0;
    for (int i = 0; i < NS_MAX_PRIVILEGED; i++) {
        if (__atomic_load_n(&ns_privileged[i], __ATOMIC_ACQUIRE) == port)
            return 1;
    }
    return 0;
}

/* 1 once the service thread is ready to serve (name_service_start waits). */
static volatile uint32_t ns_ready;

/* 1 if the entry's port is alive; a dead one is dropped and its name freed. */
static int
service_alive(struct service *sv)
{
    mach_port_type_t type;

    if (mach_port_type(mach_task_self(), sv->sv_port, &type) == KERN_SUCCESS &&
        (type & MACH_PORT_TYPE_SEND) != 0)
        return 1;
    (void)mach_port_deallocate(mach_task_self(), sv->sv_port);
    sv->sv_port = MACH_PORT_NULL;
    return 0;
}

/* The live entry registered under `name`, or NULL. */
static struct service *
service_find(const char *name)
{
    for (int i = 0; i < NS_MAX_SERVICES; i++) {
        struct service *sv = &services[i];

        if (sv->sv_port != MACH_PORT_NULL && strcmp(sv->sv_name, name) == 0)
            return service_alive(sv) ? sv : NULL;
    }
    return NULL;
}

/* A free slot, or NULL. */
static struct service *
service_free_slot(void)
{
    for (int i = 0; i < NS_MAX_SERVICES; i++) {
        if (services[i].sv_port == MACH_PORT_NULL)
            return &services[i];
    }
    return NULL;
}

/*
 * bootstrap_register: keep SERVICE_PORT (a send right the request carried,
 * now ours) under SERVICE_NAME.  The stub has checked that the name has its
 * NUL within 128 bytes.  On any error the stub releases the right.
 * Returns BOOTSTRAP_SUCCESS, BOOTSTRAP_NOT_PRIVILEGED (empty name, no
 * port, or the reserved HOST_PRIV_SERVICE, from any port),
 * BOOTSTRAP_NAME_IN_USE, or KERN_RESOURCE_SHORTAGE (table full).
 */
kern_return_t
S_bootstrap_register(mach_port_t bootstrap_port, name_t service_name, mach_port_t service_port)
{
    struct service *sv;

    (void)bootstrap_port;
    if (service_name[0] == '\0' || !MACH_PORT_VALID(service_port) ||
        strcmp(service_name, HOST_PRIV_SERVICE) == 0)
        return BOOTSTRAP_NOT_PRIVILEGED;
    if (service_find(service_name) != NULL)
        return BOOTSTRAP_NAME_IN_USE;
    if ((sv = service_free_slot()) == NULL)
        return KERN_RESOURCE_SHORTAGE;
    snprintf(sv->sv_name, sizeof(sv->sv_name), "%s", service_name);
    sv->sv_port = service_port;
    return BOOTSTRAP_SUCCESS;
}

/*
 * bootstrap_look_up: *SERVICE_PORT = our send right for SERVICE_NAME; the
 * reply copies it (COPY_SEND), so we keep ours.  HOST_PRIV_SERVICE is
 * answered with the privileged host port when BOOTSTRAP_PORT (the port the
 * request arrived on) is privileged, and as an unknown name otherwise.
 * Returns BOOTSTRAP_SUCCESS or BOOTSTRAP_UNKNOWN_SERVICE.
 */
kern_return_t
S_bootstrap_look_up(mach_port_t bootstrap_port, name_t service_name, mach_port_t *service_port)
{
    struct service *sv;

    if (strcmp(service_name, HOST_PRIV_SERVICE) == 0) {
        if (!port_privileged(bootstrap_port) || !MACH_PORT_VALID(ns_host_priv))
            return BOOTSTRAP_UNKNOWN_SERVICE;
        *service_port = ns_host_priv;
        return BOOTSTRAP_SUCCESS;
    }
    if ((sv = service_find(service_name)) == NULL)
        return BOOTSTRAP_UNKNOWN_SERVICE;
    *service_port = sv->sv_port;
    return BOOTSTRAP_SUCCESS;
}

/* The service thread: serve the set until bootstrap ends. */
static void *
name_service_loop(void *arg)
{
    mach_msg_size_t size = bootstrap_max_request_size > bootstrap_max_reply_size
                               ? bootstrap_max_request_size
                               : bootstrap_max_reply_size;
    mach_msg_return_t mr;

    (void)arg;
    /* The MIG reply port for service_alive's kernel calls, made now rather
     * than on first use, so that serving never changes the kernel's counts
     * (bootstrap --task compares them before and after a task). */
    (void)mig_get_reply_port();
    __atomic_store_n(&ns_ready, 1, __ATOMIC_RELEASE);
    (void)quay_wake(&ns_ready, 1);
    mr = mach_msg_server(bootstrap_server, size, ns_set, 0);
    printf("bootstrap: name service stopped: error %#x\n", mr);
    return NULL;
}

/*
 * Creates the port set and starts the service thread; returns when the
 * thread is ready to serve.  HOST_PRIV is bootstrap's send right to the
 * privileged host port, given out (copied) to privileged bootstrap ports
 * only; bootstrap keeps it.  Call once, from the main thread, before any
 * task is started.  Returns KERN_SUCCESS or the error of the call that
 * failed (nothing is left behind).
 */
kern_return_t
name_service_start(mach_port_t host_priv)
{
    quay_thread_t thread;
    kern_return_t kr;

    ns_host_priv = host_priv;

    kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &ns_set);
    if (kr != KERN_SUCCESS)
        return kr;
    kr = quay_thread_create(name_service_loop, NULL, &thread);
    if (kr != KERN_SUCCESS) {
        (void)mach_port_mod_refs(mach_task_self(), ns_set, MACH_PORT_RIGHT_PORT_SET, -1);
        ns_set = MACH_PORT_NULL;
        return kr;
    }
    while (__atomic_load_n(&ns_ready, __ATOMIC_ACQUIRE) == 0)
        (void)quay_wait(&ns_ready, 0, 0);
    return KERN_SUCCESS;
}

/*
 * Registers SERVICE_PORT (a send right of ours, which the table now holds)
 * under NAME from the main thread: how bootstrap publishes the rights the
 * kernel gave it ("device-master").  Call only after name_service_start()
 * and before any task is started: the service thread touches the table
 * only while serving a request, and no client exists yet to send one (the
 * request's mach_msg orders this write before the thread's reads).
 * Returns as bootstrap_register.
 */
kern_return_t
name_service_register_local(const char *name, mach_port_t service_port)
{
    name_t copy;

    snprintf(copy, sizeof(copy), "%s", name);
    return S_bootstrap_register(MACH_PORT_NULL, copy, service_port);
}

/* Takes the privileged mark off PORT, if it has one.  Main thread only. */
static void
unmark_privileged(mach_port_t port)
{
    for (int i = 0; i < NS_MAX_PRIVILEGED; i++) {
        if (ns_privileged[i] == port)
            __atomic_store_n(&ns_privileged[i], MACH_PORT_NULL, __ATOMIC_RELEASE);
    }
}

/* Marks PORT privileged: 0, or -1 if NS_MAX_PRIVILEGED ports already are.
 * Main thread only. */
static int
mark_privileged(mach_port_t port)
{
    for (int i = 0; i < NS_MAX_PRIVILEGED; i++) {
        if (ns_privileged[i] == MACH_PORT_NULL) {
            __atomic_store_n(&ns_privileged[i], port, __ATOMIC_RELEASE);
            return 0;
        }
    }
    return -1;
}

/*
 * Makes the receive right PORT a bootstrap port: a member of the service's
 * set, and with PRIVILEGED one on which look_up answers HOST_PRIV_SERVICE.
 * name_service_drop_port() undoes both.  Main thread only, before the
 * port's task runs.  Returns KERN_SUCCESS, KERN_RESOURCE_SHORTAGE (too many
 * privileged ports), or the error of mach_port_move_member; on failure
 * PORT is neither marked nor in the set.
 */
kern_return_t
name_service_add_port(mach_port_t port, int privileged)
{
    kern_return_t kr;

    if (privileged && mark_privileged(port) != 0)
        return KERN_RESOURCE_SHORTAGE;
    kr = mach_port_move_member(mach_task_self(), port, ns_set);
    if (kr != KERN_SUCCESS)
        unmark_privileged(port);
    return kr;
}

/*
 * Ends the bootstrap port PORT: unmarks it, then destroys our receive right
 * (which takes it out of the set), so that its name, when it comes back for
 * another port, is not privileged.  Main thread only.
 */
void
name_service_drop_port(mach_port_t port)
{
    unmark_privileged(port);
    (void)mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
}

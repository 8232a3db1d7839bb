/* SPDX-License-Identifier: MIT */
/*
 * bootstrap: the first user task (boot module 0).  The kernel starts it
 * with send rights to the privileged host port and the device master port
 * and their names on its command line (`--host-priv=N --device-master=M`,
 * kern/kern/bootstrap.c).  It starts every other boot module as a task
 * (quay.defs: host_boot_module_task_create), gives each a bootstrap port
 * whose receive right it keeps, and resumes it.  On those ports a second
 * thread serves the name service, bootstrap.defs (name_service.c), in
 * which bootstrap publishes the device master port as "device-master".
 * The module named DEFAULT_PAGER_PROGRAM gets a privileged bootstrap port,
 * on which "host-priv" finds the privileged host port.
 *
 * Two modes:
 *   (default)  start modules 1..N-1, report each one's end, then idle;
 *              with no other module, say so and idle.  Servers rarely end.
 *   --task     the test runner behind `./quay run --task` and the user.*
 *              tests: start modules 2..N-1 as servers (not waited for),
 *              then module 1, "the task"; wait for it, check that the
 *              kernel's object counts return to what they were just before
 *              it started, print `leak check: ok` (or what differs) and
 *              power off with the task's status -- or 99 if it leaked, 98
 *              if it could not be run at all.
 * See boot/bootstrap/README.md.
 */
#include <mach.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "name_service.h"

#define STATUS_SETUP_FAILED 98 /* --task: the program could not be run */

/* The name under which the device master port is published. */
#define DEVICE_MASTER_SERVICE "device-master"
#define STATUS_LEAKED         99 /* --task: the counts did not return */

/* The program (argv[0]'s last component) whose task gets a privileged
 * bootstrap port: the default pager (default-pager/), which needs the
 * privileged host port for vm_set_default_memory_manager. */
#define DEFAULT_PAGER_PROGRAM "default-pager"

#define LEAK_POLL_MS    10  /* between two looks at the counts */
#define LEAK_POLL_TRIES 100 /* 1 s in all: the kernel reaps asynchronously */

#define SETTLE_QUIET_POLLS 5   /* servers are set up: counts unchanged for 50 ms */
#define SETTLE_POLL_TRIES  300 /* ...looked for during 3 s at most */

#define MAX_TASKS 64 /* modules started and remembered */

struct options {
    mach_port_t host_priv;
    mach_port_t device_master;
    int task_mode; /* --task */
};

/* A task started from a module: its port, the receive right of its
 * bootstrap port, and the reply port of the task_wait request sent for it. */
struct started {
    mach_port_t task;
    mach_port_t bootstrap;
    mach_port_t wait_reply;
    char name[64];
};

/* task_wait's messages as mig lays them out (quay.defs, id 5000). */
typedef struct {
    mach_msg_header_t Head;
} task_wait_request_t;

typedef struct {
    mach_msg_header_t Head;
    kern_return_t RetCode;
    int status;
} task_wait_reply_t;

#define TASK_WAIT_ID 5000

/* Reads "--key=N" into *out; 1 if arg is that option. */
static int
number_option(const char *arg, const char *key, mach_port_t *out)
{
    size_t len = strlen(key);
    char *end;

    if (strncmp(arg, key, len) != 0 || arg[len] != '=')
        return 0;
    *out = (mach_port_t)strtoul(arg + len + 1, &end, 10);
    return *end == '\0';
}

static int
parse_options(int argc, char **argv, struct options *opt)
{
    memset(opt, 0, sizeof(*opt));
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--task") == 0)
            opt->task_mode = 1;
        else if (!number_option(argv[i], "--host-priv", &opt->host_priv) &&
                 !number_option(argv[i], "--device-master", &opt->device_master)) {
            printf("bootstrap: unknown argument '%s'\n", argv[i]);
            return -1;
        }
    }
    if (opt->host_priv == MACH_PORT_NULL) {
        printf("bootstrap: no --host-priv=N from the kernel\n");
        return -1;
    }
    return 0;
}

/* The module's name for messages: the last component of its path (the
 * first word of its command line), as the kernel names the task. */
static void
module_name(mach_port_t host_priv, natural_t index, char *buf, size_t size)
{
    static boot_module_cmdline_t line;
    vm_size_t bytes;
    char *base;

    if (host_boot_module_info(host_priv, index, line, &bytes) != KERN_SUCCESS)
        line[0] = '\0';
    line[strcspn(line, " \t")] = '\0';
    base = strrchr(line, '/') != NULL ? strrchr(line, '/') + 1 : line;
    snprintf(buf, size, "%s", base[0] != '\0' ? base : "module");
}

/* Gives `task` a new port as its bootstrap port, served by the name
 * service (a privileged one if `privileged`); the receive right (ours)
 * goes to *port.  Nothing is left behind on failure. */
static kern_return_t
give_bootstrap_port(mach_port_t task, int privileged, mach_port_t *port)
{
    mach_port_t self = mach_task_self();
    mach_port_t p;
    kern_return_t kr;

    kr = mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &p);
    if (kr != KERN_SUCCESS)
        return kr;
    kr = name_service_add_port(p, privileged);
    if (kr == KERN_SUCCESS)
        kr = mach_port_insert_right(self, p, p, MACH_MSG_TYPE_MAKE_SEND);
    if (kr == KERN_SUCCESS) {
        kr = task_set_special_port(task, TASK_BOOTSTRAP_PORT, p); /* copies our send right */
        (void)mach_port_deallocate(self, p);                      /* ...which we drop */
    }
    if (kr != KERN_SUCCESS) {
        name_service_drop_port(p);
        return kr;
    }
    *port = p;
    return KERN_SUCCESS;
}

/*
 * Sends task_wait for `task` with a reply port of its own, without waiting
 * for the answer (task_wait_end receives it).  The request must reach the
 * kernel before the task can end: a task's port dies with it, so a
 * task_wait sent after the end fails with MACH_SEND_INVALID_DEST.  The mig
 * stub cannot split send from receive, so the message is built here.
 */
static kern_return_t
task_wait_begin(mach_port_t task, mach_port_t *reply)
{
    task_wait_request_t req;
    mach_port_t port;
    kern_return_t kr;

    kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port);
    if (kr != KERN_SUCCESS)
        return kr;
    memset(&req, 0, sizeof(req));
    req.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
    req.Head.msgh_size = sizeof(req);
    req.Head.msgh_remote_port = task;
    req.Head.msgh_local_port = port;
    req.Head.msgh_id = TASK_WAIT_ID;
    kr = mach_msg(&req.Head, MACH_SEND_MSG, sizeof(req), 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
                  MACH_PORT_NULL);
    if (kr != MACH_MSG_SUCCESS) {
        (void)mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
        return kr;
    }
    *reply = port;
    return KERN_SUCCESS;
}

/* Receives the answer to task_wait_begin and destroys its reply port.
 * KERN_SUCCESS with *status, or the error the kernel or mach_msg gave. */
static kern_return_t
task_wait_end(mach_port_t reply, int *status)
{
    union {
        task_wait_reply_t r;
        mig_reply_error_t e;
        char space[sizeof(task_wait_reply_t) + 64];
    } msg;
    kern_return_t kr;

    kr = mach_msg(&msg.r.Head, MACH_RCV_MSG, 0, sizeof(msg), reply, MACH_MSG_TIMEOUT_NONE,
                  MACH_PORT_NULL);
    (void)mach_port_mod_refs(mach_task_self(), reply, MACH_PORT_RIGHT_RECEIVE, -1);
    if (kr != MACH_MSG_SUCCESS)
        return kr;
    if (msg.r.Head.msgh_id != TASK_WAIT_ID + 100) {
        mach_msg_destroy(&msg.r.Head);
        return MIG_REPLY_MISMATCH;
    }
    if (msg.r.Head.msgh_size == sizeof(msg.e) && msg.e.RetCode != KERN_SUCCESS)
        return msg.e.RetCode;
    if (msg.r.Head.msgh_size != sizeof(msg.r))
        return MIG_TYPE_ERROR;
    *status = msg.r.status;
    return KERN_SUCCESS;
}

/* Starts module `index` with its bootstrap port and, if `wait`, a
 * task_wait request pending for it (else s->wait_reply is null); fills *s.
 * On failure prints why and leaves nothing behind. */
static kern_return_t
start_module(const struct options *opt, natural_t index, int wait, struct started *s)
{
    mach_port_t self = mach_task_self();
    int privileged;
    kern_return_t kr;

    module_name(opt->host_priv, index, s->name, sizeof(s->name));
    s->wait_reply = MACH_PORT_NULL;
    kr = host_boot_module_task_create(opt->host_priv, index, &s->task);
    if (kr != KERN_SUCCESS) {
        printf("bootstrap: cannot load module %u (%s): error %#x\n", index, s->name, kr);
        return kr;
    }
    privileged = strcmp(s->name, DEFAULT_PAGER_PROGRAM) == 0;
    if ((kr = give_bootstrap_port(s->task, privileged, &s->bootstrap)) != KERN_SUCCESS)
        goto fail_task;
    if (wait && (kr = task_wait_begin(s->task, &s->wait_reply)) != KERN_SUCCESS)
        goto fail_bootstrap;
    if ((kr = task_resume(s->task)) != KERN_SUCCESS)
        goto fail_wait;
    return KERN_SUCCESS;

fail_wait:
    if (wait)
        (void)mach_port_mod_refs(self, s->wait_reply, MACH_PORT_RIGHT_RECEIVE, -1);
fail_bootstrap:
    name_service_drop_port(s->bootstrap);
fail_task:
    printf("bootstrap: cannot start module %u (%s): error %#x\n", index, s->name, kr);
    (void)task_terminate(s->task);
    (void)mach_port_deallocate(self, s->task);
    return kr;
}

/* Releases what bootstrap holds for a task that has ended. */
static void
forget(struct started *s)
{
    mach_port_t self = mach_task_self();

    (void)mach_port_deallocate(self, s->task); /* a dead name by now */
    name_service_drop_port(s->bootstrap);
}

/* Blocks this thread for good (bootstrap has nothing left to do but must
 * not end: the kernel powers off when it does). */
static void __attribute__((noreturn)) idle_forever(void)
{
    static volatile uint32_t never;

    for (;;)
        (void)quay_wait(&never, 0, 0);
}

static void
sleep_ms(mach_msg_timeout_t ms)
{
    static volatile uint32_t never;

    (void)quay_wait(&never, 0, ms);
}

/* The counts a leak check compares: ports and names less what paged
 * anonymous objects keep alive (<mach/mach_types.h>, his_paged), whose
 * number is not compared: the pageout daemon may page out any task's
 * memory (bootstrap's own) while the task runs, and those objects stay. */
static void
leak_counts(const host_ipc_stats_t *s, natural_t out[7])
{
    out[0] = s->his_ports - HIS_PAGED_PORTS * s->his_paged;
    out[1] = s->his_psets;
    out[2] = s->his_entries - HIS_PAGED_ENTRIES * s->his_paged;
    out[3] = s->his_kmsgs;
    out[4] = s->his_tasks;
    out[5] = s->his_threads;
    out[6] = s->his_spaces;
}

/* Prints each count that differs; 1 if any does. */
static int
report_differences(const host_ipc_stats_t *before, const host_ipc_stats_t *after)
{
    static const char *const names[] = {"ports", "port sets", "entries", "messages",
                                        "tasks", "threads",   "spaces"};
    natural_t b[7], a[7];
    int differ = 0;

    leak_counts(before, b);
    leak_counts(after, a);
    for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (a[i] != b[i]) {
            printf("%s%s %u -> %u", differ ? ", " : "leak check: FAILED: ", names[i], b[i], a[i]);
            differ = 1;
        }
    }
    if (differ)
        printf("\n");
    return differ;
}

/* Waits (bounded) until the kernel's counts are back to `baseline`;
 * prints the leak line.  1 if something leaked. */
static int
leak_check(mach_port_t host, const host_ipc_stats_t *baseline)
{
    host_ipc_stats_t now;

    for (int i = 0; i < LEAK_POLL_TRIES; i++) {
        if (host_ipc_stats(host, &now) != KERN_SUCCESS) {
            printf("leak check: FAILED: host_ipc_stats failed\n");
            return 1;
        }
        natural_t a[7], b[7];
        leak_counts(&now, a);
        leak_counts(baseline, b);
        if (memcmp(a, b, sizeof(a)) == 0) {
            printf("leak check: ok\n");
            return 0;
        }
        sleep_ms(LEAK_POLL_MS);
    }
    return report_differences(baseline, &now);
}

/*
 * Waits until the kernel's counts have not changed for SETTLE_QUIET_POLLS
 * looks in a row, SETTLE_POLL_TRIES looks at most: the servers just
 * started have set themselves up (registered their names) and wait for
 * requests.  A heuristic -- a server may stay quiet for 50 ms and act
 * later -- which is why the servers of a --task run must do their setup
 * at once.  Says so if they did not settle.
 */
static void
settle(mach_port_t host)
{
    host_ipc_stats_t last, now;
    int quiet = 0;

    if (host_ipc_stats(host, &last) != KERN_SUCCESS)
        return;
    for (int i = 0; i < SETTLE_POLL_TRIES && quiet < SETTLE_QUIET_POLLS; i++) {
        sleep_ms(LEAK_POLL_MS);
        if (host_ipc_stats(host, &now) != KERN_SUCCESS)
            return;
        quiet = memcmp(&now, &last, sizeof(now)) == 0 ? quiet + 1 : 0;
        last = now;
    }
    if (quiet < SETTLE_QUIET_POLLS)
        printf("bootstrap: the servers are still busy; the leak check may see them\n");
}

/* --task: starts modules 2..count-1, the servers the task may use, not
 * waited for (bootstrap keeps its rights for them until power-off), and
 * lets them settle.  0, or -1 if one could not be started (the others
 * keep running). */
static int
start_servers(const struct options *opt, mach_port_t host, natural_t count)
{
    struct started s;

    if (count > MAX_TASKS)
        printf("bootstrap: at most %d modules; ignoring the rest\n", MAX_TASKS);
    for (natural_t i = 2; i < count && i < MAX_TASKS; i++) {
        if (start_module(opt, i, 0, &s) != KERN_SUCCESS)
            return -1;
    }
    if (count > 2)
        settle(host);
    return 0;
}

/* Runs module 1 and waits for it; its exit status, or STATUS_SETUP_FAILED. */
static int
run_module_1(const struct options *opt)
{
    struct started s;
    int status;
    kern_return_t kr;

    if (start_module(opt, 1, 1, &s) != KERN_SUCCESS)
        return STATUS_SETUP_FAILED;
    kr = task_wait_end(s.wait_reply, &status);
    forget(&s);
    if (kr != KERN_SUCCESS) {
        printf("bootstrap: task_wait: error %#x\n", kr);
        return STATUS_SETUP_FAILED;
    }
    if (status != 0)
        printf("bootstrap: %s exited with status %d\n", s.name, status);
    return status;
}

/* --task: start the servers (modules 2..), run module 1, check for leaks
 * against the counts just before module 1 started (also when it could not
 * be started: a refused module must leave nothing behind), power off with
 * its status. */
static void __attribute__((noreturn)) run_one_task(const struct options *opt, natural_t count)
{
    mach_port_t host = mach_host_self();
    host_ipc_stats_t baseline;
    int status = STATUS_SETUP_FAILED;
    kern_return_t kr;

    if (count < 2) {
        printf("bootstrap: --task, but no program module to run\n");
    } else if (start_servers(opt, host, count) != 0) {
        printf("bootstrap: a server could not be started; not running the task\n");
    } else if ((kr = host_ipc_stats(host, &baseline)) != KERN_SUCCESS) {
        printf("bootstrap: host_ipc_stats: error %#x\n", kr);
    } else {
        status = run_module_1(opt);
        if (leak_check(host, &baseline) != 0) {
            printf("bootstrap: kernel objects leaked; status %d\n", STATUS_LEAKED);
            status = STATUS_LEAKED;
        }
    }
    fflush(stdout);
    kr = host_power_off(opt->host_priv, status);
    printf("bootstrap: host_power_off: error %#x\n", kr);
    exit(STATUS_SETUP_FAILED); /* the kernel powers off when bootstrap ends */
}

/* Default mode: start every other module, report their ends, then idle. */
static void __attribute__((noreturn)) run_all(const struct options *opt, natural_t count)
{
    static struct started tasks[MAX_TASKS];
    natural_t n = 0;
    int status;

    if (count < 2) {
        printf("bootstrap: no other boot modules to start; idling.  (QEMU: Ctrl-A X quits.)\n");
        idle_forever();
    }
    for (natural_t i = 1; i < count && n < sizeof(tasks) / sizeof(tasks[0]); i++) {
        if (start_module(opt, i, 1, &tasks[n]) == KERN_SUCCESS)
            n++;
    }
    for (natural_t i = 0; i < n; i++) {
        if (task_wait_end(tasks[i].wait_reply, &status) == KERN_SUCCESS)
            printf("bootstrap: %s exited with status %d\n", tasks[i].name, status);
        forget(&tasks[i]);
    }
    printf("bootstrap: every task has ended; idling.\n");
    idle_forever();
}

int
main(int argc, char **argv)
{
    struct options opt;
    natural_t count;
    kern_return_t kr;

    if (parse_options(argc, argv, &opt) != 0)
        return STATUS_SETUP_FAILED;
    kr = name_service_start(opt.host_priv);
    if (kr != KERN_SUCCESS) {
        printf("bootstrap: cannot start the name service: error %#x\n", kr);
        return STATUS_SETUP_FAILED;
    }
    /* The device master port, for the tasks that drive devices (the
     * default pager, the device tests): published before any task runs. */
    if (MACH_PORT_VALID(opt.device_master) &&
        (kr = name_service_register_local(DEVICE_MASTER_SERVICE, opt.device_master)) !=
            KERN_SUCCESS) {
        printf("bootstrap: cannot register %s: error %#x\n", DEVICE_MASTER_SERVICE, kr);
        return STATUS_SETUP_FAILED;
    }
    kr = host_boot_module_count(opt.host_priv, &count);
    if (kr != KERN_SUCCESS) {
        printf("bootstrap: host_boot_module_count: error %#x\n", kr);
        return STATUS_SETUP_FAILED;
    }
    if (opt.task_mode)
        run_one_task(&opt, count);
    run_all(&opt, count);
}

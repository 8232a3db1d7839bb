/* SPDX-License-Identifier: MIT */
/*
 * The name service's QEMU test (test/qemu: qemu.bootstrap.name_service_*):
 * boot module 1 ("the task") under `bootstrap --task`, with
 * register_server as module 2, which has registered ECHO_SERVICE.  Each
 * check prints one line; the last line is "N passed, N failed" and the
 * exit status the number that failed.  bootstrap's leak check then shows
 * that the failed registrations left nothing behind in bootstrap.
 */
#include <mach.h>
#include <servers/bootstrap.h>
#include <stdio.h>

#include "echo.h"

#define LOOKUP_TRIES   200 /* 2 s: in case the server is slow to register */
#define LOOKUP_WAIT_MS 10

static int passed, failed;

static void
check(const char *behaviour, int ok)
{
    printf("%s: %s\n", ok ? "ok" : "FAILED", behaviour);
    if (ok)
        passed++;
    else
        failed++;
}

static void
sleep_ms(mach_msg_timeout_t ms)
{
    static volatile uint32_t never;

    (void)quay_wait(&never, 0, ms);
}

/* bootstrap_look_up, retried while the name is unknown. */
static kern_return_t
look_up_retrying(mach_port_t bootstrap, const char *name, mach_port_t *port)
{
    kern_return_t kr = BOOTSTRAP_UNKNOWN_SERVICE;

    for (int i = 0; i < LOOKUP_TRIES && kr == BOOTSTRAP_UNKNOWN_SERVICE; i++) {
        kr = bootstrap_look_up(bootstrap, name, port);
        if (kr == BOOTSTRAP_UNKNOWN_SERVICE)
            sleep_ms(LOOKUP_WAIT_MS);
    }
    return kr;
}

/* One echo round trip to `service`; 1 if the right reply came back. */
static int
echo(mach_port_t service)
{
    union {
        mach_msg_header_t h;
        char bytes[256];
    } u;
    mach_port_t reply = mig_get_reply_port();
    mach_msg_return_t mr;

    u.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
    u.h.msgh_size = sizeof(u.h);
    u.h.msgh_remote_port = service;
    u.h.msgh_local_port = reply;
    u.h.msgh_voucher_port = MACH_PORT_NULL;
    u.h.msgh_id = ECHO_ID;
    mr = mach_msg(&u.h, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(u.h), sizeof(u), reply, 0,
                  MACH_PORT_NULL);
    return mr == MACH_MSG_SUCCESS && u.h.msgh_id == ECHO_ID + 100;
}

/* The user references of `name`'s send right (0 if none). */
static mach_port_urefs_t
send_refs(mach_port_t name)
{
    mach_port_urefs_t refs = 0;

    if (mach_port_get_refs(mach_task_self(), name, MACH_PORT_RIGHT_SEND, &refs) != KERN_SUCCESS)
        return (mach_port_urefs_t)-1;
    return refs;
}

int
main(void)
{
    mach_port_t self = mach_task_self(), bootstrap, service = MACH_PORT_NULL, again, mine;
    mach_port_t unknown = MACH_PORT_NULL;
    kern_return_t kr;

    if (task_get_bootstrap_port(self, &bootstrap) != KERN_SUCCESS ||
        mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &mine) != KERN_SUCCESS) {
        printf("lookup_client: setup failed\n");
        return 100;
    }

    kr = look_up_retrying(bootstrap, ECHO_SERVICE, &service);
    check("look_up_finds_registered_service", kr == BOOTSTRAP_SUCCESS && MACH_PORT_VALID(service));
    check("looked_up_right_reaches_the_server", kr == BOOTSTRAP_SUCCESS && echo(service));
    kr = bootstrap_look_up(bootstrap, ECHO_SERVICE, &again);
    check("second_look_up_adds_a_reference_to_the_same_name",
          kr == BOOTSTRAP_SUCCESS && again == service && send_refs(service) == 2);

    kr = bootstrap_look_up(bootstrap, "quay.test.no_such_service", &unknown);
    check("look_up_of_unknown_name_returns_unknown_service",
          kr == BOOTSTRAP_UNKNOWN_SERVICE && unknown == MACH_PORT_NULL);

    kr = bootstrap_register(bootstrap, ECHO_SERVICE, mine);
    check("register_of_taken_name_returns_name_in_use",
          kr == BOOTSTRAP_NAME_IN_USE && send_refs(mine) == 0);
    kr = bootstrap_register(bootstrap, "", mine);
    check("register_of_empty_name_returns_not_privileged", kr == BOOTSTRAP_NOT_PRIVILEGED);
    kr = bootstrap_look_up(bootstrap, ECHO_SERVICE, &again);
    check("refused_registration_keeps_the_first_port",
          kr == BOOTSTRAP_SUCCESS && again == service && echo(again));

    if (MACH_PORT_VALID(service))
        (void)mach_port_mod_refs(self, service, MACH_PORT_RIGHT_SEND, -(int)send_refs(service));
    (void)mach_port_mod_refs(self, mine, MACH_PORT_RIGHT_RECEIVE, -1);
    (void)mach_port_deallocate(self, bootstrap);
    printf("%d passed, %d failed\n", passed, failed);
    return failed;
}

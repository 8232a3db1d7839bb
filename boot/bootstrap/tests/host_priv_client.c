/* SPDX-License-Identifier: MIT */
/*
 * The name service's privilege test (test/qemu:
 * qemu.bootstrap.host_priv_*): boot module 1 under `bootstrap --task`.
 * Built twice (CMakeLists.txt): as ns_host_priv_client, an ordinary task,
 * and as privileged/default-pager, whose program name gets it a privileged
 * bootstrap port.  "host-priv" must be found by the second only -- a send
 * right to the privileged host port, which host_boot_module_count accepts
 * -- and be BOOTSTRAP_UNKNOWN_SERVICE for the first; nobody may register
 * under that name.  Each check prints one line; the last line is "N
 * passed, N failed" and the exit status the number that failed.
 */
#include <mach.h>
#include <servers/bootstrap.h>
#include <stdio.h>
#include <string.h>

#define HOST_PRIV_SERVICE "host-priv"

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

/* The user references of `name`'s send right (0 if none). */
static mach_port_urefs_t
send_refs(mach_port_t name)
{
    mach_port_urefs_t refs = 0;

    if (mach_port_get_refs(mach_task_self(), name, MACH_PORT_RIGHT_SEND, &refs) != KERN_SUCCESS)
        return (mach_port_urefs_t)-1;
    return refs;
}

/* As the default pager: the privileged host port, which really is one. */
static void
privileged_checks(mach_port_t bootstrap)
{
    mach_port_t host_priv = MACH_PORT_NULL;
    natural_t count = 0;
    kern_return_t kr;

    kr = bootstrap_look_up(bootstrap, HOST_PRIV_SERVICE, &host_priv);
    check("privileged_port_finds_host_priv", kr == BOOTSTRAP_SUCCESS && MACH_PORT_VALID(host_priv));
    kr = host_boot_module_count(host_priv, &count);
    check("host_priv_is_the_privileged_host_port", kr == KERN_SUCCESS && count >= 2);
    if (MACH_PORT_VALID(host_priv))
        (void)mach_port_deallocate(mach_task_self(), host_priv);
}

/* As any other task: no "host-priv", and no way to put one there. */
static void
ordinary_checks(mach_port_t bootstrap)
{
    mach_port_t host_priv = MACH_PORT_NULL, mine = MACH_PORT_NULL;
    kern_return_t kr;

    kr = bootstrap_look_up(bootstrap, HOST_PRIV_SERVICE, &host_priv);
    check("ordinary_port_gets_unknown_service_for_host_priv",
          kr == BOOTSTRAP_UNKNOWN_SERVICE && host_priv == MACH_PORT_NULL);
    (void)mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &mine);
    kr = bootstrap_register(bootstrap, HOST_PRIV_SERVICE, mine);
    check("register_of_host_priv_returns_not_privileged",
          kr == BOOTSTRAP_NOT_PRIVILEGED && send_refs(mine) == 0);
    kr = bootstrap_look_up(bootstrap, HOST_PRIV_SERVICE, &host_priv);
    check("refused_registration_leaves_host_priv_unknown",
          kr == BOOTSTRAP_UNKNOWN_SERVICE && host_priv == MACH_PORT_NULL);
    (void)mach_port_mod_refs(mach_task_self(), mine, MACH_PORT_RIGHT_RECEIVE, -1);
}

int
main(int argc, char **argv)
{
    mach_port_t bootstrap;
    const char *name = argc > 0 ? argv[0] : "";

    if (task_get_bootstrap_port(mach_task_self(), &bootstrap) != KERN_SUCCESS) {
        printf("host_priv_client: no bootstrap port\n");
        return 100;
    }
    if (strrchr(name, '/') != NULL)
        name = strrchr(name, '/') + 1;
    if (strcmp(name, "default-pager") == 0)
        privileged_checks(bootstrap);
    else
        ordinary_checks(bootstrap);
    (void)mach_port_deallocate(mach_task_self(), bootstrap);
    printf("%d passed, %d failed\n", passed, failed);
    return failed;
}

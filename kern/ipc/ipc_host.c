// SPDX-License-Identifier: MIT
//
// The host as a kernel object (ipc_host.h): its two ports, made at boot,
// and the conversions mig's intran/outtran use.  The host is static and
// never goes away, so its conversions take no references on it.

#include <ipc/ipc_host.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_kobject.h>
#include <kern/assert.h>

struct host realhost;

/*
 * Purpose: make the host port and the privileged host port.
 * Conditions: ipc_init, once, after the kernel space exists.
 */
void
ipc_host_init(void)
{
    realhost.host_self = ipc_kobject_alloc_port(&realhost, IKOT_HOST);
    realhost.host_priv_self = ipc_kobject_alloc_port(&realhost, IKOT_HOST_PRIV);
    if (realhost.host_self == NULL || realhost.host_priv_self == NULL)
        panic("ipc_host_init: no memory for the host ports");
}

// The host behind a port of type `kotype`, or NULL.
static struct host *
port_to_host(struct ipc_port *port, unsigned kotype)
{
    struct host *host;

    if (!IP_VALID(port))
        return NULL;
    ipc_port_lock(port);
    host = ipc_kobject_get_locked(port, kotype);
    ipc_port_unlock(port);
    return host;
}

/*
 * Purpose: intran for host_t: the host, from its host port or its
 *     privileged port (which may do everything the host port may).
 * Conditions: no port lock held.
 * Returns: &realhost or NULL.
 */
struct host *
convert_port_to_host(struct ipc_port *port)
{
    struct host *host = port_to_host(port, IKOT_HOST);

    return host != NULL ? host : port_to_host(port, IKOT_HOST_PRIV);
}

/*
 * Purpose: intran for host_priv_t: only the privileged port will do.
 * Returns: &realhost or NULL.
 */
struct host *
convert_port_to_host_priv(struct ipc_port *port)
{
    return port_to_host(port, IKOT_HOST_PRIV);
}

/*
 * Purpose: outtran for host_t: a new send right to the host port.
 * Returns: the port carrying the right, or IP_NULL.
 */
struct ipc_port *
convert_host_to_port(struct host *host)
{
    if (host == NULL || host->host_self == NULL)
        return IP_NULL;
    return ipc_port_make_send(host->host_self);
}

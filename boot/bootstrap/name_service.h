/* SPDX-License-Identifier: MIT */
/*
 * The bootstrap task's name service (name_service.c): what bootstrap.c,
 * the main thread, calls.
 */
#ifndef BOOTSTRAP_NAME_SERVICE_H
#define BOOTSTRAP_NAME_SERVICE_H

#include <mach.h>

/* The reserved name under which a privileged bootstrap port finds the
 * privileged host port (README.md, "Privilege"). */
#define HOST_PRIV_SERVICE "host-priv"

kern_return_t name_service_start(mach_port_t host_priv);
kern_return_t name_service_add_port(mach_port_t port, int privileged);
void name_service_drop_port(mach_port_t port);
kern_return_t name_service_register_local(const char *name, mach_port_t service_port);

#endif

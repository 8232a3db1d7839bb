/* SPDX-License-Identifier: MIT */
/*
 * The default pager's request handlers (pager.c): what main.c sets up
 * before serving.
 */
#ifndef DEFAULT_PAGER_PAGER_H
#define DEFAULT_PAGER_PAGER_H

#include <mach.h>

void pager_init(mach_port_t manager, mach_port_t set);

#endif

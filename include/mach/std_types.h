/* SPDX-License-Identifier: MIT */
/*
 * The C types behind include/mach/std_types.defs: everything a .defs file
 * that imports <mach/std_types.defs> may name.
 */
#ifndef _MACH_STD_TYPES_H_
#define _MACH_STD_TYPES_H_

#include <stdint.h>
#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/port.h>
#include <mach/vm_types.h>
#include <mach/message.h>

/* Rights as carried by messages; the disposition is chosen by the .defs type. */
typedef mach_port_t mach_port_move_receive_t;
typedef mach_port_t mach_port_copy_send_t;
typedef mach_port_t mach_port_make_send_t;
typedef mach_port_t mach_port_move_send_t;
typedef mach_port_t mach_port_make_send_once_t;
typedef mach_port_t mach_port_move_send_once_t;
typedef mach_port_t mach_port_receive_t;
typedef mach_port_t mach_port_send_t;
typedef mach_port_t mach_port_send_once_t;
typedef mach_port_t mach_port_poly_t;

#endif /* _MACH_STD_TYPES_H_ */

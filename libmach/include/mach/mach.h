/* SPDX-License-Identifier: MIT */
/*
 * <mach/mach.h>: everything a Mach program needs, in one include.
 *
 *   messages and mach_msg()       <mach/message.h>
 *   traps                         <mach/mach_traps.h>
 *   mach_task_self() ...          <mach/mach_init.h>
 *   MIG support, error codes      <mach/mig_support.h>, <mach/mig_errors.h>
 *   kernel calls (mig user stubs) <mach/mach_interface.h> (tasks, threads, VM),
 *                                 <mach/mach_port.h>, <mach/mach_host.h>,
 *                                 <mach/quay.h>
 *   the receive loop              mach_msg_server() and friends, below
 *
 * The threads library is <quay/threads.h>.
 */
#ifndef _MACH_MACH_H_
#define _MACH_MACH_H_

#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/port.h>
#include <mach/message.h>
#include <mach/notify.h>
#include <mach/mig_errors.h>
#include <mach/mig_support.h>
#include <mach/mach_types.h>
#include <mach/mach_traps.h>
#include <mach/mach_init.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mach_host.h>
#include <mach/quay.h>

typedef boolean_t (*mach_msg_demux_t)(mach_msg_header_t *request, mach_msg_header_t *reply);

extern mach_msg_return_t mach_msg_server(mach_msg_demux_t demux, mach_msg_size_t max_size,
                                         mach_port_t rcv_name, mach_msg_option_t options);
extern mach_msg_return_t mach_msg_server_timeout(mach_msg_demux_t demux, mach_msg_size_t max_size,
                                                 mach_port_t rcv_name, mach_msg_option_t options,
                                                 mach_msg_timeout_t timeout);
extern mach_msg_return_t mach_msg_server_once(mach_msg_demux_t demux, mach_msg_size_t max_size,
                                              mach_port_t rcv_name, mach_msg_option_t options);

#endif /* _MACH_MACH_H_ */

/* SPDX-License-Identifier: MIT
 * PLACEHOLDER (being written): the x86-64 process control block, a thread's
 * machine state.
 */
#ifndef _MACHINE_PCB_H_
#define _MACHINE_PCB_H_

#include <kern/types.h>

struct pcb {
    uint64_t placeholder;
};

#endif

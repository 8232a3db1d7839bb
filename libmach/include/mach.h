/* SPDX-License-Identifier: MIT */
/* <mach.h>: the classic name of <mach/mach.h>. */
#include <mach/mach.h>

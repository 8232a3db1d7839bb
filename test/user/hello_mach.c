/* SPDX-License-Identifier: MIT */
/*
 * hello_mach: the smallest Mach task.  Prints one line through newlib's
 * printf (libc-port's Mach runtime turns it into the console trap) and exits
 * with status 0.  Built with `quay-cc --mach`; the host test
 * sdk.quay_cc_builds_static_mach_task checks the executable it makes.
 */
#include <stdio.h>

int
main(void)
{
    printf("hello from a Mach task\n");
    return 0;
}

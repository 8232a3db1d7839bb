/* SPDX-License-Identifier: MIT */
/*
 * exit_with_status: prints its argument vector on one line and exits with
 * the status its first argument names (0 without one).  Not a test by
 * itself: the QEMU test qemu.bootstrap.exit_status_reaches_host
 * (test/qemu/CMakeLists.txt) runs it as `exit_with_status 3 two words` and
 * checks that QEMU ends with status 3 and that argv arrived as given.
 */
#include <stdio.h>
#include <stdlib.h>

int
main(int argc, char **argv)
{
    printf("exit_with_status: argc %d:", argc);
    for (int i = 0; i < argc; i++)
        printf(" %s", argv[i]);
    printf("\n");
    return argc > 1 ? atoi(argv[1]) : 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * fault_with_no_handler: makes the CPU fault with no exception port set,
 * so the kernel terminates the task.  `fault_with_no_handler write` writes
 * to address 0x10 (a page fault, vector 14: status 142);
 * `fault_with_no_handler ud2` runs ud2 (invalid opcode, vector 6: status
 * 134).  Not a test by itself: the QEMU tests
 * qemu.bootstrap.unhandled_*_terminates_task (test/qemu/CMakeLists.txt)
 * check the status and the console line naming task, exception and
 * address.  Reaching the end is a failure (status 1).
 */
#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
    const char *how = argc > 1 ? argv[1] : "write";
    int *volatile where = (int *)0x10; /* volatile: the compiler may not see it is bad */

    printf("fault_with_no_handler: %s\n", how);
    if (strcmp(how, "ud2") == 0)
        __asm__ volatile("ud2");
    else
        *(volatile int *)where = 1;
    printf("fault_with_no_handler: still running\n");
    return 1;
}

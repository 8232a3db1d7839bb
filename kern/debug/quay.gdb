# SPDX-License-Identifier: MIT
# gdb script for ./quay debug: the kernel's symbols are loaded by gdb's
# command line; connect to QEMU's gdb stub, stop at kmain and show where.
set pagination off
set confirm off
set architecture i386:x86-64
target remote localhost:1234
hbreak kmain
continue

/* SPDX-License-Identifier: MIT
 * The empty symbol table of the first link pass (see debug/backtrace.c). */
.section .ksyms, "a"
.balign 8
.globl ksyms_count, ksyms_addrs, ksyms_names, ksyms_strtab
ksyms_count: .quad 0
ksyms_addrs:
ksyms_names:
ksyms_strtab: .byte 0

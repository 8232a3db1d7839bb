/* SPDX-License-Identifier: MIT
 *
 * The x86-64 segment layout: GDT slots, selectors and the TSS.  Every CPU has
 * its own GDT and TSS (struct cpu_arch in machine/cpu_arch.h) with this same
 * layout, so a selector means the same thing on every processor.
 *
 * Long mode ignores segment bases and limits except for FS, GS and the TSS;
 * the descriptors below exist for the privilege level (CS, SS) and for
 * `syscall`/`sysret`, which derive their selectors from IA32_STAR instead of
 * reading the GDT (Intel SDM vol. 3A 5.8.8):
 *
 *   syscall: CS = STAR[47:32],        SS = STAR[47:32] + 8
 *   sysretq: CS = STAR[63:48] + 16,   SS = STAR[63:48] + 8   (RPL forced to 3)
 *
 * so the user slots must be "32-bit code, data, 64-bit code" in that order,
 * right after the kernel code and data slots.  Included from assembly too.
 */
#ifndef _MACHINE_SEGMENTS_H_
#define _MACHINE_SEGMENTS_H_

/* GDT slots (each 8 bytes; the TSS descriptor takes two). */
#define GDT_NULL        0
#define GDT_KERNEL_CODE 1 /* 64-bit code, DPL 0 */
#define GDT_KERNEL_DATA 2 /* data, DPL 0 */
#define GDT_USER_CODE32 3 /* 32-bit code, DPL 3 (sysret base; compat mode later) */
#define GDT_USER_DATA   4 /* data, DPL 3 */
#define GDT_USER_CODE   5 /* 64-bit code, DPL 3 */
#define GDT_TSS         6 /* 16-byte 64-bit TSS descriptor: slots 6 and 7 */
#define GDT_NENTRIES    8

#define SEL_RPL_USER 3

/* Selectors: index << 3 | table 0 (GDT) | RPL. */
#define KERNEL_CS (GDT_KERNEL_CODE << 3)                  /* 0x08 */
#define KERNEL_DS (GDT_KERNEL_DATA << 3)                  /* 0x10 */
#define USER_CS32 ((GDT_USER_CODE32 << 3) | SEL_RPL_USER) /* 0x1b */
#define USER_DS   ((GDT_USER_DATA << 3) | SEL_RPL_USER)   /* 0x23 */
#define USER_CS   ((GDT_USER_CODE << 3) | SEL_RPL_USER)   /* 0x2b */
#define TSS_SEL   (GDT_TSS << 3)                          /* 0x30 */

/* IA32_STAR selector fields for `syscall`/`sysret` (see above). */
#define STAR_SYSCALL_CS KERNEL_CS
#define STAR_SYSRET_CS  USER_CS32

/* Interrupt stack table slots (1..7) in every CPU's TSS.  These three
 * exceptions switch to a known-good stack unconditionally, so a kernel stack
 * overflow (a page fault that cannot push its frame becomes a double fault)
 * and NMIs or machine checks that hit at any instruction are still reported. */
#define IST_DOUBLE_FAULT  1
#define IST_NMI           2
#define IST_MACHINE_CHECK 3
#define IST_COUNT         3

#endif

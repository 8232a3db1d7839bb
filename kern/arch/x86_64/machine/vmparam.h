/* SPDX-License-Identifier: MIT
 *
 * The x86-64 kernel address-space layout.  Included from assembly too, so
 * only preprocessor definitions here.
 *
 *   0000000000000000 .. 00007FFFFFFFFFFF   user space (per task)
 *   FFFF800000000000 .. FFFFBFFFFFFFFFFF   direct map of all physical memory
 *   FFFFC00000000000 .. FFFFC07FFFFFFFFF   kernel virtual arena (stacks, kmem)
 *   FFFFFFFF80000000 .. FFFFFFFFFFFFFFFF   kernel image (-mcmodel=kernel)
 */
#ifndef _MACHINE_VMPARAM_H_
#define _MACHINE_VMPARAM_H_

#define PAGE_SHIFT 12
#define PAGE_SIZE  4096

#define KERNEL_VMA           0xFFFFFFFF80000000
#define DIRECT_MAP_BASE      0xFFFF800000000000
#define DIRECT_MAP_PML4_SLOT 256
#define DIRECT_MAP_SIZE      0x0000400000000000 /* 64 TiB */
#define KVA_BASE             0xFFFFC00000000000
#define KVA_SIZE             0x0000008000000000 /* 512 GiB, one PML4 slot */
#define USER_MIN             0x0000000000001000
#define USER_MAX             0x00007FFFFFFFF000

#endif

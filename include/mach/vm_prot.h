/* SPDX-License-Identifier: MIT */
/*
 * vm_prot_t: the access a mapping allows.  Values are the classic Mach
 * ones (CMU Mach, GNU Mach, XNU).  Every region has a current protection,
 * which the hardware enforces, and a maximum protection, which bounds what
 * vm_protect may ever grant.  On x86-64 write access implies read access.
 */
#ifndef _MACH_VM_PROT_H_
#define _MACH_VM_PROT_H_

typedef int vm_prot_t;

#define VM_PROT_NONE    ((vm_prot_t)0x00)
#define VM_PROT_READ    ((vm_prot_t)0x01) /* read permission */
#define VM_PROT_WRITE   ((vm_prot_t)0x02) /* write permission */
#define VM_PROT_EXECUTE ((vm_prot_t)0x04) /* execute permission */

/* What vm_allocate gives: read and write, not execute. */
#define VM_PROT_DEFAULT (VM_PROT_READ | VM_PROT_WRITE)

/* Every permission; the usual maximum protection. */
#define VM_PROT_ALL (VM_PROT_READ | VM_PROT_WRITE | VM_PROT_EXECUTE)

/* In a memory-object lock request: leave the protection as it is. */
#define VM_PROT_NO_CHANGE ((vm_prot_t)0x08)

#endif /* _MACH_VM_PROT_H_ */

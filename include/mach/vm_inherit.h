/* SPDX-License-Identifier: MIT */
/*
 * vm_inherit_t: what a child task created with inherit_memory gets of a
 * region of its parent's address space.  Classic Mach values.
 */
#ifndef _MACH_VM_INHERIT_H_
#define _MACH_VM_INHERIT_H_

typedef unsigned int vm_inherit_t;

#define VM_INHERIT_SHARE ((vm_inherit_t)0) /* parent and child share the memory */
#define VM_INHERIT_COPY  ((vm_inherit_t)1) /* the child gets a (copy-on-write) copy */
#define VM_INHERIT_NONE  ((vm_inherit_t)2) /* the region is absent in the child */

#define VM_INHERIT_DEFAULT    VM_INHERIT_COPY
#define VM_INHERIT_LAST_VALID VM_INHERIT_NONE

#endif /* _MACH_VM_INHERIT_H_ */

/* SPDX-License-Identifier: MIT */
/*
 * Machine-sized integer types of the Mach ABI on x86-64 (LP64).
 * natural_t and integer_t are 32 bits everywhere, so they can name ports and
 * counts in messages; addresses and sizes (vm_offset_t, vm_address_t,
 * vm_size_t, pointer_t) are 64 bits.
 */
#ifndef _MACH_VM_TYPES_H_
#define _MACH_VM_TYPES_H_

#include <stdint.h>

typedef unsigned int natural_t;
typedef int integer_t;

typedef uintptr_t vm_offset_t;
typedef uintptr_t vm_address_t;
typedef uintptr_t vm_size_t;
typedef vm_offset_t pointer_t;

_Static_assert(sizeof(natural_t) == 4, "natural_t is 32 bits");
_Static_assert(sizeof(vm_offset_t) == 8, "vm_offset_t is 64 bits on x86-64");

#endif /* _MACH_VM_TYPES_H_ */

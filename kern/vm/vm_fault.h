/* SPDX-License-Identifier: MIT
 *
 * Page faults on user addresses (vm_fault.c).
 */
#ifndef _VM_VM_FAULT_H_
#define _VM_VM_FAULT_H_

#include <kern/types.h>
#include <mach/kern_return.h>
#include <mach/vm_prot.h>

struct vm_map;

/* Resolves a fault at addr in map for an access of fault_type
 * (VM_PROT_READ, WRITE or EXECUTE): finds the entry, makes the object's
 * page resident (zero-filled the first time) and enters it into the map's
 * pmap with the entry's current protection.  map need not be the current
 * address space.  A fault on a page that is already mapped as allowed
 * changes nothing.  Call with no spinlock held: it takes the map and object
 * locks in turn, and will block for pagers once they exist.  Returns
 *   KERN_SUCCESS: retry the access;
 *   KERN_INVALID_ADDRESS: no entry holds addr;
 *   KERN_PROTECTION_FAILURE: the entry does not allow fault_type;
 *   KERN_RESOURCE_SHORTAGE: no page or page-table page could be had
 *     (the caller may wait for memory and retry, or fail the access).
 * The caller turns the failures into an exception (user mode) or an error
 * return (copyin/copyout). */
kern_return_t vm_fault(struct vm_map *map, vaddr_t addr, vm_prot_t fault_type);

#endif

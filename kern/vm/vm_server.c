// SPDX-License-Identifier: MIT
//
// The VM routines of include/mach/mach.defs (ids 2020..2023) on any task's
// address space, named by the task's port: the intran (convert_port_to_map)
// gives a referenced struct vm_map, or NULL when the port names no user
// task; the stub drops the reference afterwards (map_deallocate).  Each
// routine checks its arguments and calls the internal half in vm_user.c,
// which rounds to pages (Mach's rules) and changes nothing on failure.
//
// vm_read, vm_write, vm_copy, vm_region, vm_statistics and vm_map keep
// their ids (skip in mach.defs) until the VM issue brings them.

#include <kern/rpc_servers.h>
#include <vm/vm_map.h>
#include <vm/vm_user.h>

#include <machServer.h> // generated: the S_* prototypes

/*
 * vm_allocate (2020): zero-filled memory, read/write, anywhere (the lowest
 * free range; *address is ignored on entry) or at *address (truncated to
 * a page).  *address is written on success only.
 * Returns: KERN_SUCCESS; KERN_INVALID_TASK (not a user task's port);
 *     KERN_INVALID_ARGUMENT (the range wraps); KERN_NO_SPACE (no room, or
 *     fixed and overlapping); KERN_RESOURCE_SHORTAGE.
 */
kern_return_t
S_vm_allocate(vm_map_t target_task, vm_address_t *address, vm_size_t size, boolean_t anywhere)
{
    vaddr_t addr = *address;
    kern_return_t kr;

    if (target_task == NULL)
        return KERN_INVALID_TASK;
    kr = vm_allocate_internal(target_task, &addr, size, anywhere != FALSE);
    if (kr == KERN_SUCCESS)
        *address = addr;
    return kr;
}

/*
 * vm_deallocate (2021): unmap whatever is in [address, address + size);
 * holes are fine.
 * Returns: KERN_SUCCESS; KERN_INVALID_TASK; KERN_INVALID_ARGUMENT (wraps,
 *     or outside the user address space); KERN_RESOURCE_SHORTAGE.
 */
kern_return_t
S_vm_deallocate(vm_map_t target_task, vm_address_t address, vm_size_t size)
{
    if (target_task == NULL)
        return KERN_INVALID_TASK;
    return vm_deallocate_internal(target_task, address, size);
}

/*
 * vm_protect (2022): set the current protection (or with set_maximum the
 * maximum, which also lowers the current) of a range.
 * Returns: KERN_SUCCESS; KERN_INVALID_TASK; KERN_INVALID_ARGUMENT (bits
 *     outside VM_PROT_ALL, bad range); KERN_INVALID_ADDRESS (part of the
 *     range is not mapped); KERN_PROTECTION_FAILURE (above the maximum).
 */
kern_return_t
S_vm_protect(vm_map_t target_task, vm_address_t address, vm_size_t size, boolean_t set_maximum,
             vm_prot_t new_protection)
{
    if (target_task == NULL)
        return KERN_INVALID_TASK;
    if ((new_protection & ~VM_PROT_ALL) != 0)
        return KERN_INVALID_ARGUMENT;
    return vm_protect_internal(target_task, address, size, set_maximum != FALSE, new_protection);
}

/*
 * vm_inherit (2023): how a range is passed to a child task (SHARE, COPY,
 * NONE).  Recorded now; used when task_create inherits memory (VM issue).
 * Returns: KERN_SUCCESS; KERN_INVALID_TASK; KERN_INVALID_ARGUMENT (unknown
 *     inheritance, bad range); KERN_INVALID_ADDRESS.
 */
kern_return_t
S_vm_inherit(vm_map_t target_task, vm_address_t address, vm_size_t size,
             vm_inherit_t new_inheritance)
{
    if (target_task == NULL)
        return KERN_INVALID_TASK;
    if (new_inheritance > VM_INHERIT_LAST_VALID) // vm_inherit_t is unsigned
        return KERN_INVALID_ARGUMENT;
    return vm_inherit_internal(target_task, address, size, new_inheritance);
}

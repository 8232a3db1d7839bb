// SPDX-License-Identifier: MIT
//
// The VM routines of include/mach/mach.defs (ids 2020..2029) on any task's
// address space, named by the task's port: the intran (convert_port_to_map)
// gives a referenced struct vm_map, or NULL when the port names no user
// task; the stub drops the reference afterwards (map_deallocate).  Each
// routine checks its arguments and calls the internal half in vm_user.c,
// which rounds to pages or checks alignment (Mach's rules) and changes
// nothing on failure.  A server holding a child's task port manages the
// child's memory with the same calls as its own.

#include <kern/rpc_servers.h>
#include <ipc/ipc_ool.h>
#include <vm/memory_object.h>
#include <vm/vm_map.h>
#include <vm/vm_object.h>
#include <vm/vm_user.h>
#include <ipc/ipc_port.h>
#include <mach/mig_support.h>
#include <machine/vmparam.h>

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

/*
 * vm_read (2024): a copy of [address, address + size) of the task's
 * memory, out of line; the reply gives it to the caller, who owns it
 * (vm_deallocate).  *data and *dataCnt are written on success only.
 * Returns: KERN_SUCCESS; KERN_INVALID_TASK; KERN_INVALID_ARGUMENT (address
 *     or size not page aligned); KERN_INVALID_ADDRESS (wraps, outside the
 *     user address space, or not all mapped); KERN_PROTECTION_FAILURE (not
 *     readable); KERN_RESOURCE_SHORTAGE (no memory, or above
 *     IPC_OOL_MAX_SIZE).
 */
kern_return_t
S_vm_read(vm_map_t target_task, vm_address_t address, vm_size_t size, vm_offset_t *data,
          mach_msg_type_number_t *dataCnt)
{
    void *copy;
    kern_return_t kr;

    if (target_task == NULL)
        return KERN_INVALID_TASK;
    kr = vm_read_internal(target_task, address, size, &copy);
    if (kr != KERN_SUCCESS)
        return kr;
    *data = (vm_offset_t)copy;
    *dataCnt = (mach_msg_type_number_t)size; // <= IPC_OOL_MAX_SIZE
    return KERN_SUCCESS;
}

/*
 * vm_write (2025): write the caller's data into the task's memory at
 * address.  The data is always out of line, so on success this routine
 * owns its kernel copy and frees it (docs/mig.md, "Ownership"); on failure
 * the stub does.
 * Returns: KERN_SUCCESS; KERN_INVALID_TASK; KERN_INVALID_ARGUMENT (address
 *     or the data's size not page aligned); KERN_INVALID_ADDRESS;
 *     KERN_PROTECTION_FAILURE (not writable).
 */
kern_return_t
S_vm_write(vm_map_t target_task, vm_address_t address, vm_offset_t data,
           mach_msg_type_number_t dataCnt)
{
    kern_return_t kr;

    if (target_task == NULL)
        return KERN_INVALID_TASK;
    kr = vm_write_internal(target_task, address, (const void *)data, dataCnt);
    if (kr == KERN_SUCCESS && dataCnt != 0)
        mig_kernel_deallocate((void *)data, dataCnt);
    return kr;
}

/*
 * vm_copy (2026): copy [source_address, + size) to dest_address within the
 * task (overlap allowed).  A physical copy for now (vm_user.c).
 * Returns: KERN_SUCCESS; KERN_INVALID_TASK; KERN_INVALID_ARGUMENT (an
 *     address or size not page aligned); KERN_INVALID_ADDRESS;
 *     KERN_PROTECTION_FAILURE (source not readable or destination not
 *     writable); KERN_RESOURCE_SHORTAGE.
 */
kern_return_t
S_vm_copy(vm_map_t target_task, vm_address_t source_address, vm_size_t size,
          vm_address_t dest_address)
{
    if (target_task == NULL)
        return KERN_INVALID_TASK;
    return vm_copy_internal(target_task, source_address, size, dest_address);
}

/*
 * vm_region (2027): the region holding *address, or the next one above
 * it.  Quay reports each map entry as a region (adjacent entries are not
 * merged yet).  object_name is always MACH_PORT_NULL: anonymous memory has
 * no name port (memory objects arrive with the pager issue).  Out
 * arguments are written on success only.
 * Returns: KERN_SUCCESS; KERN_INVALID_TASK; KERN_NO_SPACE (no region at or
 *     above *address).
 */
kern_return_t
S_vm_region(vm_map_t target_task, vm_address_t *address, vm_size_t *size, vm_prot_t *protection,
            vm_prot_t *max_protection, vm_inherit_t *inheritance, boolean_t *is_shared,
            memory_object_name_t *object_name, vm_offset_t *offset)
{
    struct vm_region_info info;
    vaddr_t addr = *address;
    kern_return_t kr;

    if (target_task == NULL)
        return KERN_INVALID_TASK;
    kr = vm_region_internal(target_task, &addr, &info);
    if (kr != KERN_SUCCESS)
        return kr;
    *address = addr;
    *size = info.vri_size;
    *protection = info.vri_protection;
    *max_protection = info.vri_max_protection;
    *inheritance = info.vri_inheritance;
    *is_shared = info.vri_is_shared ? TRUE : FALSE;
    *object_name = NULL;
    *offset = info.vri_offset;
    return KERN_SUCCESS;
}

/*
 * vm_statistics (2028): the system's page counts (struct vm_statistics);
 * target_task only has to be a task.
 * Returns: KERN_SUCCESS; KERN_INVALID_TASK.
 */
kern_return_t
S_vm_statistics(vm_map_t target_task, vm_statistics_data_t *vm_stats)
{
    if (target_task == NULL)
        return KERN_INVALID_TASK;
    vm_statistics_internal(vm_stats);
    return KERN_SUCCESS;
}

/*
 * vm_map (2029): map size bytes of memory_object at offset into the task,
 * anywhere (aligned to mask + 1, *address a hint) or at *address.
 * memory_object MACH_PORT_NULL maps new zero-filled memory (offset and
 * copy are then ignored, as in Mach).  A send right to a memory object (a
 * pager's port) maps that object: the kernel's one vm_object for the port,
 * created and announced with memory_object_init on first use (README.md,
 * "Pagers"); with copy, the task gets a copy-on-write view of it.  The
 * memory_object right stays the caller's (the kernel takes its own).
 * *address is written on success only.
 * Returns: KERN_SUCCESS; KERN_INVALID_TASK; KERN_INVALID_ARGUMENT (size 0,
 *     bad mask, protection or inheritance, cur_protection not within
 *     max_protection, a fixed range that wraps, an unaligned offset, a
 *     memory object that is a kernel port); KERN_NO_SPACE (fixed and
 *     overlapping or outside the address space; anywhere and no room);
 *     KERN_RESOURCE_SHORTAGE.
 */
kern_return_t
S_vm_map(vm_map_t target_task, vm_address_t *address, vm_size_t size, vm_address_t mask,
         boolean_t anywhere, mach_port_t memory_object, vm_offset_t offset, boolean_t copy,
         vm_prot_t cur_protection, vm_prot_t max_protection, vm_inherit_t inheritance)
{
    vaddr_t addr = *address;
    struct vm_object *obj;
    kern_return_t kr;

    if (target_task == NULL)
        return KERN_INVALID_TASK;
    if ((cur_protection & ~VM_PROT_ALL) != 0 || (max_protection & ~VM_PROT_ALL) != 0 ||
        inheritance > VM_INHERIT_LAST_VALID)
        return KERN_INVALID_ARGUMENT;
    if (memory_object == IP_DEAD)
        return KERN_INVALID_ARGUMENT;
    if (memory_object == IP_NULL) {
        kr = vm_map_anonymous_internal(target_task, &addr, size, mask, anywhere != FALSE,
                                       cur_protection, max_protection, inheritance);
    } else {
        if (size == 0 || offset % PAGE_SIZE != 0) // before a pager hears of us
            return KERN_INVALID_ARGUMENT;
        kr = memory_object_lookup(memory_object, &obj);
        if (kr != KERN_SUCCESS)
            return kr;
        kr = vm_map_object_internal(target_task, &addr, size, mask, anywhere != FALSE, obj, offset,
                                    copy != FALSE, cur_protection, max_protection, inheritance);
        if (kr != KERN_SUCCESS)
            vm_object_deallocate(obj); // perhaps the last: the pager hears terminate
    }
    if (kr != KERN_SUCCESS)
        return kr;
    // Ours on success (docs/mig.md, "Ownership"); the object holds its own.
    if (memory_object != IP_NULL)
        ipc_port_release_send(memory_object);
    *address = addr;
    return KERN_SUCCESS;
}

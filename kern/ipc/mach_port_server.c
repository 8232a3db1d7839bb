// SPDX-License-Identifier: MIT
//
// The kernel server of include/mach/mach_port.defs (ids 3200..3217): thin
// glue between mig's KernelServer stubs (mach_portServer.c, generated) and
// the mach_port_* calls of mach_port.c, which already have GNU Mach's
// kernel signatures.  The intran gives each routine the target task's IPC
// space, referenced, or NULL (the mach_port_* calls answer
// KERN_INVALID_TASK); the stub drops the reference afterwards.
//
// The glue exists for three reasons: the kernel's internal names are the
// plain mach_port_* (the stubs call S_*); the arrays that mach_port_names
// and mach_port_get_set_status kalloc must become out-of-line reply data
// (an ipc_ool copy the reply takes over) and be freed exactly once, here;
// and request_notification's
// polymorphic right must be a send-once right.
//
// Ownership (docs/mig.md): rights received (insert_right's poly,
// request_notification's notify) belong to the call only when it succeeds;
// mach_port.c consumes them on success only, and on failure the stub
// destroys the request.

#include <kern/rpc_servers.h>
#include <kern/assert.h>
#include <kern/kalloc.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_ool.h>
#include <ipc/ipc_port.h>
#include <ipc/mach_port.h>
#include <lib/string.h>

#include <mach_portServer.h> // generated: the S_* prototypes, mach_port_server()

#define MACH_PORT_ID_BASE  3200
#define MACH_PORT_ID_COUNT 18 // mach_port_allocate .. get_receive_status

/*
 * The arrays of mach_port_names and mach_port_get_set_status become reply
 * data in two steps, so that a routine with two arrays fails before it
 * changes anything.  They always travel out of line, as in GNU Mach: the
 * caller gets new memory it must vm_deallocate, whatever buffer it passed
 * (GNU's documented contract, on which Mach programs rely).
 * reply_array_room: an exact ipc_ool copy for `count` elements, which the
 * reply will take over (a kernel server's out-of-line memory is always
 * given away); NULL for none.
 */
static kern_return_t
reply_array_room(mach_msg_type_number_t count, uint32_t **oolp)
{
    *oolp = NULL;
    if (count == 0)
        return KERN_SUCCESS;
    *oolp = ipc_ool_alloc((size_t)count * sizeof(uint32_t));
    return *oolp != NULL ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

/*
 * reply_array_commit: copy `count` elements of `array` (kalloc'ed by
 * mach_port.c, NULL when empty; freed here, the one place it is) into
 * `ool` and hand that to the stub as the out array.  Cannot fail.
 */
static void
reply_array_commit(uint32_t *array, mach_msg_type_number_t count, uint32_t *ool, uint32_t **outp,
                   mach_msg_type_number_t *countp)
{
    size_t size = (size_t)count * sizeof(*array);

    if (ool != NULL) {
        memcpy(ool, array, size);
        *outp = ool;
    }
    kfree(array, size);
    *countp = count;
}

kern_return_t
S_mach_port_allocate(ipc_space_t task, mach_port_right_t right, mach_port_name_t *name)
{
    return mach_port_allocate(task, right, name);
}

kern_return_t
S_mach_port_allocate_name(ipc_space_t task, mach_port_right_t right, mach_port_name_t name)
{
    return mach_port_allocate_name(task, right, name);
}

kern_return_t
S_mach_port_destroy(ipc_space_t task, mach_port_name_t name)
{
    return mach_port_destroy(task, name);
}

kern_return_t
S_mach_port_deallocate(ipc_space_t task, mach_port_name_t name)
{
    return mach_port_deallocate(task, name);
}

kern_return_t
S_mach_port_mod_refs(ipc_space_t task, mach_port_name_t name, mach_port_right_t right,
                     mach_port_delta_t delta)
{
    return mach_port_mod_refs(task, name, right, delta);
}

kern_return_t
S_mach_port_get_refs(ipc_space_t task, mach_port_name_t name, mach_port_right_t right,
                     mach_port_urefs_t *refs)
{
    return mach_port_get_refs(task, name, right, refs);
}

/* Consumes poly on success only (mach_port.c). */
kern_return_t
S_mach_port_insert_right(ipc_space_t task, mach_port_name_t name, mach_port_t poly,
                         mach_msg_type_name_t polyPoly)
{
    return mach_port_insert_right(task, name, poly, polyPoly);
}

/* *poly is the extracted right, of received type *polyPoly, which the
 * reply moves to the caller. */
kern_return_t
S_mach_port_extract_right(ipc_space_t task, mach_port_name_t name, mach_msg_type_name_t msgt_name,
                          mach_port_t *poly, mach_msg_type_name_t *polyPoly)
{
    return mach_port_extract_right(task, name, msgt_name, poly, polyPoly);
}

kern_return_t
S_mach_port_move_member(ipc_space_t task, mach_port_name_t member, mach_port_name_t after)
{
    return mach_port_move_member(task, member, after);
}

/*
 * mach_port_get_set_status (3209): the names of a set's members, out of
 * line.
 * Returns: as mach_port_get_set_status (mach_port.c).
 */
kern_return_t
S_mach_port_get_set_status(ipc_space_t task, mach_port_name_t name, mach_port_name_array_t *members,
                           mach_msg_type_number_t *membersCnt)
{
    mach_port_name_t *array;
    mach_msg_type_number_t count;
    uint32_t *ool;
    kern_return_t kr = mach_port_get_set_status(task, name, &array, &count);

    if (kr != KERN_SUCCESS)
        return kr;
    if ((kr = reply_array_room(count, &ool)) != KERN_SUCCESS) {
        kfree(array, (size_t)count * sizeof(*array));
        return kr;
    }
    reply_array_commit(array, count, ool, members, membersCnt);
    return KERN_SUCCESS;
}

/*
 * mach_port_request_notification (3210): `notify` must be a send-once
 * right (or MACH_PORT_NULL, to cancel); the one it replaces comes back in
 * *previous.
 * Returns: as mach_port_request_notification (mach_port.c);
 *     KERN_INVALID_CAPABILITY (notify is another kind of right).
 */
kern_return_t
S_mach_port_request_notification(ipc_space_t task, mach_port_name_t name, mach_msg_id_t id,
                                 mach_port_mscount_t sync, mach_port_t notify,
                                 mach_msg_type_name_t notifyPoly, mach_port_t *previous)
{
    if (IP_VALID(notify) && notifyPoly != MACH_MSG_TYPE_PORT_SEND_ONCE)
        return KERN_INVALID_CAPABILITY;
    return mach_port_request_notification(task, name, id, sync, notify, previous);
}

/*
 * mach_port_names (3211): every name with its type, out of line.
 * Returns: as mach_port_names (mach_port.c).
 */
kern_return_t
S_mach_port_names(ipc_space_t task, mach_port_name_array_t *names, mach_msg_type_number_t *namesCnt,
                  mach_port_type_array_t *types, mach_msg_type_number_t *typesCnt)
{
    mach_port_name_t *name_array;
    mach_port_type_t *type_array;
    mach_msg_type_number_t n, t;
    uint32_t *name_ool = NULL, *type_ool = NULL;
    kern_return_t kr = mach_port_names(task, &name_array, &n, &type_array, &t);

    if (kr != KERN_SUCCESS)
        return kr;
    kr = reply_array_room(n, &name_ool);
    if (kr == KERN_SUCCESS && (kr = reply_array_room(t, &type_ool)) != KERN_SUCCESS)
        ipc_ool_discard(name_ool, (size_t)n * sizeof(*name_ool));
    if (kr != KERN_SUCCESS) {
        kfree(name_array, (size_t)n * sizeof(*name_array));
        kfree(type_array, (size_t)t * sizeof(*type_array));
        return kr;
    }
    reply_array_commit(name_array, n, name_ool, names, namesCnt);
    reply_array_commit(type_array, t, type_ool, types, typesCnt);
    return KERN_SUCCESS;
}

kern_return_t
S_mach_port_type(ipc_space_t task, mach_port_name_t name, mach_port_type_t *ptype)
{
    return mach_port_type(task, name, ptype);
}

kern_return_t
S_mach_port_rename(ipc_space_t task, mach_port_name_t old_name, mach_port_name_t new_name)
{
    return mach_port_rename(task, old_name, new_name);
}

kern_return_t
S_mach_port_set_qlimit(ipc_space_t task, mach_port_name_t name, mach_port_msgcount_t qlimit)
{
    return mach_port_set_qlimit(task, name, qlimit);
}

kern_return_t
S_mach_port_set_mscount(ipc_space_t task, mach_port_name_t name, mach_port_mscount_t mscount)
{
    return mach_port_set_mscount(task, name, mscount);
}

kern_return_t
S_mach_port_set_seqno(ipc_space_t task, mach_port_name_t name, mach_port_seqno_t seqno)
{
    return mach_port_set_seqno(task, name, seqno);
}

kern_return_t
S_mach_port_get_receive_status(ipc_space_t task, mach_port_name_t name, mach_port_status_t *status)
{
    return mach_port_get_receive_status(task, name, status);
}

/*
 * Registers mach_port_server() with the kobject layer.  kmain, once, after
 * ipc_init().  Panics if the ids are taken (a build error in disguise).
 */
void
mach_port_server_init(void)
{
    if (ipc_kobject_register_server(mach_port_server, MACH_PORT_ID_BASE, MACH_PORT_ID_COUNT,
                                    mach_port_max_reply_size) != KERN_SUCCESS)
        panic("mach_port_server_init: ids %d..%d are taken", MACH_PORT_ID_BASE,
              MACH_PORT_ID_BASE + MACH_PORT_ID_COUNT - 1);
}

/* SPDX-License-Identifier: MIT
 *
 * External memory objects (memory_object.c): vm_objects whose pages a
 * user-level pager supplies, by the protocol of include/mach/
 * memory_object.defs (kernel -> pager) and memory_object_control.defs
 * (pager -> kernel, on the object's control port).  README.md, "Pagers".
 */
#ifndef _VM_MEMORY_OBJECT_H_
#define _VM_MEMORY_OBJECT_H_

#include <kern/types.h>
#include <kern/mach_port_kernel.h>
#include <mach/kern_return.h>
#include <mach/vm_prot.h>
#include <mach/vm_types.h>
#include <vm/vm_object.h>

/* The C type mig's intran of memory_object_control_t gives the server. */
typedef struct vm_object *vm_object_t;

/* The size an external object is given: the pager decides what exists,
 * so the object is as large as any window into it may be. */
#define MEMORY_OBJECT_SIZE ((vm_size_t)1 << 47)

/* Registers the memory_object_control server (ids 2300..); kmain, once. */
void memory_object_server_init(void);

/* The object for the memory object `pager` (a port the caller holds a
 * send right to; it keeps it): the existing one if the port is already
 * mapped somewhere, else a new one with a control port, announced to the
 * pager with memory_object_init.  *objp gets one reference.  Call with no
 * spinlock held.  Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (pager is
 * a kernel object's port: the kernel does not page from itself);
 * KERN_RESOURCE_SHORTAGE. */
kern_return_t memory_object_lookup(struct ipc_port *pager, struct vm_object **objp);

/* Makes the page at `offset` of the external object obj resident (or
 * finds it in error): waits for a request already sent, or sends
 * memory_object_data_request for `access` and waits for the answer.  The
 * wait is interruptible (thread_abort, termination).  The caller holds a
 * reference to obj and no spinlock, and looks the page up again on
 * success.  Returns KERN_SUCCESS (look again); KERN_MEMORY_ERROR (the
 * pager answered data_error, or the request could not be sent);
 * KERN_MEMORY_FAILURE (the pager's receive right died: nobody will
 * answer); KERN_ABORTED (the wait was interrupted); KERN_RESOURCE_SHORTAGE. */
kern_return_t memory_object_page_in(struct vm_object *obj, vm_offset_t offset, vm_prot_t access);

/* The page at `offset` of the external object obj withholds `access`
 * (the pager's lock value): sends memory_object_data_unlock (once for all
 * the faults that need it) and waits for the lock_request that lowers the
 * lock.  Same conditions and returns as memory_object_page_in. */
kern_return_t memory_object_unlock(struct vm_object *obj, vm_offset_t offset, vm_prot_t access);

/* The last reference to the external object obj is gone: it leaves the
 * list, the pager gets memory_object_terminate (if it got init), the
 * control port dies and the send right to the pager is released.  Called
 * by vm_object_deallocate with no spinlock held. */
void memory_object_object_terminate(struct vm_object *obj);

/* mig's intran for the control port: its object, referenced, or NULL when
 * the port is no control port or its object is being terminated. */
struct vm_object *convert_port_to_vm_object(struct ipc_port *port);

/* Gives the internal object obj a memory object of the default pager
 * `manager` (a send right the caller keeps): a new port whose receive
 * right goes to the pager with memory_object_create, a control port, a
 * dead-name request.  From then on obj's pages can be returned to that
 * port and asked for again.  Called by the pageout daemon, the only one
 * that does this, with no lock held.  Returns KERN_SUCCESS;
 * KERN_RESOURCE_SHORTAGE (nothing changed); KERN_FAILURE (the message
 * could not go: obj's pager is dead and obj does not page out). */
kern_return_t memory_object_create_default(struct vm_object *obj, struct ipc_port *manager);

/* Sends the data of page p, resident at `offset` of obj (which has a pager)
 * and marked VM_PAGE_CLEANING by the caller, to the pager: a copy of it in
 * `frame` (a free page the caller allocated; consumed, whatever the
 * result), which becomes a new one-page object sent out of line, with
 * memory_object_data_initialize when `initialize` (the default pager has
 * never had the page) or memory_object_data_return with dirty and
 * kernel_copy.  No lock held.  Returns KERN_SUCCESS;
 * KERN_RESOURCE_SHORTAGE; KERN_FAILURE (the pager's port is dead).  On
 * failure nothing reached the pager: p still holds the only copy. */
kern_return_t memory_object_return_page(struct vm_object *obj, vm_offset_t offset,
                                        struct vm_page *p, struct vm_page *frame, bool dirty,
                                        bool kernel_copy, bool initialize);

/* Counters for tests: objects with a pager alive, data requests sent,
 * pages pagers supplied. */
size_t memory_object_count(void);
size_t memory_object_requests(void);
size_t memory_object_pageins(void);
/* Anonymous objects that have a default-pager object (host_ipc_stats). */
size_t memory_object_default_count(void);

#endif

// SPDX-License-Identifier: MIT
//
// Device objects and their ports.  device_register() gives a driver's
// struct device an IKOT_DEVICE port and puts it on the registry list,
// which is written only at boot (device_init, one CPU, no task yet) and
// read without a lock afterwards.  The conversions that mig's device.defs
// stubs use -- convert_port_to_device (intran: a referenced device, or
// NULL), convert_device_to_port (outtran: a new send right),
// device_deallocate (destructor) and convert_port_to_device_master --
// are in ds_routines.c with the routines they serve.

#include <device/device_object.h>
#include <kern/assert.h>
#include <ipc/ipc_kobject.h>
#include <lib/string.h>

struct device_master device_master;

static struct device *device_list; // written at boot only

/*
 * Creates the device master port (IKOT_MASTER_DEVICE), which the bootstrap
 * task is given.  Boot, once, after ipc_init().  Panics without memory:
 * nothing could run without it.
 */
void
device_master_init(void)
{
    device_master.dm_port = ipc_kobject_alloc_port(&device_master, IKOT_MASTER_DEVICE);
    if (device_master.dm_port == NULL)
        panic("device_master_init: no memory for the device master port");
}

/*
 * Makes `dev` (d_name, d_ops, d_softc filled) reachable by device_open:
 * gives it its port and the registry's reference.  Boot only, after
 * ipc_init(), before any task runs.
 * Returns false (nothing registered) when the port cannot be allocated or
 * the name is taken.
 */
bool
device_register(struct device *dev)
{
    struct device *old = device_lookup(dev->d_name);

    if (old != NULL) {
        device_deallocate(old);
        return false;
    }
    spinlock_init(&dev->d_lock, "device", LOCK_RANK_DEVICE);
    dev->d_open_count = 0;
    dev->d_refs = 1; // the registry's, never dropped
    dev->d_port = ipc_kobject_alloc_port(dev, IKOT_DEVICE);
    if (dev->d_port == NULL)
        return false;
    dev->d_next = device_list;
    device_list = dev;
    return true;
}

/*
 * The registered device called `name`, with a reference for the caller
 * (device_deallocate), or NULL.  Any context; no lock (the list is
 * read-only after boot).
 */
struct device *
device_lookup(const char *name)
{
    for (struct device *dev = device_list; dev != NULL; dev = dev->d_next) {
        if (strcmp(dev->d_name, name) == 0) {
            device_reference(dev);
            return dev;
        }
    }
    return NULL;
}

/* Takes a reference on `dev`.  Any context. */
void
device_reference(struct device *dev)
{
    __atomic_add_fetch(&dev->d_refs, 1, __ATOMIC_RELAXED);
}

/*
 * Drops a reference (NULL is accepted: mig's destructor runs after a
 * failed intran).  The registry's reference is never dropped, so a device
 * never reaches zero; the assertion catches an unbalanced release.
 */
void
device_deallocate(struct device *dev)
{
    uint32_t left;

    if (dev == NULL)
        return;
    left = __atomic_sub_fetch(&dev->d_refs, 1, __ATOMIC_ACQ_REL);
    assert(left > 0);
}

/* Counts one more open (device_open).  Takes d_lock. */
void
device_open_one(struct device *dev)
{
    spin_lock(&dev->d_lock);
    dev->d_open_count++;
    spin_unlock(&dev->d_lock);
}

/*
 * Counts one close (device_close).  Takes d_lock.
 * Returns false, changing nothing, when the device is not open.
 */
bool
device_close_one(struct device *dev)
{
    bool was_open;

    spin_lock(&dev->d_lock);
    was_open = dev->d_open_count > 0;
    if (was_open)
        dev->d_open_count--;
    spin_unlock(&dev->d_lock);
    return was_open;
}

/* The current open count (a snapshot).  Takes d_lock. */
unsigned
device_open_count(struct device *dev)
{
    unsigned n;

    spin_lock(&dev->d_lock);
    n = dev->d_open_count;
    spin_unlock(&dev->d_lock);
    return n;
}

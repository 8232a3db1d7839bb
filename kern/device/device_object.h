/* SPDX-License-Identifier: MIT
 *
 * Device objects (device_object.c): what a device port (IKOT_DEVICE) stands
 * for.  A driver fills a struct device with its name and operations and
 * registers it at boot; device_open finds it by name.  Devices are never
 * removed (no hot-plug yet), so each lives for ever, but references are
 * counted all the same: every user -- the registration, each request in
 * progress (mig's intran/destructor pair) -- holds one, so a future
 * removal only has to wait for them.
 */
#ifndef _DEVICE_DEVICE_OBJECT_H_
#define _DEVICE_DEVICE_OBJECT_H_

#include <kern/types.h>
#include <kern/spinlock.h>
#include <device/device_types.h>

struct device;
struct ipc_port;

/*
 * A driver's operations.  buf is kernel memory of `size` bytes; the
 * operation checks recnum and size for its device (D_INVALID_RECNUM,
 * D_INVALID_SIZE ...) before it changes anything, and on D_SUCCESS sets
 * *done to the bytes moved.  get_status writes at most *count integers
 * and sets *count.  A NULL operation answers D_INVALID_OPERATION.  Called
 * with no lock held; they may block.
 */
struct device_ops {
    io_return_t (*dop_read)(struct device *dev, dev_mode_t mode, recnum_t recnum, void *buf,
                            size_t size, size_t *done);
    io_return_t (*dop_write)(struct device *dev, dev_mode_t mode, recnum_t recnum, const void *buf,
                             size_t size, size_t *done);
    io_return_t (*dop_get_status)(struct device *dev, dev_flavor_t flavor, int *status,
                                  unsigned *count);
};

struct device {
    const char *d_name;             /* "hd0", "console": the device_open name */
    const struct device_ops *d_ops; /* set before registration, then constant */
    void *d_softc;                  /* the driver's own state */
    size_t d_record_size;           /* bytes per record (disk: 512); 0: a stream */
    struct ipc_port *d_port;        /* IKOT_DEVICE port; set at registration, constant */
    uint32_t d_refs;                /* atomic: device_reference / device_deallocate */
    struct device *d_next;          /* registry list; written at boot only */

    struct spinlock d_lock;
    /* Protected by d_lock. */
    unsigned d_open_count; /* device_open minus device_close */
};

/* The port of the device master (IKOT_MASTER_DEVICE); its object is
 * `device_master`, which has no state: holding a send right is the
 * privilege. */
struct device_master {
    struct ipc_port *dm_port;
};
extern struct device_master device_master;

void device_master_init(void);
bool device_register(struct device *dev);
struct device *device_lookup(const char *name);
void device_reference(struct device *dev);
void device_deallocate(struct device *dev);
void device_open_one(struct device *dev);
bool device_close_one(struct device *dev);
unsigned device_open_count(struct device *dev);

#endif

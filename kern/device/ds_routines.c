// SPDX-License-Identifier: MIT
//
// The device server: the kernel's implementation of the Mach device
// interface (include/device/device.defs, ids 2800..2811), served inside the
// sender's mach_msg like every kernel object (ipc_kobject_server).
//
// device_open on the device master port finds a registered device by name
// ("hd0": the first virtio-blk disk, virtio_blk.c; "console": the kernel
// console, below) and returns a send right to its port.  The other calls go
// to the device port: the stubs' intran (convert_port_to_device) gives the
// routine a referenced struct device, the destructor drops it after the
// call.  Each routine checks its arguments (sizes, then the driver's
// recnum and size checks) before anything happens, so a bad request
// changes nothing; on failure the stub frees what the request carried
// (docs/mig.md, "Ownership").
//
// Data: device_read returns a kernel buffer from ipc_ool_alloc, which the
// reply takes over and the client receives out of line; device_write gets
// the client's out-of-line data as a kernel buffer (freed here on
// success).  The _inband variants carry at most IO_INBAND_MAX bytes in the
// message.  One transfer is at most DS_IO_MAX bytes.

#include <device/ds_routines.h>
#include <device/device_object.h>
#include <device/pci.h>
#include <device/virtio_blk.h>
#include <kern/assert.h>
#include <kern/console.h>
#include <kern/kalloc.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_ool.h>
#include <ipc/ipc_port.h>
#include <lib/string.h>
#include <mach/mig_errors.h>
#include <mach/mig_support.h>

#include <deviceServer.h> // generated: the S_* prototypes, device_server()

#define DEVICE_ID_BASE  2800
#define DEVICE_ID_COUNT 12 // device_open .. device_get_status

#define DS_IO_MAX (1024 * 1024) // bytes per device_read / device_write

/* ---- conversions (mig's intran, outtran, destructor) ---- */

/*
 * intran of device_t: the device `port` stands for, referenced, or NULL
 * (not a live device port).  Takes and drops the port lock.
 */
struct device *
convert_port_to_device(struct ipc_port *port)
{
    struct device *dev = NULL;

    if (!IP_VALID(port))
        return NULL;
    ipc_port_lock(port);
    dev = ipc_kobject_get_locked(port, IKOT_DEVICE);
    if (dev != NULL)
        device_reference(dev);
    ipc_port_unlock(port);
    return dev;
}

/* outtran of device_t: a new send right to the device's port (IP_NULL for
 * NULL).  Consumes the caller's device reference, as convert_task_to_port
 * does. */
struct ipc_port *
convert_device_to_port(struct device *dev)
{
    struct ipc_port *port;

    if (dev == NULL)
        return IP_NULL;
    port = ipc_port_make_send(dev->d_port);
    device_deallocate(dev);
    return port;
}

/* intran of device_master_t: &device_master for the master port, else NULL. */
struct device_master *
convert_port_to_device_master(struct ipc_port *port)
{
    struct device_master *dm;

    if (!IP_VALID(port))
        return NULL;
    ipc_port_lock(port);
    dm = ipc_kobject_get_locked(port, IKOT_MASTER_DEVICE);
    ipc_port_unlock(port);
    return dm;
}

/* The device master port (the bootstrap task gets a send right). */
struct ipc_port *
device_master_port(void)
{
    return device_master.dm_port;
}

/* ---- the console device ---- */

// Writes to the kernel console; recnum is ignored.
static io_return_t
console_dev_write(struct device *dev, dev_mode_t mode, recnum_t recnum, const void *buf,
                  size_t size, size_t *done)
{
    (void)dev, (void)mode, (void)recnum;
    kprintf("%.*s", (int)size, (const char *)buf);
    *done = size;
    return D_SUCCESS;
}

// No console input yet (the serial receive interrupt is a later issue):
// every read would wait for ever, so it answers D_WOULD_BLOCK at once.
static io_return_t
console_dev_read(struct device *dev, dev_mode_t mode, recnum_t recnum, void *buf, size_t size,
                 size_t *done)
{
    (void)dev, (void)mode, (void)recnum, (void)buf, (void)size, (void)done;
    return D_WOULD_BLOCK;
}

static const struct device_ops console_dev_ops = {
    .dop_read = console_dev_read,
    .dop_write = console_dev_write,
};

static struct device console_dev = {.d_name = "console", .d_ops = &console_dev_ops};

/* ---- the routines ---- */

/*
 * device_open (2800): a send right to the device called `name`.  The mode
 * is accepted as GNU Mach does (D_READ | D_WRITE | D_NODELAY); every open
 * counts until its device_close.
 * Returns: D_SUCCESS; D_NO_SUCH_DEVICE (unknown name); D_INVALID_OPERATION
 *     (unknown mode bits); KERN_INVALID_ARGUMENT (the request came on a
 *     port that is not the device master port: the intran gave NULL).
 */
kern_return_t
S_device_open(device_master_t master_port, dev_mode_t mode, dev_name_t name, device_t *device)
{
    struct device *dev;

    if (master_port == NULL)
        return KERN_INVALID_ARGUMENT;
    if ((mode & ~(dev_mode_t)(D_READ | D_WRITE | D_NODELAY)) != 0)
        return D_INVALID_OPERATION;
    dev = device_lookup(name);
    if (dev == NULL)
        return D_NO_SUCH_DEVICE;
    device_open_one(dev);
    *device = dev; // the outtran turns our reference into the reply's send right
    return D_SUCCESS;
}

/*
 * device_close (2801): ends one open.  The caller's send right stays (it
 * deallocates it itself, as with GNU Mach).
 * Returns: D_SUCCESS; D_NO_SUCH_DEVICE (not a device port);
 *     D_INVALID_OPERATION (the device is not open).
 */
kern_return_t
S_device_close(device_t device)
{
    if (device == NULL)
        return D_NO_SUCH_DEVICE;
    return device_close_one(device) ? D_SUCCESS : D_INVALID_OPERATION;
}

// The size checks every transfer shares: at least one byte, at most max.
static io_return_t
ds_check_size(long long size, long long max)
{
    return size <= 0 || size > max ? D_INVALID_SIZE : D_SUCCESS;
}

/*
 * device_write (2802): writes the caller's out-of-line data at record
 * `recnum`.  On D_SUCCESS this routine owns the kernel copy of the data
 * and frees it; on failure the stub does.
 * Returns: D_SUCCESS with *bytes_written; D_NO_SUCH_DEVICE (not a device
 *     port); D_INVALID_SIZE (empty, over DS_IO_MAX, or not whole records);
 *     D_INVALID_RECNUM; D_INVALID_OPERATION; D_READ_ONLY; D_IO_ERROR;
 *     D_DEVICE_DOWN; KERN_ABORTED (the wait for the disk was interrupted:
 *     thread_abort, termination; nothing was written).
 */
kern_return_t
S_device_write(device_t device, dev_mode_t mode, recnum_t recnum, io_buf_ptr_t data,
               mach_msg_type_number_t dataCnt, io_buf_len_t *bytes_written)
{
    size_t done = 0;
    io_return_t rc;

    if (device == NULL)
        return D_NO_SUCH_DEVICE;
    if ((rc = ds_check_size(dataCnt, DS_IO_MAX)) != D_SUCCESS)
        return rc;
    if (device->d_ops->dop_write == NULL)
        return D_INVALID_OPERATION;
    rc = device->d_ops->dop_write(device, mode, recnum, data, dataCnt, &done);
    if (rc != D_SUCCESS)
        return rc;
    mig_kernel_deallocate(data, dataCnt);
    *bytes_written = (io_buf_len_t)done;
    return D_SUCCESS;
}

/*
 * device_write_inband (2803): the same with at most IO_INBAND_MAX bytes
 * carried in the message (borrowed: the stub frees the request).
 * Returns: as device_write.
 */
kern_return_t
S_device_write_inband(device_t device, dev_mode_t mode, recnum_t recnum, io_buf_ptr_inband_t data,
                      mach_msg_type_number_t dataCnt, io_buf_len_t *bytes_written)
{
    size_t done = 0;
    io_return_t rc;

    if (device == NULL)
        return D_NO_SUCH_DEVICE;
    if ((rc = ds_check_size(dataCnt, IO_INBAND_MAX)) != D_SUCCESS)
        return rc;
    if (device->d_ops->dop_write == NULL)
        return D_INVALID_OPERATION;
    rc = device->d_ops->dop_write(device, mode, recnum, data, dataCnt, &done);
    if (rc == D_SUCCESS)
        *bytes_written = (io_buf_len_t)done;
    return rc;
}

/*
 * device_read (2804): reads bytes_wanted bytes at record `recnum` into a
 * new kernel buffer that the reply carries out of line (the client
 * vm_deallocates it).
 * Returns: D_SUCCESS with *data, *dataCnt; D_NO_SUCH_DEVICE; D_INVALID_SIZE;
 *     D_INVALID_RECNUM; D_INVALID_OPERATION; D_WOULD_BLOCK (console);
 *     D_NO_MEMORY; D_IO_ERROR; D_DEVICE_DOWN; KERN_ABORTED (as device_write).
 */
kern_return_t
S_device_read(device_t device, dev_mode_t mode, recnum_t recnum, io_buf_len_t bytes_wanted,
              io_buf_ptr_t *data, mach_msg_type_number_t *dataCnt)
{
    size_t done = 0;
    io_return_t rc;
    char *buf;

    if (device == NULL)
        return D_NO_SUCH_DEVICE;
    if ((rc = ds_check_size(bytes_wanted, DS_IO_MAX)) != D_SUCCESS)
        return rc;
    if (device->d_ops->dop_read == NULL)
        return D_INVALID_OPERATION;
    buf = ipc_ool_alloc((vm_size_t)bytes_wanted);
    if (buf == NULL)
        return D_NO_MEMORY;
    rc = device->d_ops->dop_read(device, mode, recnum, buf, (size_t)bytes_wanted, &done);
    if (rc == D_SUCCESS && done != (size_t)bytes_wanted)
        rc = D_IO_ERROR; // the reply must carry the whole buffer; drivers read all or fail
    if (rc != D_SUCCESS) {
        ipc_ool_discard(buf, (vm_size_t)bytes_wanted);
        return rc;
    }
    *data = buf;
    *dataCnt = (mach_msg_type_number_t)done;
    return D_SUCCESS;
}

/*
 * device_read_inband (2805): the same with at most IO_INBAND_MAX bytes in
 * the reply.  On a device whose records are larger than that (a disk) the
 * read returns the first bytes_wanted bytes of record `recnum`: the record
 * is read whole into a kernel buffer and its start copied.
 * Returns: as device_read (D_INVALID_SIZE above IO_INBAND_MAX).
 */
kern_return_t
S_device_read_inband(device_t device, dev_mode_t mode, recnum_t recnum, io_buf_len_t bytes_wanted,
                     io_buf_ptr_inband_t data, mach_msg_type_number_t *dataCnt)
{
    size_t rsize, done = 0;
    io_return_t rc;
    char *record;

    if (device == NULL)
        return D_NO_SUCH_DEVICE;
    if ((rc = ds_check_size(bytes_wanted, IO_INBAND_MAX)) != D_SUCCESS)
        return rc;
    if (device->d_ops->dop_read == NULL)
        return D_INVALID_OPERATION;
    rsize = device->d_record_size;
    if (rsize <= (size_t)bytes_wanted) {
        rc = device->d_ops->dop_read(device, mode, recnum, data, (size_t)bytes_wanted, &done);
    } else {
        if ((record = kalloc(rsize)) == NULL)
            return D_NO_MEMORY;
        rc = device->d_ops->dop_read(device, mode, recnum, record, rsize, &done);
        done = (size_t)bytes_wanted;
        if (rc == D_SUCCESS)
            memcpy(data, record, done);
        kfree(record, rsize);
    }
    if (rc == D_SUCCESS)
        *dataCnt = (mach_msg_type_number_t)done;
    return rc;
}

/*
 * device_set_status (2810): no device has settable state yet.
 * Returns: D_NO_SUCH_DEVICE; D_INVALID_OPERATION.
 */
kern_return_t
S_device_set_status(device_t device, dev_flavor_t flavor, dev_status_t status,
                    mach_msg_type_number_t statusCnt)
{
    (void)flavor, (void)status, (void)statusCnt;
    return device == NULL ? D_NO_SUCH_DEVICE : D_INVALID_OPERATION;
}

/*
 * device_get_status (2811): the flavor's integers; *statusCnt is the
 * caller's room and becomes the count filled.
 * Returns: D_SUCCESS; D_NO_SUCH_DEVICE; D_INVALID_OPERATION (flavor the
 *     device does not know); D_INVALID_SIZE (room too small).
 */
kern_return_t
S_device_get_status(device_t device, dev_flavor_t flavor, dev_status_t status,
                    mach_msg_type_number_t *statusCnt)
{
    unsigned count = *statusCnt;
    io_return_t rc;

    if (device == NULL)
        return D_NO_SUCH_DEVICE;
    if (device->d_ops->dop_get_status == NULL)
        return D_INVALID_OPERATION;
    rc = device->d_ops->dop_get_status(device, flavor, status, &count);
    if (rc == D_SUCCESS)
        *statusCnt = count;
    return rc;
}

/*
 * Finds the devices and starts serving device.defs: the device master
 * port, the PCI scan, the virtio-blk disk (hd0, when there is one), the
 * console device.  kmain, once, after ipc_init() and before any task.
 * Panics only when the kernel cannot register its own server (a build
 * error) or has no memory at boot.
 */
void
device_init(void)
{
    device_master_init();
    pci_scan();
    if (!virtio_blk_probe())
        kprintf("device: no virtio-blk disk (hd0)\n");
    if (!device_register(&console_dev))
        panic("device_init: cannot register the console device");
    if (ipc_kobject_register_server(device_server, DEVICE_ID_BASE, DEVICE_ID_COUNT,
                                    device_max_reply_size) != KERN_SUCCESS)
        panic("device_init: ids %d..%d are taken", DEVICE_ID_BASE,
              DEVICE_ID_BASE + DEVICE_ID_COUNT - 1);
}

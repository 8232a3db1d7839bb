/* SPDX-License-Identifier: MIT */
/*
 * The C types and codes of the Mach device interface (device.defs), with
 * GNU Mach's names and values, so programs written for GNU Mach's
 * <device/device_types.h> carry over.
 *
 * In user space a device and the device master are send rights
 * (mach_port_t).  The kernel (MACH_KERNEL) sees pointers to its objects
 * instead: mig's intran turns the port of a request into them
 * (kern/device/ds_routines.c).
 */
#ifndef _DEVICE_DEVICE_TYPES_H_
#define _DEVICE_DEVICE_TYPES_H_

#include <mach/std_types.h>

#ifdef MACH_KERNEL
struct device;
struct device_master;
typedef struct device *device_t;
typedef struct device_master *device_master_t;
#else
typedef mach_port_t device_t;
typedef mach_port_t device_master_t;
#endif

/* Open modes (device_open) and I/O modes (device_read/_write). */
typedef unsigned int dev_mode_t;
#define D_READ    0x1 /* open for reading */
#define D_WRITE   0x2 /* open for writing */
#define D_NODELAY 0x4 /* do not wait for the device to come up */
#define D_NOWAIT  0x8 /* I/O: do not wait for input (console) */

/* A device's name: at most DEV_NAME_MAX - 1 characters and a NUL. */
#define DEV_NAME_MAX 128
typedef char dev_name_t[DEV_NAME_MAX];

/* Record number: for a disk, the 512-byte sector where a transfer starts. */
typedef unsigned int recnum_t;

/* Data of device_read / device_write: out of line (io_buf_ptr_t) or, up to
 * IO_INBAND_MAX bytes, in the message (io_buf_ptr_inband_t). */
typedef char *io_buf_ptr_t;
#define IO_INBAND_MAX 128
typedef char io_buf_ptr_inband_t[IO_INBAND_MAX];
typedef int io_buf_len_t;

/* device_get_status / device_set_status: a flavor and up to
 * DEV_STATUS_MAX integers whose layout the flavor fixes. */
typedef unsigned int dev_flavor_t;
#define DEV_STATUS_MAX 1024
typedef int *dev_status_t;
typedef int dev_status_data_t[DEV_STATUS_MAX];

/* DEV_GET_SIZE: the device's size in bytes and its record size. */
#define DEV_GET_SIZE             0
#define DEV_GET_SIZE_DEVICE_SIZE 0 /* bytes (low 32 bits of a 64-bit count, see below) */
#define DEV_GET_SIZE_RECORD_SIZE 1 /* bytes per record */
#define DEV_GET_SIZE_COUNT       2
/* Quay extension: the size as two words, so disks past 2 GiB can say it. */
#define DEV_GET_SIZE_DEVICE_SIZE_HIGH 2
#define DEV_GET_SIZE_COUNT_LARGE      3

/* Return codes (io_return_t, GNU Mach's values). */
typedef int io_return_t;
#define D_SUCCESS           0
#define D_IO_ERROR          2500 /* the hardware reported an error */
#define D_WOULD_BLOCK       2501 /* D_NOWAIT and no data yet */
#define D_NO_SUCH_DEVICE    2502 /* no device of that name */
#define D_ALREADY_OPEN      2503 /* exclusive-use device in use */
#define D_DEVICE_DOWN       2504 /* the device is not working */
#define D_INVALID_OPERATION 2505 /* the device does not do that */
#define D_INVALID_RECNUM    2506 /* record number out of range */
#define D_INVALID_SIZE      2507 /* size not a whole number of records, or too large */
#define D_NO_MEMORY         2508 /* the kernel is out of memory */
#define D_READ_ONLY         2509 /* the device cannot be written */

#endif

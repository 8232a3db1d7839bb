/* SPDX-License-Identifier: MIT
 *
 * Helpers of the device tests (device_*.c): the device master port from
 * the bootstrap task's name service, opening devices, and the disk's test
 * pattern.  Each device test runs with a 4 MiB virtio-blk disk ("hd0")
 * that test/qemu/run-qemu.py --disk writes afresh for every run: record i
 * (512 bytes) starts with i as a 64-bit little-endian number, and byte
 * j >= 8 of it is (i * 7 + j) & 0xff.
 */
#ifndef UT_DEVICE_H
#define UT_DEVICE_H

#include "utest.h"
#include <device/device.h>
#include <device/device_types.h>
#include <servers/bootstrap.h>
#include <stdint.h>

#define UT_RECORD       512
#define UT_DISK_BYTES   (4 * 1024 * 1024)
#define UT_DISK_RECORDS (UT_DISK_BYTES / UT_RECORD)

/* A send right to the device master port ("device-master"). */
static inline mach_port_t
ut_device_master(void)
{
    mach_port_t bootstrap = MACH_PORT_NULL, master = MACH_PORT_NULL;

    UT_KR(task_get_bootstrap_port(mach_task_self(), &bootstrap), KERN_SUCCESS);
    UT_KR(bootstrap_look_up(bootstrap, "device-master", &master), BOOTSTRAP_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), bootstrap), KERN_SUCCESS);
    UT_ASSERT(MACH_PORT_VALID(master));
    return master;
}

/* A send right to the device NAME, opened for reading and writing. */
static inline mach_port_t
ut_device_open(mach_port_t master, const char *name)
{
    mach_port_t dev = MACH_PORT_NULL;

    UT_KR(device_open(master, D_READ | D_WRITE, (char *)name, &dev), D_SUCCESS);
    UT_ASSERT(MACH_PORT_VALID(dev));
    return dev;
}

/* Closes DEV and drops our send right to it. */
static inline void
ut_device_close(mach_port_t dev)
{
    UT_KR(device_close(dev), D_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), dev), KERN_SUCCESS);
}

/* Byte J of record I of the pattern the harness writes. */
static inline uint8_t
ut_pattern_byte(uint32_t i, uint32_t j)
{
    return j < 8 ? (uint8_t)((uint64_t)i >> (8 * j)) : (uint8_t)((i * 7 + j) & 0xff);
}

/* Byte J of record I of a pattern the tests write (distinct per SEED). */
static inline uint8_t
ut_written_byte(uint32_t seed, uint32_t i, uint32_t j)
{
    return (uint8_t)(seed * 131 + i * 31 + j * 7 + (j >> 8));
}

/* Fills BUF with N records from FIRST of the written pattern SEED. */
static inline void
ut_fill_written(uint8_t *buf, uint32_t seed, uint32_t first, uint32_t n)
{
    for (uint32_t r = 0; r < n; r++)
        for (uint32_t j = 0; j < UT_RECORD; j++)
            buf[r * UT_RECORD + j] = ut_written_byte(seed, first + r, j);
}

/* Fails unless BUF holds N records from FIRST of the harness's pattern
 * (SEED 0) or of written pattern SEED (> 0). */
static inline void
ut_expect_records(const uint8_t *buf, uint32_t seed, uint32_t first, uint32_t n)
{
    for (uint32_t r = 0; r < n; r++) {
        for (uint32_t j = 0; j < UT_RECORD; j++) {
            uint8_t want =
                seed == 0 ? ut_pattern_byte(first + r, j) : ut_written_byte(seed, first + r, j);
            if (buf[r * UT_RECORD + j] != want)
                UT_FAIL("record %u byte %u is %#x, expected %#x (seed %u)", first + r, j,
                        buf[r * UT_RECORD + j], want, seed);
        }
    }
}

/* Reads N records at FIRST out of line and checks them against SEED. */
static inline void
ut_read_expect(mach_port_t disk, uint32_t seed, uint32_t first, uint32_t n)
{
    io_buf_ptr_t data = NULL;
    mach_msg_type_number_t count = 0;

    UT_KR(device_read(disk, 0, first, (io_buf_len_t)(n * UT_RECORD), &data, &count), D_SUCCESS);
    UT_EQ(count, n * UT_RECORD);
    ut_expect_records((const uint8_t *)data, seed, first, n);
    UT_KR(vm_deallocate(mach_task_self(), (vm_address_t)data, count), KERN_SUCCESS);
}

/* Writes N records at FIRST with pattern SEED, out of line. */
static inline void
ut_write_records(mach_port_t disk, uint32_t seed, uint32_t first, uint32_t n)
{
    uint8_t *buf = malloc(n * UT_RECORD);
    io_buf_len_t written = -1;

    UT_ASSERT(buf != NULL);
    ut_fill_written(buf, seed, first, n);
    UT_KR(device_write(disk, 0, first, (io_buf_ptr_t)buf, n * UT_RECORD, &written), D_SUCCESS);
    UT_EQ(written, n * UT_RECORD);
    free(buf);
}

#endif

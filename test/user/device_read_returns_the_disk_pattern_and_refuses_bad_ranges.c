// SPDX-License-Identifier: MIT
//
// device_read of hd0 returns the records the harness wrote: one record,
// 16 records (8 KiB), 256 KiB across the driver's 64 KiB bounce buffer,
// the last record; device_read_inband returns the start of a record (at
// most 128 bytes).  Bad requests: a record number past the end is
// D_INVALID_RECNUM; a transfer running past the end, of 0 bytes, of a
// size that is not whole records, or of more than 1 MiB is D_INVALID_SIZE
// -- and none of them leaves data or rights behind.
#include "ut_device.h"

int
main(void)
{
    io_buf_ptr_inband_t in;
    mach_msg_type_number_t count;
    io_buf_ptr_t data;
    mach_port_t master, disk;

    ut_stats_begin();
    master = ut_device_master();
    disk = ut_device_open(master, "hd0");

    ut_read_expect(disk, 0, 0, 1);
    ut_read_expect(disk, 0, 3, 16);
    ut_read_expect(disk, 0, 1000, 512);
    ut_read_expect(disk, 0, UT_DISK_RECORDS - 1, 1);

    count = IO_INBAND_MAX; // the room in `in` (mig's classic out-array contract)
    memset(in, 0, sizeof(in));
    UT_KR(device_read_inband(disk, 0, 4242, IO_INBAND_MAX, in, &count), D_SUCCESS);
    UT_EQ(count, IO_INBAND_MAX);
    for (uint32_t j = 0; j < IO_INBAND_MAX; j++)
        UT_EQ((uint8_t)in[j], ut_pattern_byte(4242, j));
    count = IO_INBAND_MAX;
    UT_KR(device_read_inband(disk, 0, 7, 8, in, &count), D_SUCCESS);
    UT_EQ(count, 8);
    UT_EQ(*(uint64_t *)in, 7);

    data = NULL;
    count = 0;
    UT_KR(device_read(disk, 0, UT_DISK_RECORDS, UT_RECORD, &data, &count), D_INVALID_RECNUM);
    UT_KR(device_read(disk, 0, 0xffffffffu, UT_RECORD, &data, &count), D_INVALID_RECNUM);
    UT_KR(device_read(disk, 0, UT_DISK_RECORDS - 1, 2 * UT_RECORD, &data, &count), D_INVALID_SIZE);
    UT_KR(device_read(disk, 0, 0, 0, &data, &count), D_INVALID_SIZE);
    UT_KR(device_read(disk, 0, 0, -UT_RECORD, &data, &count), D_INVALID_SIZE);
    UT_KR(device_read(disk, 0, 0, 700, &data, &count), D_INVALID_SIZE);
    UT_KR(device_read(disk, 0, 0, 2 * 1024 * 1024, &data, &count), D_INVALID_SIZE);
    UT_KR(device_read_inband(disk, 0, UT_DISK_RECORDS, 16, in, &count), D_INVALID_RECNUM);
    UT_KR(device_read_inband(disk, 0, 0, IO_INBAND_MAX + 1, in, &count), D_INVALID_SIZE);
    UT_EQ(data, NULL);

    ut_device_close(disk);
    UT_KR(mach_port_deallocate(mach_task_self(), master), KERN_SUCCESS);
    ut_stats_expect_baseline();
    return ut_pass();
}

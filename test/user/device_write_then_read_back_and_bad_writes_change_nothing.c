// SPDX-License-Identifier: MIT
//
// device_write of hd0 lands: one record, 16 records, 200 KiB across the
// driver's bounce buffer, the last record -- each read back intact, with
// the records around it untouched.  Bad writes change nothing on the disk:
// past the end (D_INVALID_RECNUM), running past the end, not whole records
// (D_INVALID_SIZE), inband (at most 128 bytes: never a whole record,
// D_INVALID_SIZE), and data at an unmapped address, which mach_msg itself
// refuses (MACH_SEND_INVALID_MEMORY) before the kernel sees the request.
#include "ut_device.h"

int
main(void)
{
    static uint8_t buf[2 * UT_RECORD];
    io_buf_len_t written = -1;
    vm_address_t hole = 0;
    mach_port_t master, disk;

    ut_stats_begin();
    master = ut_device_master();
    disk = ut_device_open(master, "hd0");

    ut_write_records(disk, 1, 100, 1);
    ut_read_expect(disk, 1, 100, 1);
    ut_read_expect(disk, 0, 99, 1);
    ut_read_expect(disk, 0, 101, 1);
    ut_write_records(disk, 2, 200, 16);
    ut_read_expect(disk, 2, 200, 16);
    ut_read_expect(disk, 0, 216, 1);
    ut_write_records(disk, 3, 2000, 400);
    ut_read_expect(disk, 3, 2000, 400);
    ut_write_records(disk, 4, UT_DISK_RECORDS - 1, 1);
    ut_read_expect(disk, 4, UT_DISK_RECORDS - 1, 1);

    ut_fill_written(buf, 9, 300, 2);
    UT_KR(device_write(disk, 0, UT_DISK_RECORDS, (io_buf_ptr_t)buf, UT_RECORD, &written),
          D_INVALID_RECNUM);
    UT_KR(device_write(disk, 0, UT_DISK_RECORDS - 1, (io_buf_ptr_t)buf, 2 * UT_RECORD, &written),
          D_INVALID_SIZE);
    UT_KR(device_write(disk, 0, 300, (io_buf_ptr_t)buf, 700, &written), D_INVALID_SIZE);
    UT_KR(device_write_inband(disk, 0, 300, (char *)buf, IO_INBAND_MAX, &written), D_INVALID_SIZE);
    UT_EQ(written, -1);

    // An address with nothing mapped: allocate a page, give it back.
    UT_KR(vm_allocate(mach_task_self(), &hole, 4096, TRUE), KERN_SUCCESS);
    UT_KR(vm_deallocate(mach_task_self(), hole, 4096), KERN_SUCCESS);
    UT_KR(device_write(disk, 0, 300, (io_buf_ptr_t)hole, UT_RECORD, &written),
          MACH_SEND_INVALID_MEMORY);
    UT_KR(device_write(disk, 0, 300, (io_buf_ptr_t)hole, 4096, &written), MACH_SEND_INVALID_MEMORY);
    UT_EQ(written, -1);
    ut_read_expect(disk, 0, 300, 2);
    ut_read_expect(disk, 4, UT_DISK_RECORDS - 1, 1);

    ut_device_close(disk);
    UT_KR(mach_port_deallocate(mach_task_self(), master), KERN_SUCCESS);
    ut_stats_expect_baseline();
    return ut_pass();
}

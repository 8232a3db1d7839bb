// SPDX-License-Identifier: MIT
//
// device_open on the device master port (from the bootstrap task's name
// service as "device-master") gives send rights to "hd0" and "console";
// an unknown name is D_NO_SUCH_DEVICE, a port that is not the master
// (our task port) KERN_INVALID_ARGUMENT, unknown mode bits
// D_INVALID_OPERATION, each without a right for the caller.  A second
// open gives the same port (one more user reference); device_close ends
// one open, a close without an open is D_INVALID_OPERATION.
// device_get_status(DEV_GET_SIZE) reports 4 MiB of 512-byte records.
#include "ut_device.h"

int
main(void)
{
    mach_port_t master, disk, disk2, console, none = MACH_PORT_NULL;
    dev_status_data_t status;
    mach_msg_type_number_t count;

    ut_stats_begin();
    master = ut_device_master();
    disk = ut_device_open(master, "hd0");
    console = ut_device_open(master, "console");
    UT_ASSERT(disk != console);

    UT_KR(device_open(master, D_READ, "no-such-device", &none), D_NO_SUCH_DEVICE);
    UT_EQ(none, MACH_PORT_NULL);
    UT_KR(device_open(mach_task_self(), D_READ, "hd0", &none), KERN_INVALID_ARGUMENT);
    UT_KR(device_open(master, 0x100, "hd0", &none), D_INVALID_OPERATION);
    UT_EQ(none, MACH_PORT_NULL);

    disk2 = ut_device_open(master, "hd0");
    UT_EQ(disk2, disk);
    UT_EQ(ut_refs(disk, MACH_PORT_RIGHT_SEND), 2);

    count = DEV_STATUS_MAX;
    UT_KR(device_get_status(disk, DEV_GET_SIZE, status, &count), D_SUCCESS);
    UT_EQ(count, DEV_GET_SIZE_COUNT_LARGE);
    UT_EQ(status[DEV_GET_SIZE_DEVICE_SIZE], UT_DISK_BYTES);
    UT_EQ(status[DEV_GET_SIZE_RECORD_SIZE], UT_RECORD);
    UT_EQ(status[DEV_GET_SIZE_DEVICE_SIZE_HIGH], 0);
    count = DEV_GET_SIZE_COUNT;
    UT_KR(device_get_status(disk, DEV_GET_SIZE, status, &count), D_SUCCESS);
    UT_EQ(count, DEV_GET_SIZE_COUNT);
    UT_KR(device_get_status(disk, 77, status, &count), D_INVALID_OPERATION);
    UT_KR(device_get_status(console, DEV_GET_SIZE, status, &count), D_INVALID_OPERATION);
    UT_KR(device_set_status(disk, DEV_GET_SIZE, status, 2), D_INVALID_OPERATION);
    // A device call on the master port, which is not a device.
    UT_KR(device_get_status(master, DEV_GET_SIZE, status, &count), D_NO_SUCH_DEVICE);

    ut_device_close(disk2);
    ut_device_close(disk);
    UT_KR(device_close(console), D_SUCCESS);
    UT_KR(device_close(console), D_INVALID_OPERATION); // not open any more
    UT_KR(mach_port_deallocate(mach_task_self(), console), KERN_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), master), KERN_SUCCESS);
    ut_stats_expect_baseline();
    return ut_pass();
}

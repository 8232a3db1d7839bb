// SPDX-License-Identifier: MIT
//
// The "console" device writes to the kernel console: device_write_inband
// and device_write (out of line) return D_SUCCESS and the whole count (the
// harness log shows the lines).  Console input does not exist yet, so
// device_read_inband answers D_WOULD_BLOCK at once, and device_read too.
// Sizes: an empty write or one over 128 bytes inband is D_INVALID_SIZE.
#include "ut_device.h"

int
main(void)
{
    static const char inband[] = "device test: console write inband\n";
    static const char ool[] = "device test: console write out of line\n";
    io_buf_ptr_inband_t in, line;
    mach_msg_type_number_t count = 0;
    io_buf_ptr_t data = NULL;
    io_buf_len_t written = -1;
    char big[IO_INBAND_MAX + 1];
    mach_port_t master, console;

    ut_stats_begin();
    master = ut_device_master();
    console = ut_device_open(master, "console");

    memcpy(line, inband, sizeof(inband));
    UT_KR(device_write_inband(console, 0, 0, line, sizeof(inband) - 1, &written), D_SUCCESS);
    UT_EQ(written, sizeof(inband) - 1);
    written = -1;
    UT_KR(device_write(console, 0, 0, (io_buf_ptr_t)ool, sizeof(ool) - 1, &written), D_SUCCESS);
    UT_EQ(written, sizeof(ool) - 1);

    UT_KR(device_write_inband(console, 0, 0, line, 0, &written), D_INVALID_SIZE);
    memset(big, 'x', sizeof(big));
    // The stub itself refuses more than 128 bytes inband (a bounded array).
    UT_ASSERT(device_write_inband(console, 0, 0, big, sizeof(big), &written) != D_SUCCESS);

    UT_KR(device_read_inband(console, D_NOWAIT, 0, 16, in, &count), D_WOULD_BLOCK);
    UT_KR(device_read(console, 0, 0, 16, &data, &count), D_WOULD_BLOCK);

    ut_device_close(console);
    UT_KR(mach_port_deallocate(mach_task_self(), master), KERN_SUCCESS);
    ut_stats_expect_baseline();
    return ut_pass();
}

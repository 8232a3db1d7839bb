// SPDX-License-Identifier: MIT
//
// Two tasks drive hd0 at once: this one and a child made with
// task_create(inherit_memory = TRUE) that runs this program's code, as a
// fork would (its address space is a copy of ours, its port space empty
// but for the device master port we insert under the name we use).  The
// child opens hd0 itself.  Each task owns a 64-record range: every round
// it writes the range with a new pattern (in pieces of 1..16 records),
// reads it back and checks it, while the other does the same.  The driver
// serializes the requests (one in flight, handed to waiting threads in
// arrival order, kern/device/virtio_blk.c); no request may see or damage
// another task's data.  Between its rounds the child sends bad requests
// -- a record past the end (D_INVALID_RECNUM), a transfer running past the
// end or not of whole records (D_INVALID_SIZE), data at an unmapped
// address (MACH_SEND_INVALID_MEMORY) -- aimed at records nobody writes,
// which must still hold the harness's pattern at the end.  Once both are
// done, each task checks the other's range and the untouched records.
//
// A page both tasks share (VM_INHERIT_SHARE) holds the counts that show
// that the tasks really took turns in the driver (ut_device.h, "Taking
// turns").  No yield is needed for the other task to get its turn: the
// driver hands the disk to the thread that has waited longest
// (kern/device/virtio_blk.c), so a task that calls again at once queues
// behind the other's waiting call, and the two tasks' requests alternate.
// (Before that hand-off, one task could make all its calls while the
// other's first call slept.)
// The child reports through its exit status (task_wait); its failures
// print their own FAIL line on the console.
#include "ut_child.h"
#include "ut_device.h"

#define RANGE  UT_TURNS_RANGE // records per task
#define GAP    UT_TURNS_GAP   // untouched records around and between the ranges
#define ROUNDS 32
#define PAGE   4096

enum { PARENT, CHILD };

// The page both tasks see (VM_INHERIT_SHARE); each writes only its own slots.
struct shared {
    uint32_t ready;        // the child has hd0 open
    uint32_t done[2];      // task t has written its range for the last time
    struct ut_turns turns; // the device calls and rounds of each task
};

static volatile struct shared *sh;
static mach_port_t master;
static struct ut_child child; // ours only: the child's copy is never started

static uint32_t
seed_of(int t, int round)
{
    return 10 + (uint32_t)t * ROUNDS + (uint32_t)round;
}

// Waits (up to 30 s, the other task may have many rounds left) for *FLAG;
// in this task, fails at once if the child ends first.
static void
wait_flag(volatile uint32_t *flag)
{
    for (int i = 0; i < 15000 && __atomic_load_n(flag, __ATOMIC_SEQ_CST) == 0; i++) {
        if (child.wait_kr != -1)
            UT_FAIL("the child ended early: task_wait %#x, status %d", child.wait_kr, child.status);
        ut_sleep_ms(2);
    }
    UT_ASSERT(*flag != 0);
}

// One round of task T: its range written in pieces with a new pattern,
// then read back whole.
static void
round_io(mach_port_t disk, int t, int round)
{
    ut_turns_round(&sh->turns, t, disk, 1 + (uint32_t)((t * 5 + round) % 16), seed_of(t, round));
}

// The child's bad requests, aimed at records nobody writes: the gap
// between the ranges and the disk's last record.  Each fails with its
// code before the disk is touched, and leaves its out-parameters alone.
static void
bad_requests(mach_port_t disk, vm_address_t hole)
{
    static uint8_t buf[2 * UT_RECORD];
    uint32_t gap = ut_turns_first(CHILD) - GAP;
    io_buf_len_t written = -1;
    io_buf_ptr_t data = NULL;
    mach_msg_type_number_t count = 0;

    ut_fill_written(buf, 99, gap, 2);
    ut_turns_call_begin(&sh->turns, CHILD);
    UT_KR(device_write(disk, 0, UT_DISK_RECORDS, (io_buf_ptr_t)buf, UT_RECORD, &written),
          D_INVALID_RECNUM);
    UT_KR(device_write(disk, 0, UT_DISK_RECORDS - 1, (io_buf_ptr_t)buf, 2 * UT_RECORD, &written),
          D_INVALID_SIZE);
    UT_KR(device_write(disk, 0, gap, (io_buf_ptr_t)buf, 700, &written), D_INVALID_SIZE);
    UT_KR(device_write_inband(disk, 0, gap, (char *)buf, IO_INBAND_MAX, &written), D_INVALID_SIZE);
    UT_KR(device_write(disk, 0, gap, (io_buf_ptr_t)hole, UT_RECORD, &written),
          MACH_SEND_INVALID_MEMORY);
    UT_KR(device_write(disk, 0, gap, (io_buf_ptr_t)hole, PAGE, &written), MACH_SEND_INVALID_MEMORY);
    UT_KR(device_read(disk, 0, UT_DISK_RECORDS, UT_RECORD, &data, &count), D_INVALID_RECNUM);
    UT_KR(device_read(disk, 0, UT_DISK_RECORDS - 1, 2 * UT_RECORD, &data, &count), D_INVALID_SIZE);
    UT_KR(device_read(disk, 0, gap, 700, &data, &count), D_INVALID_SIZE);
    ut_turns_call_end(&sh->turns, CHILD);
    UT_EQ(written, -1);
    UT_EQ(data, NULL);
}

// The final check, once both tasks are done: both ranges hold their last
// patterns, the records around them the harness's.
static void
check_disk(mach_port_t disk)
{
    for (int t = PARENT; t <= CHILD; t++)
        ut_turns_expect_range(disk, t, seed_of(t, ROUNDS - 1));
    ut_read_expect(disk, 0, ut_turns_first(CHILD) + RANGE, GAP);
    ut_read_expect(disk, 0, UT_DISK_RECORDS - 1, 1);
}

// Runs in the child task, on (its copy of) child_stack, with %fs at (its
// copy of) our first thread's TCB.  The copy holds our names, which mean
// nothing in the child's space: first forget our reply port and ask for
// the child's own task port, as a fork's child does; then libc and the
// MIG stubs work.  The device master port is under our name: we put it there.
static __attribute__((noreturn)) void
child_main(uint64_t unused)
{
    vm_address_t hole = 0;
    mach_port_t disk;

    (void)unused;
    ut_child_enter();

    disk = ut_device_open(master, "hd0");
    // An address with nothing mapped: allocate a page, give it back.
    UT_KR(vm_allocate(mach_task_self(), &hole, PAGE, TRUE), KERN_SUCCESS);
    UT_KR(vm_deallocate(mach_task_self(), hole, PAGE), KERN_SUCCESS);
    __atomic_store_n(&sh->ready, 1, __ATOMIC_SEQ_CST);

    for (int round = 0; round < ROUNDS; round++) {
        round_io(disk, CHILD, round);
        bad_requests(disk, hole);
    }
    __atomic_store_n(&sh->done[CHILD], 1, __ATOMIC_SEQ_CST);
    wait_flag(&sh->done[PARENT]);
    check_disk(disk);

    ut_device_close(disk);
    UT_KR(mach_port_deallocate(mach_task_self(), master), KERN_SUCCESS);
    exit(0);
}

int
main(void)
{
    mach_port_t self = mach_task_self(), disk;
    vm_address_t page = 0;

    ut_stats_begin();
    master = ut_device_master();
    disk = ut_device_open(master, "hd0");
    UT_KR(vm_allocate(self, &page, PAGE, TRUE), KERN_SUCCESS);
    UT_KR(vm_inherit(self, page, PAGE, VM_INHERIT_SHARE), KERN_SUCCESS);
    sh = (volatile struct shared *)page;
    sh->turns.n = 2;

    ut_child_start(&child, child_main);
    UT_KR(mach_port_insert_right(child.task, master, master, MACH_MSG_TYPE_COPY_SEND),
          KERN_SUCCESS);
    ut_child_resume(&child);
    wait_flag(&sh->ready);
    for (int round = 0; round < ROUNDS; round++)
        round_io(disk, PARENT, round);
    __atomic_store_n(&sh->done[PARENT], 1, __ATOMIC_SEQ_CST);
    wait_flag(&sh->done[CHILD]);
    check_disk(disk);

    UT_EQ(ut_child_join(&child), 0);
    // The tasks took turns in the driver (ut_turns_expect_took_turns: over
    // 90% of the calls interleaved when this was written; the rest are the
    // child's last calls, made alone after the parent's fewer calls were
    // done).
    ut_turns_expect_took_turns(&sh->turns, PARENT, "parent", ROUNDS);
    ut_turns_expect_took_turns(&sh->turns, CHILD, "child", ROUNDS);

    UT_KR(vm_deallocate(self, page, PAGE), KERN_SUCCESS);
    ut_device_close(disk);
    UT_KR(mach_port_deallocate(self, master), KERN_SUCCESS);
    ut_stats_settle_baseline();
    return ut_pass();
}

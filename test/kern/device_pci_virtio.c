// SPDX-License-Identifier: MIT
//
// Tests of the PCI scan and the virtio-blk driver (kern/device/): the
// scan, reads, and the disk shared by two threads (first come, first
// served; an aborted wait for it).  The qemu.ktest.all run attaches a
// 4 MiB disk written with run-qemu.py's pattern (record i starts with i,
// 64-bit little-endian), so the disk tests run there; on a machine without
// one they say "skipped" and pass.

#include <debug/ktest.h>
#include <device/device_object.h>
#include <device/pci.h>
#include <kern/console.h>
#include <kern/clock.h>
#include <kern/kalloc.h>
#include <kern/sched.h>
#include <kern/thread.h>
#include <lib/string.h>
#include "exec_util.h"

#define VIRTIO_VENDOR        0x1af4
#define VIRTIO_BLK_LEGACY_ID 0x1001
#define PCI_CLASS_STORAGE    0x01

// Every PC has a host bridge at 00:00.0, so the scan found something there.
KTEST(device, pci_scan_finds_the_host_bridge_at_bus_0_slot_0)
{
    const struct pci_device *pd = pci_find(0x8086, 0x1237, 0); // i440FX (QEMU's pc)

    KT_NE(pci_device_count(), 0);
    if (pd == NULL)
        pd = pci_find(0x8086, 0x29c0, 0); // Q35
    KT_ASSERT(pd != NULL);
    KT_EQ(pd->pd_bus, 0);
    KT_EQ(pd->pd_slot, 0);
    KT_EQ(pci_config_read(pd, PCI_REG_ID), 0x8086u | ((uint32_t)pd->pd_device << 16));
}

KTEST(device, pci_scan_finds_virtio_blk_as_hd0_when_a_disk_is_attached)
{
    const struct pci_device *pd = pci_find(VIRTIO_VENDOR, VIRTIO_BLK_LEGACY_ID, 0);
    struct device *dev;

    if (pd == NULL) {
        kprintf("skipped: no virtio-blk disk on this machine\n");
        return;
    }
    KT_EQ(pd->pd_class >> 24, PCI_CLASS_STORAGE);
    dev = device_lookup("hd0");
    KT_ASSERT(dev != NULL);
    KT_EQ(dev->d_record_size, 512);
    device_deallocate(dev);
    KT_ASSERT(device_lookup("hd1") == NULL);
}

// Reads records 5..6 through the driver and finds the harness's pattern;
// a record past the end is refused without touching the buffer.
KTEST(device, hd0_reads_the_pattern_and_refuses_records_past_the_end)
{
    struct device *dev = device_lookup("hd0");
    uint8_t *buf;
    size_t done = 0;
    int status[3];
    unsigned count = 3;

    if (dev == NULL) {
        kprintf("skipped: no hd0 on this machine\n");
        return;
    }
    buf = kalloc(1024);
    KT_ASSERT(buf != NULL);
    KT_EQ(dev->d_ops->dop_read(dev, 0, 5, buf, 1024, &done), D_SUCCESS);
    KT_EQ(done, 1024);
    KT_EQ(*(uint64_t *)buf, 5);
    KT_EQ(*(uint64_t *)(buf + 512), 6);
    KT_EQ(buf[8], (5 * 7 + 8) & 0xff);
    KT_EQ(dev->d_ops->dop_get_status(dev, DEV_GET_SIZE, status, &count), D_SUCCESS);
    memset(buf, 0xee, 512);
    KT_EQ(dev->d_ops->dop_read(dev, 0, (recnum_t)((uint32_t)status[0] / 512), buf, 512, &done),
          D_INVALID_RECNUM);
    KT_EQ(buf[0], 0xee);
    kfree(buf, 1024);
    device_deallocate(dev);
}

// ---------------------------------------------------------------------------
// Sharing the disk.  Two kernel threads (PRI_KERNEL_DEFAULT, below the
// ktest thread, so both exist before either runs) read single records
// back to back.

#define SHARE_READS 100

struct disk_reader {
    struct device *dr_dev;
    struct disk_reader *dr_other;
    recnum_t dr_first;        // reads records dr_first, dr_first + 1, ...
    unsigned dr_reads;        // how many to read (0: until dr_stop)
    volatile bool dr_stop;    // set by the test: stop after the current read
    unsigned dr_done;         // atomic: reads completed with the right data
    unsigned dr_aborted;      // atomic: reads that returned KERN_ABORTED (retried)
    unsigned dr_other_at_end; // the other's dr_done when this one finished
    unsigned dr_twice;        // reads completed right after its own previous one
    io_return_t dr_rc;        // D_SUCCESS, or the first unexpected result
    volatile bool dr_finished;
};

// The reader whose read completed last.
static struct disk_reader *disk_last_reader;

// Reads dr_reads records (or until dr_stop) one at a time, retrying a read
// that was aborted in its wait for the disk; stops at the first failure or
// wrong record.
static void
disk_reader_run(void *arg)
{
    struct disk_reader *r = arg;
    uint8_t *buf = kalloc(512);
    size_t done;

    r->dr_rc = buf == NULL ? D_NO_MEMORY : D_SUCCESS;
    for (unsigned i = 0;
         r->dr_rc == D_SUCCESS && (r->dr_reads == 0 ? !r->dr_stop : i < r->dr_reads);) {
        recnum_t rec = r->dr_first + i % 64;
        io_return_t rc = r->dr_dev->d_ops->dop_read(r->dr_dev, 0, rec, buf, 512, &done);

        if (rc == KERN_ABORTED) {
            __atomic_add_fetch(&r->dr_aborted, 1, __ATOMIC_SEQ_CST);
            continue;
        }
        if (rc == D_SUCCESS && *(uint64_t *)buf != rec)
            rc = D_IO_ERROR; // not the record asked for
        r->dr_rc = rc;
        if (rc == D_SUCCESS) {
            __atomic_add_fetch(&r->dr_done, 1, __ATOMIC_SEQ_CST);
            if (__atomic_exchange_n(&disk_last_reader, r, __ATOMIC_SEQ_CST) == r &&
                !r->dr_other->dr_finished)
                r->dr_twice++;
        }
        i++;
    }
    r->dr_other_at_end = __atomic_load_n(&r->dr_other->dr_done, __ATOMIC_SEQ_CST);
    if (buf != NULL)
        kfree(buf, 512);
    r->dr_finished = true;
}

// Static, not on the test's stack: a reader stuck in the driver (the test
// fails and leaves it) must not write into a stack that has moved on.
static struct disk_reader disk_readers[2];

// Waits (up to 10 s) for a reader and its thread; false if it never ends.
static bool
disk_reader_join(struct disk_reader *r, struct thread *t)
{
    if (!ut_wait_flag(&r->dr_finished, 10000))
        return false; // stuck in the driver: leave it
    thread_wait_terminated(t);
    thread_deallocate(t);
    return true;
}

// Starts two readers of hd0 (`reads` each; 0: until stopped), a at records
// 100.., b at 300..; false without memory.
static bool
disk_readers_start(struct device *dev, struct disk_reader *a, struct disk_reader *b, unsigned reads,
                   struct thread **ta, struct thread **tb)
{
    disk_last_reader = NULL;
    *a = (struct disk_reader){.dr_dev = dev, .dr_other = b, .dr_first = 100, .dr_reads = reads};
    *b = (struct disk_reader){.dr_dev = dev, .dr_other = a, .dr_first = 300, .dr_reads = reads};
    *ta = kernel_thread_create(disk_reader_run, a, PRI_KERNEL_DEFAULT, "kt-disk-a");
    if (*ta == NULL)
        return false;
    *tb = kernel_thread_create(disk_reader_run, b, PRI_KERNEL_DEFAULT, "kt-disk-b");
    if (*tb == NULL) {
        a->dr_reads = 0; // it has not run yet (it is below us): now it reads nothing
        a->dr_stop = true;
        (void)disk_reader_join(a, *ta);
        return false;
    }
    return true;
}

// The disk is handed to the thread that has waited longest, so two threads
// that read back to back take turns, one read each, from the first read
// to the last.  This is deterministic, not a matter of timing: the owner
// yields before each look at the device (vblk_wait), so the other thread,
// ready, runs and queues before the owner's read can complete, and the
// release hands it the disk; it then queues again before releasing it in
// turn.  (Only a clock interrupt preempting a thread twice within the few
// microseconds between its release and its queueing could let the other
// complete two reads in a row.)  Without the hand-off the releasing thread
// took the disk straight back before the woken one ran: the second
// thread's first read slept while the first did all of its own.
KTEST(device, hd0_alternates_between_two_threads_reading_back_to_back)
{
    struct device *dev = device_lookup("hd0");
    struct disk_reader *a = &disk_readers[0], *b = &disk_readers[1];
    struct thread *ta, *tb;

    if (dev == NULL) {
        kprintf("skipped: no hd0 on this machine\n");
        return;
    }
    KT_ASSERT(disk_readers_start(dev, a, b, SHARE_READS, &ta, &tb));
    KT_ASSERT(disk_reader_join(a, ta));
    KT_ASSERT(disk_reader_join(b, tb));
    device_deallocate(dev);
    KT_EQ(a->dr_rc, D_SUCCESS);
    KT_EQ(b->dr_rc, D_SUCCESS);
    KT_EQ(a->dr_done, SHARE_READS);
    KT_EQ(b->dr_done, SHARE_READS);
    // Neither completed two reads in a row while the other had reads left,
    // so when the first finished the other had done all but its last.
    KT_EQ(a->dr_twice, 0);
    KT_EQ(b->dr_twice, 0);
    KT_ASSERT(a->dr_other_at_end >= SHARE_READS - 1);
    KT_ASSERT(b->dr_other_at_end >= SHARE_READS - 1);
}

// Aborts both readers' waits, yielding between tries (it runs beside
// them, at their priority), until each reader has had ABORTS reads
// aborted or 2 s pass.
#define ABORTS 3

static struct thread *abort_targets[2];
static volatile bool aborter_done;

static void
disk_aborter_run(void *arg)
{
    uint64_t end = clock_now_ns() + 2000 * MS;

    (void)arg;
    while ((__atomic_load_n(&disk_readers[0].dr_aborted, __ATOMIC_SEQ_CST) < ABORTS ||
            __atomic_load_n(&disk_readers[1].dr_aborted, __ATOMIC_SEQ_CST) < ABORTS) &&
           clock_now_ns() < end) {
        (void)thread_abort(abort_targets[0]);
        (void)thread_abort(abort_targets[1]);
        thread_yield();
    }
    aborter_done = true;
}

// Waits (up to 2 s) until each reader has done `more` reads beyond what it
// had done on entry; false if one did not.
static bool
disk_readers_progress(unsigned more)
{
    unsigned a0 = __atomic_load_n(&disk_readers[0].dr_done, __ATOMIC_SEQ_CST);
    unsigned b0 = __atomic_load_n(&disk_readers[1].dr_done, __ATOMIC_SEQ_CST);

    for (int i = 0; i < 2000; i++) {
        if (__atomic_load_n(&disk_readers[0].dr_done, __ATOMIC_SEQ_CST) >= a0 + more &&
            __atomic_load_n(&disk_readers[1].dr_done, __ATOMIC_SEQ_CST) >= b0 + more)
            return true;
        thread_sleep_ns(MS);
    }
    return false;
}

// thread_abort ends a reader's wait for the disk with KERN_ABORTED: a read
// that did nothing, which the reader retries.  Two readers share the disk,
// so each is queued behind the other half the time; a third thread aborts
// both, again and again, until each has had reads aborted (a few dozen
// milliseconds when this was written).  An abort lands in one of two ways
// (vblk_acquire): on a waiter still queued, which leaves the queue and
// returns KERN_ABORTED; or -- more often here, and not visible to the
// reader -- on a waiter the owner handed the disk to just before, which
// keeps it and reads.  Getting either wrong would leave the disk owned by
// nobody, or a waiter forgotten: the readers would stop making progress
// once the aborts stop, and the final read would stick.
KTEST(device, hd0_waiter_aborted_in_the_queue_returns_aborted_and_the_disk_goes_on)
{
    struct device *dev = device_lookup("hd0");
    struct disk_reader *a = &disk_readers[0], *b = &disk_readers[1];
    struct thread *ta, *tb, *aborter;
    uint8_t *buf;
    size_t done = 0;

    if (dev == NULL) {
        kprintf("skipped: no hd0 on this machine\n");
        return;
    }
    KT_ASSERT(disk_readers_start(dev, a, b, 0, &ta, &tb));
    abort_targets[0] = ta;
    abort_targets[1] = tb;
    aborter_done = false;
    aborter = kernel_thread_create(disk_aborter_run, NULL, PRI_KERNEL_DEFAULT, "kt-disk-abort");
    if (aborter != NULL) {
        (void)ut_wait_flag(&aborter_done, 3000); // it gives up after 2 s
        thread_wait_terminated(aborter);
        thread_deallocate(aborter);
    }
    bool progress = aborter != NULL && disk_readers_progress(20); // the aborts are over
    a->dr_stop = b->dr_stop = true;
    KT_ASSERT(disk_reader_join(a, ta));
    KT_ASSERT(disk_reader_join(b, tb));
    KT_ASSERT(aborter != NULL);
    KT_ASSERT(progress);
    KT_EQ(a->dr_rc, D_SUCCESS);
    KT_EQ(b->dr_rc, D_SUCCESS);
    KT_ASSERT(a->dr_aborted >= ABORTS);
    KT_ASSERT(b->dr_aborted >= ABORTS);
    buf = kalloc(512); // the disk is free again: nobody kept it
    KT_ASSERT(buf != NULL);
    KT_EQ(dev->d_ops->dop_read(dev, 0, 7, buf, 512, &done), D_SUCCESS);
    KT_EQ(*(uint64_t *)buf, 7);
    kfree(buf, 512);
    device_deallocate(dev);
}

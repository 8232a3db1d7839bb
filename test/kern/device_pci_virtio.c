// SPDX-License-Identifier: MIT
//
// Tests of the PCI scan and the virtio-blk driver (kern/device/).  The
// qemu.ktest.all run attaches a 4 MiB disk written with run-qemu.py's
// pattern (record i starts with i, 64-bit little-endian), so the disk
// tests run there; on a machine without one they say "skipped" and pass.

#include <debug/ktest.h>
#include <device/device_object.h>
#include <device/pci.h>
#include <kern/console.h>
#include <kern/kalloc.h>
#include <lib/string.h>

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

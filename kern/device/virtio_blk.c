// SPDX-License-Identifier: MIT
//
// virtio-blk over PCI, legacy ("transitional") transport (virtio 1.x,
// sections 4.1.4.8 and 5.2).  QEMU's `-device virtio-blk-pci` on the PC
// machine answers as vendor 0x1af4, device 0x1001 with its registers in
// I/O BAR 0; the legacy interface is the smaller of the two (no capability
// walk, no memory BAR mapping), which is why it is the one used here.
// A modern-only device (0x1042, disable-legacy=on) is not driven yet.
//
// One virtqueue (queue 0) in physically contiguous pages in the legacy
// layout: descriptor table, available ring, then the used ring at the next
// 4 KiB boundary.  Every request is three descriptors -- the 16-byte
// header (type, sector), the data in a bounce buffer, the status byte --
// always descriptors 0, 1, 2, because only one request is in flight: the
// device is owned by one thread at a time (vb_busy under vb_lock, a
// sleeping lock: waiters block, they do not spin), and handed to its
// waiters in the order they came (see vblk_acquire).  Completion is polled:
// the owner watches the used ring's index with interrupts enabled (there
// is no IOAPIC routing yet; an interrupt-driven completion replaces the
// poll when there is).  Transfers larger than the bounce buffer are split.
//
// Bounce buffer: callers hand in kernel buffers (kalloc, ipc_ool) that are
// virtually but not physically contiguous, so data goes through
// VBLK_BOUNCE_SIZE bytes of contiguous pages owned by the driver.

#include <device/virtio_blk.h>
#include <device/device_object.h>
#include <device/pci.h>
#include <kern/assert.h>
#include <kern/clock.h>
#include <kern/console.h>
#include <kern/sched_prim.h>
#include <kern/spinlock.h>
#include <lib/string.h>
#include <machine/cpufunc.h>
#include <vm/pmap.h>
#include <vm/vm_page.h>

#define VIRTIO_VENDOR        0x1af4
#define VIRTIO_BLK_LEGACY_ID 0x1001

// Legacy register offsets in BAR 0 (no MSI-X: device config at 0x14).
#define VIO_HOST_FEATURES  0x00
#define VIO_GUEST_FEATURES 0x04
#define VIO_QUEUE_PFN      0x08
#define VIO_QUEUE_SIZE     0x0c
#define VIO_QUEUE_SELECT   0x0e
#define VIO_QUEUE_NOTIFY   0x10
#define VIO_STATUS         0x12
#define VIO_ISR            0x13
#define VIO_BLK_CAPACITY   0x14 // 64-bit, in 512-byte sectors

#define VIO_STATUS_ACK       0x01
#define VIO_STATUS_DRIVER    0x02
#define VIO_STATUS_DRIVER_OK 0x04
#define VIO_STATUS_FAILED    0x80

#define VIRTIO_BLK_F_RO 5 // feature bit: the disk is read-only

#define VRING_DESC_F_NEXT  1
#define VRING_DESC_F_WRITE 2 // the device writes this buffer
#define VRING_ALIGN        4096

#define VIRTIO_BLK_T_IN  0 // read
#define VIRTIO_BLK_T_OUT 1 // write
#define VIRTIO_BLK_S_OK  0

#define VBLK_BOUNCE_ORDER 4 // 64 KiB of contiguous pages
#define VBLK_BOUNCE_SIZE  ((size_t)PAGE_SIZE << VBLK_BOUNCE_ORDER)
#define VBLK_TIMEOUT_NS   (5ull * 1000 * 1000 * 1000)

struct vring_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

struct vring_used_elem {
    uint32_t id;
    uint32_t len;
};

struct virtio_blk_req {
    uint32_t type;
    uint32_t reserved;
    uint64_t sector;
};

_Static_assert(sizeof(struct vring_desc) == 16, "virtio descriptor layout");
_Static_assert(sizeof(struct virtio_blk_req) == 16, "virtio-blk header layout");

// A thread waiting for the disk, on its own stack, queued on vb_waiters
// (its address is the event it sleeps on).  The owner's release unlinks it
// and sets vw_state; a waiter whose wait is aborted unlinks itself; both
// under vb_lock.
enum vblk_wait_state {
    VW_WAITING, // on vb_waiters
    VW_OWNER,   // handed the device: vb_busy stays set for it
    VW_DOWN,    // the device went down while it waited
};

struct vblk_waiter {
    struct vblk_waiter *vw_next;   // protected by vb_lock
    enum vblk_wait_state vw_state; // protected by vb_lock
};

struct vblk {
    uint16_t vb_io;         // I/O BAR 0 base
    uint16_t vb_qsize;      // entries in queue 0 (the device's choice)
    uint64_t vb_sectors;    // capacity
    bool vb_read_only;      // VIRTIO_BLK_F_RO offered
    unsigned vb_ring_order; // pages of the ring, as an allocation order
    struct vring_desc *vb_desc;
    volatile uint16_t *vb_avail;   // flags, idx, ring[qsize]
    volatile uint16_t *vb_used;    // flags, idx, then qsize used elements
    struct virtio_blk_req *vb_req; // header and status byte, in one page
    volatile uint8_t *vb_status;
    uint8_t *vb_bounce;

    struct spinlock vb_lock;
    /* Protected by vb_lock. */
    bool vb_busy;                   // a thread owns the queue and the buffers below
    bool vb_dead;                   // a request timed out: the device is down for good
    struct vblk_waiter *vb_waiters; // threads waiting for the owner, oldest first
    /* Owned by the vb_busy holder. */
    uint16_t vb_avail_idx; // our copy of avail->idx
    uint16_t vb_used_seen; // used->idx when the last request finished
};

static struct vblk vblk0;
static struct device vblk0_dev;

// Bytes of a legacy virtqueue of n entries, rounded to whole pages.
static size_t
vring_size(unsigned n)
{
    size_t avail_end = 16 * n + 2 * (3 + n);
    size_t used_start = (avail_end + VRING_ALIGN - 1) & ~(size_t)(VRING_ALIGN - 1);

    return used_start + 2 * 3 + 8 * n;
}

static unsigned
order_for(size_t bytes)
{
    unsigned order = 0;

    while (((size_t)PAGE_SIZE << order) < bytes)
        order++;
    return order;
}

// Allocates and lays out queue 0 of `vb`; false without memory.
static bool
vblk_alloc_ring(struct vblk *vb)
{
    size_t avail_end = 16 * (size_t)vb->vb_qsize + 2 * (3 + (size_t)vb->vb_qsize);
    size_t used_off = (avail_end + VRING_ALIGN - 1) & ~(size_t)(VRING_ALIGN - 1);
    uint8_t *ring;

    vb->vb_ring_order = order_for(vring_size(vb->vb_qsize));
    ring = vm_kpage_alloc(vb->vb_ring_order);
    vb->vb_req = vm_kpage_alloc(0);
    vb->vb_bounce = vm_kpage_alloc(VBLK_BOUNCE_ORDER);
    if (ring == NULL || vb->vb_req == NULL || vb->vb_bounce == NULL) {
        if (ring != NULL)
            vm_kpage_free(ring, vb->vb_ring_order);
        if (vb->vb_req != NULL)
            vm_kpage_free(vb->vb_req, 0);
        if (vb->vb_bounce != NULL)
            vm_kpage_free(vb->vb_bounce, VBLK_BOUNCE_ORDER);
        return false;
    }
    memset(ring, 0, (size_t)PAGE_SIZE << vb->vb_ring_order);
    vb->vb_desc = (struct vring_desc *)ring;
    vb->vb_avail = (volatile uint16_t *)(ring + 16 * (size_t)vb->vb_qsize);
    vb->vb_used = (volatile uint16_t *)(ring + used_off);
    vb->vb_status = (volatile uint8_t *)(vb->vb_req + 1);
    return true;
}

// Resets the device, negotiates no features and hands it queue 0.
// Returns false (device left failed) when it has no usable queue or memory.
static bool
vblk_setup(struct vblk *vb, const struct pci_device *pd)
{
    uint32_t bar0 = pci_config_read(pd, PCI_REG_BAR0);
    uint32_t features;

    if (!(bar0 & 1)) // legacy registers live in I/O space
        return false;
    vb->vb_io = (uint16_t)(bar0 & ~3u);
    pci_config_write(pd, PCI_REG_COMMAND,
                     (pci_config_read(pd, PCI_REG_COMMAND) & 0xffff) | PCI_COMMAND_IO |
                         PCI_COMMAND_MASTER);
    outb(vb->vb_io + VIO_STATUS, 0); // reset
    outb(vb->vb_io + VIO_STATUS, VIO_STATUS_ACK);
    outb(vb->vb_io + VIO_STATUS, VIO_STATUS_ACK | VIO_STATUS_DRIVER);
    features = inl(vb->vb_io + VIO_HOST_FEATURES);
    vb->vb_read_only = (features >> VIRTIO_BLK_F_RO) & 1;
    outl(vb->vb_io + VIO_GUEST_FEATURES, 0); // we need none of the optional features
    outw(vb->vb_io + VIO_QUEUE_SELECT, 0);
    vb->vb_qsize = inw(vb->vb_io + VIO_QUEUE_SIZE);
    if (vb->vb_qsize < 3 || !vblk_alloc_ring(vb)) {
        outb(vb->vb_io + VIO_STATUS, VIO_STATUS_FAILED);
        return false;
    }
    outl(vb->vb_io + VIO_QUEUE_PFN, (uint32_t)(kvtophys((vaddr_t)vb->vb_desc) >> 12));
    vb->vb_sectors =
        inl(vb->vb_io + VIO_BLK_CAPACITY) | ((uint64_t)inl(vb->vb_io + VIO_BLK_CAPACITY + 4) << 32);
    outb(vb->vb_io + VIO_STATUS, VIO_STATUS_ACK | VIO_STATUS_DRIVER | VIO_STATUS_DRIVER_OK);
    return true;
}

// Takes `w` off vb_waiters.  Caller holds vb_lock; w is queued.
static void
vblk_unlink_locked(struct vblk *vb, struct vblk_waiter *w)
{
    struct vblk_waiter **pp = &vb->vb_waiters;

    assert_locked(&vb->vb_lock);
    while (*pp != w) {
        assert(*pp != NULL);
        pp = &(*pp)->vw_next;
    }
    *pp = w->vw_next;
    w->vw_next = NULL;
}

/*
 * Takes ownership of the queue.  A free device is taken at once; a busy
 * one is waited for in arrival order: the caller joins the tail of
 * vb_waiters and sleeps until vblk_release() hands it the device (FIFO
 * hand-off: vb_busy is never cleared between two owners, so a releaser
 * that calls again at once queues behind the threads already waiting,
 * and none of them can starve).  Who owns the device is decided by
 * vw_state under vb_lock, never by how the wait ended, so an abort
 * racing with the hand-off cannot lose it:
 *   1. aborted while still VW_WAITING: the waiter leaves the queue and
 *      never owned anything; the releaser will not pick it;
 *   2. handed the device (VW_OWNER) before the abort reached it: the
 *      wait may still end THREAD_INTERRUPTED, but it owns the device and
 *      goes on with the request, so ownership is neither lost nor leaked.
 * The wait is interruptible (thread_abort, termination): the wait for
 * the other owners can be long, and nothing has been done yet.
 * No lock held; may block.  Returns D_SUCCESS (the caller owns the
 * queue), D_DEVICE_DOWN or KERN_ABORTED (it owns nothing).
 */
static io_return_t
vblk_acquire(struct vblk *vb)
{
    struct vblk_waiter w = {NULL, VW_WAITING}, **pp;

    spin_lock(&vb->vb_lock);
    if (vb->vb_dead) {
        spin_unlock(&vb->vb_lock);
        return D_DEVICE_DOWN;
    }
    if (!vb->vb_busy) {
        assert(vb->vb_waiters == NULL); // waiters are only ever queued behind an owner
        vb->vb_busy = true;
        spin_unlock(&vb->vb_lock);
        return D_SUCCESS;
    }
    for (pp = &vb->vb_waiters; *pp != NULL; pp = &(*pp)->vw_next)
        ;
    *pp = &w;
    while (w.vw_state == VW_WAITING) {
        assert_wait((event_t)&w, true);
        spin_unlock(&vb->vb_lock);
        wait_result_t wr = thread_block();
        spin_lock(&vb->vb_lock);
        if (wr == THREAD_INTERRUPTED && w.vw_state == VW_WAITING) {
            vblk_unlink_locked(vb, &w); // case 1
            spin_unlock(&vb->vb_lock);
            return KERN_ABORTED;
        }
    }
    spin_unlock(&vb->vb_lock);
    return w.vw_state == VW_OWNER ? D_SUCCESS : D_DEVICE_DOWN;
}

/*
 * Gives the queue up.  With a waiter, hands it to the oldest one and
 * wakes only that one (vb_busy stays set); with none, clears vb_busy.
 * `dead` (the device stopped answering) marks the disk down and sends
 * every waiter away with D_DEVICE_DOWN.  Caller owns the queue; no lock
 * held.  The waiters' records live on their stacks: each is unlinked and
 * woken under vb_lock, which the waiting thread takes before it returns.
 */
static void
vblk_release(struct vblk *vb, bool dead)
{
    struct vblk_waiter *w;

    spin_lock(&vb->vb_lock);
    assert(vb->vb_busy);
    vb->vb_dead = vb->vb_dead || dead;
    vb->vb_busy = vb->vb_waiters != NULL && !vb->vb_dead;
    while ((w = vb->vb_waiters) != NULL) {
        vb->vb_waiters = w->vw_next;
        w->vw_next = NULL;
        w->vw_state = vb->vb_dead ? VW_DOWN : VW_OWNER;
        (void)thread_wakeup_one((event_t)w);
        if (!vb->vb_dead)
            break; // one owner at a time
    }
    spin_unlock(&vb->vb_lock);
}

// Fills descriptors 0..2 for one request of `len` bytes from the bounce
// buffer at `sector` and makes it available.  Caller owns the queue.
static void
vblk_submit(struct vblk *vb, uint32_t type, uint64_t sector, size_t len)
{
    vb->vb_req->type = type;
    vb->vb_req->reserved = 0;
    vb->vb_req->sector = sector;
    *vb->vb_status = 0xff;
    vb->vb_desc[0] = (struct vring_desc){kvtophys((vaddr_t)vb->vb_req),
                                         sizeof(struct virtio_blk_req), VRING_DESC_F_NEXT, 1};
    vb->vb_desc[1] = (struct vring_desc){
        kvtophys((vaddr_t)vb->vb_bounce), (uint32_t)len,
        (uint16_t)(VRING_DESC_F_NEXT | (type == VIRTIO_BLK_T_IN ? VRING_DESC_F_WRITE : 0)), 2};
    vb->vb_desc[2] =
        (struct vring_desc){kvtophys((vaddr_t)vb->vb_status), 1, VRING_DESC_F_WRITE, 0};
    vb->vb_avail[2 + vb->vb_avail_idx % vb->vb_qsize] = 0; // chain head: descriptor 0
    __atomic_thread_fence(__ATOMIC_SEQ_CST);               // ring entry before the index
    vb->vb_avail[1] = ++vb->vb_avail_idx;
    __atomic_thread_fence(__ATOMIC_SEQ_CST); // index before the notification
    outw(vb->vb_io + VIO_QUEUE_NOTIFY, 0);
}

// Polls the used ring until the request completes or VBLK_TIMEOUT_NS pass,
// yielding the CPU before each look, the first one included.  A real disk
// is never done that soon, but QEMU often is, and an owner that never
// left the CPU would keep a thread that is ready but not yet queued for
// the disk (one just started, or preempted on its way to vblk_acquire)
// from queueing, and take the disk back call after call until its time
// slice ended.  Yielding first lets every ready thread run, and queue,
// during each request, so the hand-off alternates requests, not time
// slices.  Returns D_SUCCESS, D_IO_ERROR (the device said so) or
// D_DEVICE_DOWN (timeout).  Caller owns the queue.
static io_return_t
vblk_wait(struct vblk *vb)
{
    uint64_t deadline = clock_now_ns() + VBLK_TIMEOUT_NS;

    for (;;) {
        thread_yield();
        if (vb->vb_used[1] != vb->vb_used_seen)
            break;
        if (clock_now_ns() > deadline)
            return D_DEVICE_DOWN;
        __asm__ volatile("pause");
    }
    __atomic_thread_fence(__ATOMIC_SEQ_CST); // the index before the status byte
    vb->vb_used_seen = vb->vb_used[1];
    (void)inb(vb->vb_io + VIO_ISR); // acknowledge (clears the interrupt line)
    return *vb->vb_status == VIRTIO_BLK_S_OK ? D_SUCCESS : D_IO_ERROR;
}

// Checks a transfer of `size` bytes at record `recnum` against the disk.
static io_return_t
vblk_check(const struct vblk *vb, recnum_t recnum, size_t size)
{
    if (size == 0 || size % VIRTIO_BLK_SECTOR_SIZE != 0)
        return D_INVALID_SIZE;
    if (recnum >= vb->vb_sectors)
        return D_INVALID_RECNUM;
    if (size / VIRTIO_BLK_SECTOR_SIZE > vb->vb_sectors - recnum)
        return D_INVALID_SIZE; // runs past the end
    return D_SUCCESS;
}

/*
 * Moves `size` bytes between `buf` and the disk at record `recnum`, in
 * bounce-buffer chunks, one request at a time.  No lock held; blocks.
 * Returns D_SUCCESS; D_INVALID_SIZE / D_INVALID_RECNUM, D_READ_ONLY,
 * KERN_ABORTED (the wait for the queue was interrupted) -- nothing done;
 * D_IO_ERROR, D_DEVICE_DOWN (part may have been done).
 */
static io_return_t
vblk_io(struct vblk *vb, uint32_t type, recnum_t recnum, void *buf, size_t size)
{
    io_return_t rc = vblk_check(vb, recnum, size);
    uint64_t sector = recnum;

    if (rc != D_SUCCESS)
        return rc;
    if (type == VIRTIO_BLK_T_OUT && vb->vb_read_only)
        return D_READ_ONLY;
    if ((rc = vblk_acquire(vb)) != D_SUCCESS)
        return rc;
    for (size_t off = 0; off < size && rc == D_SUCCESS;) {
        size_t n = size - off < VBLK_BOUNCE_SIZE ? size - off : VBLK_BOUNCE_SIZE;

        if (type == VIRTIO_BLK_T_OUT)
            memcpy(vb->vb_bounce, (const uint8_t *)buf + off, n);
        vblk_submit(vb, type, sector, n);
        rc = vblk_wait(vb);
        if (rc == D_SUCCESS && type == VIRTIO_BLK_T_IN)
            memcpy((uint8_t *)buf + off, vb->vb_bounce, n);
        off += n;
        sector += n / VIRTIO_BLK_SECTOR_SIZE;
    }
    vblk_release(vb, rc == D_DEVICE_DOWN);
    return rc;
}

static io_return_t
vblk_dev_read(struct device *dev, dev_mode_t mode, recnum_t recnum, void *buf, size_t size,
              size_t *done)
{
    io_return_t rc = vblk_io(dev->d_softc, VIRTIO_BLK_T_IN, recnum, buf, size);

    (void)mode;
    if (rc == D_SUCCESS)
        *done = size;
    return rc;
}

static io_return_t
vblk_dev_write(struct device *dev, dev_mode_t mode, recnum_t recnum, const void *buf, size_t size,
               size_t *done)
{
    // The write path only reads buf (memcpy into the bounce buffer).
    io_return_t rc = vblk_io(dev->d_softc, VIRTIO_BLK_T_OUT, recnum, (void *)(uintptr_t)buf, size);

    (void)mode;
    if (rc == D_SUCCESS)
        *done = size;
    return rc;
}

// DEV_GET_SIZE: bytes (low word, and the high word as a Quay extension
// when the caller has room) and the record size.
static io_return_t
vblk_dev_get_status(struct device *dev, dev_flavor_t flavor, int *status, unsigned *count)
{
    const struct vblk *vb = dev->d_softc;
    uint64_t bytes = vb->vb_sectors * VIRTIO_BLK_SECTOR_SIZE;

    if (flavor != DEV_GET_SIZE)
        return D_INVALID_OPERATION;
    if (*count < DEV_GET_SIZE_COUNT)
        return D_INVALID_SIZE;
    status[DEV_GET_SIZE_DEVICE_SIZE] = (int)(uint32_t)bytes;
    status[DEV_GET_SIZE_RECORD_SIZE] = VIRTIO_BLK_SECTOR_SIZE;
    if (*count >= DEV_GET_SIZE_COUNT_LARGE) {
        status[DEV_GET_SIZE_DEVICE_SIZE_HIGH] = (int)(uint32_t)(bytes >> 32);
        *count = DEV_GET_SIZE_COUNT_LARGE;
    } else {
        *count = DEV_GET_SIZE_COUNT;
    }
    return D_SUCCESS;
}

static const struct device_ops vblk_ops = {
    .dop_read = vblk_dev_read,
    .dop_write = vblk_dev_write,
    .dop_get_status = vblk_dev_get_status,
};

/*
 * Finds the first legacy virtio-blk function on the PCI bus, sets it up
 * and registers it as "hd0".  Boot, once, after pci_scan() and ipc_init().
 * Returns whether there is an hd0 (no disk is not an error).
 */
bool
virtio_blk_probe(void)
{
    const struct pci_device *pd = pci_find(VIRTIO_VENDOR, VIRTIO_BLK_LEGACY_ID, 0);
    struct vblk *vb = &vblk0;

    if (pd == NULL)
        return false;
    spinlock_init(&vb->vb_lock, "virtio_blk", LOCK_RANK_VIRTIO_BLK);
    if (!vblk_setup(vb, pd)) {
        kprintf("virtio-blk: %02x:%02x.%x cannot be set up; no hd0\n", pd->pd_bus, pd->pd_slot,
                pd->pd_func);
        return false;
    }
    vblk0_dev.d_name = "hd0";
    vblk0_dev.d_ops = &vblk_ops;
    vblk0_dev.d_softc = vb;
    vblk0_dev.d_record_size = VIRTIO_BLK_SECTOR_SIZE;
    if (!device_register(&vblk0_dev)) {
        kprintf("virtio-blk: cannot register hd0\n");
        return false;
    }
    kprintf("virtio-blk: hd0 at %02x:%02x.%x, io %#x, %lu sectors%s, queue of %u\n", pd->pd_bus,
            pd->pd_slot, pd->pd_func, vb->vb_io, (unsigned long)vb->vb_sectors,
            vb->vb_read_only ? " (read-only)" : "", vb->vb_qsize);
    return true;
}

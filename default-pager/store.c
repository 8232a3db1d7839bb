/* SPDX-License-Identifier: MIT */
/*
 * The backing store: N slots of one page each, and a bitmap of the ones
 * in use (README.md, "The store").
 *
 * A disk store is a whole device opened through the device master port
 * (include/device/device.defs): slot s is the page at byte s * 4096, that
 * is records [s * R, s * R + R) with R = 4096 / the device's record size,
 * read and written with device_read / device_write.  Nothing else is on
 * the disk: no label, no header.  Anonymous memory does not outlive the
 * boot, so the pager never reads what an earlier boot wrote there.
 *
 * A RAM store keeps each stored page where it arrived: the out-of-line
 * page of the data_initialize or data_return message, mapped into this
 * task, is kept as it is (no copy) and given back to the kernel by
 * virtual copy when it is asked for.  Its slot count only bounds how many
 * such pages the pager keeps.
 *
 * Only the pager's one thread calls these functions: no locks.
 */
#include <device/device.h>
#include <device/device_types.h>
#include <servers/bootstrap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

#define BITS_PER_WORD 64

static struct {
    uint64_t *st_bitmap;    /* bit s set: slot s in use */
    uint32_t st_total;      /* slots */
    uint32_t st_used;       /* bits set */
    uint32_t st_hint;       /* word where the next search starts */
    mach_port_t st_device;  /* disk store: our send right to the device */
    uint32_t st_per_page;   /* disk store: records per slot */
    vm_address_t *st_pages; /* RAM store: the page kept in each slot, or 0 */
    char st_name[DEV_NAME_MAX];
} store;

/* Allocates the bitmap of TOTAL slots.  KERN_RESOURCE_SHORTAGE without
 * memory. */
static kern_return_t
store_bitmap_init(uint32_t total)
{
    size_t words = (total + BITS_PER_WORD - 1) / BITS_PER_WORD;

    store.st_bitmap = calloc(words == 0 ? 1 : words, sizeof(uint64_t));
    if (store.st_bitmap == NULL)
        return KERN_RESOURCE_SHORTAGE;
    /* Touched now, so that using it never needs a page when memory is short. */
    memset(store.st_bitmap, 0, (words == 0 ? 1 : words) * sizeof(uint64_t));
    store.st_total = total;
    return KERN_SUCCESS;
}

/* DEVICE's size in bytes and its record size, from DEV_GET_SIZE (with
 * the high word of the size when the driver gives it). */
static kern_return_t
device_size(mach_port_t device, uint64_t *bytes, uint32_t *record)
{
    int status[DEV_GET_SIZE_COUNT_LARGE];
    mach_msg_type_number_t count = DEV_GET_SIZE_COUNT_LARGE;
    kern_return_t kr;

    kr = device_get_status(device, DEV_GET_SIZE, status, &count);
    if (kr != D_SUCCESS)
        return kr;
    if (count < DEV_GET_SIZE_COUNT)
        return D_INVALID_OPERATION;
    *bytes = (uint32_t)status[DEV_GET_SIZE_DEVICE_SIZE];
    if (count >= DEV_GET_SIZE_COUNT_LARGE)
        *bytes |= (uint64_t)(uint32_t)status[DEV_GET_SIZE_DEVICE_SIZE_HIGH] << 32;
    *record = (uint32_t)status[DEV_GET_SIZE_RECORD_SIZE];
    return D_SUCCESS;
}

/* Opens DEVICE for reading and writing through the device master port,
 * which the bootstrap task publishes as "device-master". */
static kern_return_t
open_device(const char *device, mach_port_t *port)
{
    mach_port_t bootstrap = MACH_PORT_NULL, master = MACH_PORT_NULL;
    dev_name_t name;
    kern_return_t kr;

    kr = task_get_bootstrap_port(mach_task_self(), &bootstrap);
    if (kr != KERN_SUCCESS)
        return kr;
    kr = bootstrap_look_up(bootstrap, "device-master", &master);
    (void)mach_port_deallocate(mach_task_self(), bootstrap);
    if (kr != KERN_SUCCESS)
        return kr;
    snprintf(name, sizeof(name), "%s", device);
    kr = device_open(master, D_READ | D_WRITE, name, port);
    (void)mach_port_deallocate(mach_task_self(), master);
    return kr;
}

/*
 * Makes the whole of DEVICE ("hd0") the store, or its first MAX_PAGES
 * pages if MAX_PAGES is not 0 (and never more than DP_MAX_PAGES).  Prints
 * what went wrong.  Returns KERN_SUCCESS; the error of the bootstrap or
 * device call that failed; D_INVALID_SIZE for a record size that does not
 * divide a page or a device smaller than one page; KERN_RESOURCE_SHORTAGE.
 * On failure the device is closed again and the store is left as it was,
 * so the caller may open another (main.c falls back to a RAM store).
 */
kern_return_t
store_open_device(const char *device, uint32_t max_pages)
{
    uint64_t bytes = 0, pages;
    uint32_t record = 0;
    kern_return_t kr;

    if ((kr = open_device(device, &store.st_device)) != KERN_SUCCESS) {
        printf("default-pager: cannot open %s: error %d\n", device, kr);
        store.st_device = MACH_PORT_NULL;
        return kr;
    }
    if ((kr = device_size(store.st_device, &bytes, &record)) != D_SUCCESS) {
        printf("default-pager: %s: device_get_status: error %d\n", device, kr);
        goto fail_device;
    }
    pages = bytes / DP_PAGE_SIZE;
    if (record == 0 || record > DP_PAGE_SIZE || DP_PAGE_SIZE % record != 0 || pages == 0) {
        printf("default-pager: %s: %llu bytes in records of %u: not a page store\n", device,
               (unsigned long long)bytes, record);
        kr = D_INVALID_SIZE;
        goto fail_device;
    }
    if (max_pages != 0 && pages > max_pages)
        pages = max_pages;
    if (pages > DP_MAX_PAGES)
        pages = DP_MAX_PAGES;
    if ((kr = store_bitmap_init((uint32_t)pages)) != KERN_SUCCESS)
        goto fail_device;
    store.st_per_page = DP_PAGE_SIZE / record;
    snprintf(store.st_name, sizeof(store.st_name), "%s", device);
    return KERN_SUCCESS;

fail_device:
    (void)device_close(store.st_device);
    (void)mach_port_deallocate(mach_task_self(), store.st_device);
    store.st_device = MACH_PORT_NULL;
    return kr;
}

/* Makes a RAM store of PAGES slots (DP_RAM_PAGES_DEFAULT if 0).
 * KERN_SUCCESS or KERN_RESOURCE_SHORTAGE. */
kern_return_t
store_open_ram(uint32_t pages)
{
    if (pages == 0)
        pages = DP_RAM_PAGES_DEFAULT;
    if (pages > DP_MAX_PAGES)
        pages = DP_MAX_PAGES;
    snprintf(store.st_name, sizeof(store.st_name), "memory");
    store.st_pages = calloc(pages, sizeof(vm_address_t));
    if (store.st_pages == NULL)
        return KERN_RESOURCE_SHORTAGE;
    memset(store.st_pages, 0, pages * sizeof(vm_address_t)); /* touched now, as the bitmap */
    return store_bitmap_init(pages);
}

/* A free slot into *slot, now in use: 0, or -1 if the store is full.
 * Next fit from the word where the last search ended. */
int
store_alloc(uint32_t *slot)
{
    uint32_t words = (store.st_total + BITS_PER_WORD - 1) / BITS_PER_WORD;

    if (store.st_used == store.st_total)
        return -1;
    for (uint32_t n = 0; n < words; n++) {
        uint32_t w = (store.st_hint + n) % words;
        uint64_t free_bits = ~store.st_bitmap[w];
        uint32_t s;

        if (free_bits == 0)
            continue;
        s = w * BITS_PER_WORD + (uint32_t)__builtin_ctzll(free_bits);
        if (s >= store.st_total)
            continue; /* the unused tail of the last word */
        store.st_bitmap[w] |= 1ull << (s % BITS_PER_WORD);
        store.st_used++;
        store.st_hint = w;
        *slot = s;
        return 0;
    }
    return -1;
}

/* Gives SLOT back; a RAM store also lets go of the page kept there. */
void
store_free(uint32_t slot)
{
    uint64_t bit = 1ull << (slot % BITS_PER_WORD);

    if (slot >= store.st_total || (store.st_bitmap[slot / BITS_PER_WORD] & bit) == 0)
        return;
    store.st_bitmap[slot / BITS_PER_WORD] &= ~bit;
    store.st_used--;
    if (store.st_pages != NULL && store.st_pages[slot] != 0) {
        (void)vm_deallocate(mach_task_self(), store.st_pages[slot], DP_PAGE_SIZE);
        store.st_pages[slot] = 0;
    }
}

/*
 * Stores PAGE (one page of ours, from a message) in SLOT, in use.  On
 * success the page is the store's: a disk store writes it and deallocates
 * it, a RAM store keeps it (and lets go of the one it replaces).  On
 * failure (the device's error code, or D_IO_ERROR for a short write) the
 * caller still owns PAGE and SLOT is unchanged.
 */
kern_return_t
store_write(uint32_t slot, vm_address_t page)
{
    io_buf_len_t written = 0;
    kern_return_t kr;

    if (store.st_pages != NULL) {
        if (store.st_pages[slot] != 0)
            (void)vm_deallocate(mach_task_self(), store.st_pages[slot], DP_PAGE_SIZE);
        store.st_pages[slot] = page;
        return KERN_SUCCESS;
    }
    kr = device_write(store.st_device, 0, (recnum_t)(slot * store.st_per_page), (io_buf_ptr_t)page,
                      DP_PAGE_SIZE, &written);
    if (kr == D_SUCCESS && written != (io_buf_len_t)DP_PAGE_SIZE)
        kr = D_IO_ERROR;
    if (kr != D_SUCCESS)
        return kr;
    (void)vm_deallocate(mach_task_self(), page, DP_PAGE_SIZE);
    return KERN_SUCCESS;
}

/*
 * The contents of SLOT, in use, into *page: with *owned 1 it is new memory
 * (a device_read) that the caller deallocates, with *owned 0 the RAM
 * store's own page, which the caller must leave alone.  Returns
 * KERN_SUCCESS or the device's error (D_IO_ERROR for a short read);
 * nothing is left to free on failure.
 */
kern_return_t
store_read(uint32_t slot, vm_address_t *page, int *owned)
{
    io_buf_ptr_t data = NULL;
    mach_msg_type_number_t count = 0;
    kern_return_t kr;

    if (store.st_pages != NULL) {
        *page = store.st_pages[slot];
        *owned = 0;
        return *page != 0 ? KERN_SUCCESS : D_IO_ERROR;
    }
    kr = device_read(store.st_device, 0, (recnum_t)(slot * store.st_per_page),
                     (io_buf_len_t)DP_PAGE_SIZE, &data, &count);
    if (kr != D_SUCCESS)
        return kr;
    if (count != DP_PAGE_SIZE) {
        (void)vm_deallocate(mach_task_self(), (vm_address_t)data, count);
        return D_IO_ERROR;
    }
    *page = (vm_address_t)data;
    *owned = 1;
    return KERN_SUCCESS;
}

uint32_t
store_total(void)
{
    return store.st_total;
}

uint32_t
store_free_count(void)
{
    return store.st_total - store.st_used;
}

/* 1 for a disk store, 0 for a RAM store. */
int
store_is_disk(void)
{
    return store.st_pages == NULL;
}

/* The device's name, or "memory". */
const char *
store_name(void)
{
    return store.st_name;
}

/* SPDX-License-Identifier: MIT */
/*
 * The backing store of the default pager (store.c): a row of page-sized
 * slots, either the pages of a disk device or pages kept in the pager's
 * own memory, and the bitmap that says which slots are in use.
 */
#ifndef DEFAULT_PAGER_STORE_H
#define DEFAULT_PAGER_STORE_H

#include <mach.h>
#include <stdint.h>

#define DP_PAGE_SIZE 4096u /* bytes per page and per slot */

#define DP_RAM_PAGES_DEFAULT 4096u      /* a RAM store's slots unless --pages=N says */
#define DP_MAX_PAGES         (1u << 24) /* slots at most: 64 GiB, a 2 MiB bitmap */

kern_return_t store_open_device(const char *device, uint32_t max_pages);
kern_return_t store_open_ram(uint32_t pages);

int store_alloc(uint32_t *slot);
void store_free(uint32_t slot);

kern_return_t store_write(uint32_t slot, vm_address_t page);
kern_return_t store_read(uint32_t slot, vm_address_t *page, int *owned);

uint32_t store_total(void);
uint32_t store_free_count(void);
int store_is_disk(void);
const char *store_name(void);

#endif

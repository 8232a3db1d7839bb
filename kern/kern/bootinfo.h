/* SPDX-License-Identifier: MIT
 *
 * What the boot loader told us, in one loader-neutral form.  GRUB enters
 * with multiboot2 and QEMU -kernel with multiboot1; bootinfo_parse() reads
 * either into struct boot_info and copies every string, so nothing later
 * depends on the loader's memory except the modules themselves (which the
 * page allocator keeps reserved).
 */
#ifndef _KERN_BOOTINFO_H_
#define _KERN_BOOTINFO_H_

#include <kern/types.h>

#define BOOT_MEM_MAX     64
#define BOOT_MOD_MAX     32
#define BOOT_CMDLINE_MAX 1024

#define BOOT_MEM_AVAILABLE 1 /* multiboot memory type 1: usable RAM */

struct boot_region {
    paddr_t base;
    uint64_t size;
    uint32_t type; /* multiboot type: 1 available, others reserved */
};

struct boot_module {
    paddr_t start, end;             /* physical, end exclusive */
    char cmdline[BOOT_CMDLINE_MAX]; /* GRUB's module line (path and arguments) */
};

struct boot_info {
    const char *loader; /* "multiboot1" or "multiboot2" */
    char cmdline[BOOT_CMDLINE_MAX];
    struct boot_region mem[BOOT_MEM_MAX];
    unsigned nmem;
    struct boot_module mods[BOOT_MOD_MAX];
    unsigned nmods;
    paddr_t info_start, info_end; /* the loader's structure, kept while parsing */
};

extern struct boot_info boot_info;

/* Parses the loader's structure; panics on an unknown magic. */
void bootinfo_parse(uint32_t magic, paddr_t info);

#endif

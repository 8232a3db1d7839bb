// SPDX-License-Identifier: MIT
//
// Multiboot1 and multiboot2 information parsing (see bootinfo.h).  Runs on
// the boot page tables, whose direct map covers the first 4 GiB, where both
// loaders put their structures.

#include <kern/bootinfo.h>
#include <kern/assert.h>
#include <kern/console.h>
#include <lib/string.h>
#include <machine/vmparam.h>

#define MB1_LOADER_MAGIC 0x2BADB002
#define MB2_LOADER_MAGIC 0x36D76289

#define MB1_INFO_CMDLINE (1u << 2)
#define MB1_INFO_MODS    (1u << 3)
#define MB1_INFO_MMAP    (1u << 6)

#define MB2_TAG_END     0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_MODULE  3
#define MB2_TAG_MMAP    6

struct boot_info boot_info;

static const void *
early_phys(paddr_t pa)
{
    assert(pa < 0x100000000ull);
    return (const void *)(uintptr_t)(DIRECT_MAP_BASE + pa);
}

static void
add_region(uint64_t base, uint64_t size, uint32_t type)
{
    if (boot_info.nmem == BOOT_MEM_MAX) {
        kprintf("bootinfo: more than %d memory regions, ignoring the rest\n", BOOT_MEM_MAX);
        return;
    }
    boot_info.mem[boot_info.nmem++] = (struct boot_region){base, size, type};
}

static void
add_module(paddr_t start, paddr_t end, const char *cmdline)
{
    if (boot_info.nmods == BOOT_MOD_MAX) {
        kprintf("bootinfo: more than %d modules, ignoring the rest\n", BOOT_MOD_MAX);
        return;
    }
    struct boot_module *m = &boot_info.mods[boot_info.nmods++];
    m->start = start;
    m->end = end;
    strlcpy(m->cmdline, cmdline, sizeof(m->cmdline));
}

struct mb1_mmap_entry {
    uint32_t size;
    uint64_t base;
    uint64_t len;
    uint32_t type;
} __packed;

struct mb1_module {
    uint32_t start, end, string, reserved;
};

static void
parse_mb1(paddr_t info)
{
    const uint32_t *mbi = early_phys(info);
    uint32_t flags = mbi[0];

    boot_info.loader = "multiboot1";
    boot_info.info_start = info;
    boot_info.info_end = info + 120;
    if (flags & MB1_INFO_CMDLINE)
        strlcpy(boot_info.cmdline, early_phys(mbi[4]), sizeof(boot_info.cmdline));
    if (flags & MB1_INFO_MODS) {
        const struct mb1_module *mods = early_phys(mbi[6]);
        for (uint32_t i = 0; i < mbi[5]; i++)
            add_module(mods[i].start, mods[i].end,
                       mods[i].string ? early_phys(mods[i].string) : "");
    }
    if (flags & MB1_INFO_MMAP) {
        paddr_t p = mbi[12], end = (paddr_t)mbi[12] + mbi[11];
        while (p < end) {
            const struct mb1_mmap_entry *e = early_phys(p);
            add_region(e->base, e->len, e->type);
            p += e->size + 4;
        }
    }
}

struct mb2_tag {
    uint32_t type, size;
};

struct mb2_mmap_entry {
    uint64_t base, len;
    uint32_t type, reserved;
};

static void
parse_mb2_tag(const struct mb2_tag *tag)
{
    const uint32_t *w = (const uint32_t *)(tag + 1);

    switch (tag->type) {
    case MB2_TAG_CMDLINE:
        strlcpy(boot_info.cmdline, (const char *)w, sizeof(boot_info.cmdline));
        break;
    case MB2_TAG_MODULE:
        add_module(w[0], w[1], (const char *)&w[2]);
        break;
    case MB2_TAG_MMAP: {
        uint32_t esize = w[0];
        const char *p = (const char *)&w[2], *end = (const char *)tag + tag->size;
        for (; esize > 0 && p + esize <= end; p += esize) {
            const struct mb2_mmap_entry *e = (const void *)p;
            add_region(e->base, e->len, e->type);
        }
        break;
    }
    }
}

static void
parse_mb2(paddr_t info)
{
    const uint32_t *hdr = early_phys(info);
    uint32_t total = hdr[0];

    boot_info.loader = "multiboot2";
    boot_info.info_start = info;
    boot_info.info_end = info + total;
    for (uint32_t off = 8; off + sizeof(struct mb2_tag) <= total;) {
        const struct mb2_tag *tag = early_phys(info + off);
        if (tag->type == MB2_TAG_END || tag->size < sizeof(struct mb2_tag))
            break;
        parse_mb2_tag(tag);
        off += ROUND_UP(tag->size, 8);
    }
}

void
bootinfo_parse(uint32_t magic, paddr_t info)
{
    if (magic == MB2_LOADER_MAGIC)
        parse_mb2(info);
    else if (magic == MB1_LOADER_MAGIC)
        parse_mb1(info);
    else
        panic("bootinfo: unknown boot loader magic %#x", magic);
}

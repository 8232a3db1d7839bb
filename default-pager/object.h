/* SPDX-License-Identifier: MIT */
/*
 * The default pager's memory objects (object.c): one per
 * memory_object_create, found by the name of its port, each with a sparse
 * map from page index to where the page is kept, in blocks of
 * DP_BLOCK_PAGES consecutive pages.
 */
#ifndef DEFAULT_PAGER_OBJECT_H
#define DEFAULT_PAGER_OBJECT_H

#include <mach.h>
#include <stddef.h>
#include <stdint.h>

#define DP_NO_SLOT     UINT32_MAX /* bl_slot[i] of a page that is not in the store */
#define DP_BLOCK_PAGES 32         /* pages per block of a page map */

/* Pages [bl_number * DP_BLOCK_PAGES, + DP_BLOCK_PAGES) of an object: each
 * is in a store slot, or "held" in the pager's memory (the store was
 * full, or a disk write failed), or neither (the pager never had it). */
struct dp_block {
    uint64_t bl_number;                   /* page index / DP_BLOCK_PAGES */
    struct dp_block *bl_next;             /* chain of the object's directory bucket */
    uint32_t bl_slot[DP_BLOCK_PAGES];     /* store slot, or DP_NO_SLOT */
    vm_address_t bl_held[DP_BLOCK_PAGES]; /* a page of ours kept in memory, or 0 */
};

struct dp_object {
    mach_port_t ob_port;       /* our receive right, a member of the pager's port set */
    mach_port_t ob_control;    /* our send right to the kernel's control port */
    unsigned ob_extra_rights;  /* more of them, brought by kernel messages (pager.c) */
    vm_size_t ob_size;         /* bytes, as memory_object_create said */
    struct dp_block **ob_dir;  /* hash table of the blocks, ob_buckets chains (a power of 2) */
    size_t ob_buckets;         /* 0 while no page was stored */
    size_t ob_blocks;          /* blocks in the table */
    int ob_lost;               /* a page could not be recorded (no memory) */
    struct dp_object *ob_next; /* chain of the object table's bucket */
};

struct dp_object *object_create(mach_port_t port, mach_port_t control, vm_size_t size);
struct dp_object *object_find(mach_port_t port);
void object_destroy(struct dp_object *ob);
size_t object_count(void);

struct dp_block *object_block(struct dp_object *ob, uint64_t index);
struct dp_block *object_block_add(struct dp_object *ob, uint64_t index);
void object_for_each_block(struct dp_object *ob, void (*fn)(struct dp_block *bl));

#endif

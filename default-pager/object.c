/* SPDX-License-Identifier: MIT */
/*
 * The default pager's memory objects: a table of objects keyed by the
 * name of their port (the name a request's msgh_local_port carries), and
 * for each object a map from page index to the page's place.
 *
 * Objects can be large (an anonymous object may span 2^47 bytes) and are
 * usually sparse, so a page map is never an array of size / 4096 entries.
 * It is a hash table of *blocks*, each holding DP_BLOCK_PAGES consecutive
 * pages (12 bytes a page: a slot number and a held-page address), made
 * when the first page of its range is stored and freed with the object.
 * The pager's memory matters most when RAM is short, which is when it is
 * busiest: the map grows by one small block at a time (never by
 * reallocating everything it holds), and the table of blocks, which
 * doubles when it has as many blocks as chains, is 32 times smaller than
 * a table of pages would be.  A failed doubling only makes chains longer.
 *
 * Only the pager's one thread calls these functions: no locks.
 */
#include <stdlib.h>
#include <string.h>

#include "object.h"

#define OBJECT_BUCKETS 1024 /* chains of the object table (a power of 2) */
#define DIR_MIN        8    /* a page map's first directory size (a power of 2) */

static struct dp_object *objects[OBJECT_BUCKETS];
static size_t objects_live;

_Static_assert(OBJECT_BUCKETS == 1u << 10, "object_bucket keeps 10 bits");

static size_t
object_bucket(mach_port_t port)
{
    return ((uint32_t)port * 0x9e3779b1u) >> 22; /* the top 10 bits */
}

/* The chain of block number N in a directory of BUCKETS chains. */
static size_t
dir_bucket(uint64_t n, size_t buckets)
{
    return (size_t)((n * 0x9e3779b97f4a7c15ull) >> 32) & (buckets - 1);
}

/*
 * A new object for PORT (our receive right) with our send right CONTROL
 * and SIZE bytes, in the table, with no pages.  NULL without memory.
 */
struct dp_object *
object_create(mach_port_t port, mach_port_t control, vm_size_t size)
{
    struct dp_object *ob = calloc(1, sizeof(*ob));
    size_t b = object_bucket(port);

    if (ob == NULL)
        return NULL;
    ob->ob_port = port;
    ob->ob_control = control;
    ob->ob_size = size;
    ob->ob_next = objects[b];
    objects[b] = ob;
    objects_live++;
    return ob;
}

/* The object whose port we name PORT, or NULL. */
struct dp_object *
object_find(mach_port_t port)
{
    for (struct dp_object *ob = objects[object_bucket(port)]; ob != NULL; ob = ob->ob_next) {
        if (ob->ob_port == port)
            return ob;
    }
    return NULL;
}

/* Takes OB out of the table and frees it and its map.  Its ports, slots
 * and held pages are the caller's to release first. */
void
object_destroy(struct dp_object *ob)
{
    struct dp_object **link = &objects[object_bucket(ob->ob_port)];

    while (*link != ob)
        link = &(*link)->ob_next;
    *link = ob->ob_next;
    objects_live--;
    for (size_t b = 0; b < ob->ob_buckets; b++) {
        for (struct dp_block *bl = ob->ob_dir[b], *next; bl != NULL; bl = next) {
            next = bl->bl_next;
            free(bl);
        }
    }
    free(ob->ob_dir);
    free(ob);
}

/* Objects in the table. */
size_t
object_count(void)
{
    return objects_live;
}

/* The block of OB that holds page INDEX, or NULL if it has none. */
struct dp_block *
object_block(struct dp_object *ob, uint64_t index)
{
    uint64_t n = index / DP_BLOCK_PAGES;

    if (ob->ob_buckets == 0)
        return NULL;
    for (struct dp_block *bl = ob->ob_dir[dir_bucket(n, ob->ob_buckets)]; bl != NULL;
         bl = bl->bl_next) {
        if (bl->bl_number == n)
            return bl;
    }
    return NULL;
}

/* Doubles OB's directory (or makes its first one).  0, or -1 without
 * memory, and then the directory is as it was. */
static int
dir_grow(struct dp_object *ob)
{
    size_t buckets = ob->ob_buckets == 0 ? DIR_MIN : ob->ob_buckets * 2;
    struct dp_block **dir = calloc(buckets, sizeof(*dir));

    if (dir == NULL)
        return -1;
    for (size_t b = 0; b < ob->ob_buckets; b++) {
        for (struct dp_block *bl = ob->ob_dir[b], *next; bl != NULL; bl = next) {
            size_t nb = dir_bucket(bl->bl_number, buckets);

            next = bl->bl_next;
            bl->bl_next = dir[nb];
            dir[nb] = bl;
        }
    }
    free(ob->ob_dir);
    ob->ob_dir = dir;
    ob->ob_buckets = buckets;
    return 0;
}

/*
 * The block of OB that holds page INDEX, made (every page in it neither
 * stored nor held) if there was none.  NULL without memory, and then
 * nothing changed.
 */
struct dp_block *
object_block_add(struct dp_object *ob, uint64_t index)
{
    struct dp_block *bl = object_block(ob, index);
    size_t b;

    if (bl != NULL)
        return bl;
    if (ob->ob_buckets == 0 && dir_grow(ob) != 0)
        return NULL;
    if ((bl = malloc(sizeof(*bl))) == NULL)
        return NULL;
    if (ob->ob_blocks >= ob->ob_buckets)
        (void)dir_grow(ob); /* without memory the chains just get longer */
    bl->bl_number = index / DP_BLOCK_PAGES;
    memset(bl->bl_slot, 0xff, sizeof(bl->bl_slot)); /* DP_NO_SLOT */
    memset(bl->bl_held, 0, sizeof(bl->bl_held));
    b = dir_bucket(bl->bl_number, ob->ob_buckets);
    bl->bl_next = ob->ob_dir[b];
    ob->ob_dir[b] = bl;
    ob->ob_blocks++;
    return bl;
}

/* Calls FN on every block of OB (FN must not add blocks). */
void
object_for_each_block(struct dp_object *ob, void (*fn)(struct dp_block *bl))
{
    for (size_t b = 0; b < ob->ob_buckets; b++) {
        for (struct dp_block *bl = ob->ob_dir[b]; bl != NULL; bl = bl->bl_next)
            fn(bl);
    }
}

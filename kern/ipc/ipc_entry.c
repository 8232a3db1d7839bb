// SPDX-License-Identifier: MIT
//
// The entry table of an IPC space (ipc_entry.h): names to entries, the free
// list, the table's growth, and the port -> entry hash that lets send and
// receive rights to one port share a name.  Every function here runs with
// the space locked; allocation happens under that lock, which ranks below
// the allocators (kern/lock_order.h).

#include <ipc/ipc_entry.h>
#include <ipc/ipc_space.h>
#include <ipc/ipc_stats.h>
#include <kern/kalloc.h>
#include <kern/assert.h>
#include <lib/string.h>

// An entry is in the hash while it names a port for send or receive rights.
static bool
in_hash(const struct ipc_entry *e)
{
    return e->ie_object != NULL &&
           (e->ie_bits & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE)) != 0;
}

static uint32_t
hash_bucket(const struct ipc_space *space, const void *object)
{
    uint64_t h = ((uintptr_t)object >> 4) * 0x9e3779b97f4a7c15ull;
    return (uint32_t)(h >> 32) & (space->is_table_size - 1);
}

static void
hash_insert(struct ipc_space *space, struct ipc_entry *e)
{
    uint32_t b = hash_bucket(space, e->ie_object);

    e->ie_hash_next = space->is_hash[b];
    space->is_hash[b] = (uint32_t)(e - space->is_table);
}

static void
hash_remove(struct ipc_space *space, struct ipc_entry *e)
{
    uint32_t index = (uint32_t)(e - space->is_table);
    uint32_t *link = &space->is_hash[hash_bucket(space, e->ie_object)];

    while (*link != 0 && *link != index)
        link = &space->is_table[*link].ie_hash_next;
    assert(*link == index);
    *link = e->ie_hash_next;
    e->ie_hash_next = 0;
}

// Free-list links: a circular doubly linked list through indexes, headed
// by entry 0, so any free entry can be unlinked when a name is chosen.
static void
free_push(struct ipc_space *space, uint32_t index)
{
    struct ipc_entry *t = space->is_table;

    t[index].ie_next_free = t[0].ie_next_free;
    t[index].ie_prev_free = 0;
    t[t[0].ie_next_free].ie_prev_free = index;
    t[0].ie_next_free = index;
}

static void
free_unlink(struct ipc_space *space, uint32_t index)
{
    struct ipc_entry *t = space->is_table;

    t[t[index].ie_prev_free].ie_next_free = t[index].ie_next_free;
    t[t[index].ie_next_free].ie_prev_free = t[index].ie_prev_free;
    t[index].ie_next_free = t[index].ie_prev_free = 0;
}

// Installs a table of `size` entries holding the first `old_size` entries of
// `old` (NULL/0 for a new space) and a rebuilt hash.  Keeps the space as it
// was when memory is short.
static kern_return_t
table_resize(struct ipc_space *space, uint32_t size)
{
    uint32_t old_size = space->is_table_size;
    struct ipc_entry *t = kalloc(size * sizeof(*t));
    uint32_t *hash = kalloc(size * sizeof(*hash));

    if (t == NULL || hash == NULL) {
        kfree(t, size * sizeof(*t));
        kfree(hash, size * sizeof(*hash));
        return KERN_RESOURCE_SHORTAGE;
    }
    memset(t, 0, size * sizeof(*t));
    memset(hash, 0, size * sizeof(*hash));
    if (old_size != 0)
        memcpy(t, space->is_table, old_size * sizeof(*t));
    kfree(space->is_table, old_size * sizeof(*t));
    kfree(space->is_hash, old_size * sizeof(*hash));
    space->is_table = t;
    space->is_hash = hash;
    space->is_table_size = size;
    if (old_size == 0)
        t[0].ie_next_free = t[0].ie_prev_free = 0;
    for (uint32_t i = size - 1; i >= (old_size == 0 ? 1 : old_size); i--)
        free_push(space, i);
    for (uint32_t i = 1; i < old_size; i++) {
        t[i].ie_hash_next = 0;
        if (in_hash(&t[i]))
            hash_insert(space, &t[i]);
    }
    return KERN_SUCCESS;
}

/*
 * Purpose: give a new space its first table.
 * Conditions: the space is not yet visible to anyone; no locks needed.
 * Returns: KERN_SUCCESS, KERN_RESOURCE_SHORTAGE.
 */
kern_return_t
ipc_entry_table_init(struct ipc_space *space)
{
    space->is_table = NULL;
    space->is_hash = NULL;
    space->is_table_size = 0;
    return table_resize(space, IE_TABLE_INITIAL);
}

/*
 * Purpose: free a dead space's table.
 * Conditions: the space is inactive and every entry has been released.
 */
void
ipc_entry_table_free(struct ipc_space *space)
{
    assert(space->is_in_use == 0);
    kfree(space->is_table, space->is_table_size * sizeof(struct ipc_entry));
    kfree(space->is_hash, space->is_table_size * sizeof(uint32_t));
    space->is_table = NULL;
    space->is_hash = NULL;
    space->is_table_size = 0;
}

/*
 * Purpose: the entry `name` denotes in `space`.
 * Conditions: space locked.
 * Returns: the entry, or NULL if the name denotes nothing (never allocated,
 *     freed, or a stale generation).
 */
struct ipc_entry *
ipc_entry_lookup(struct ipc_space *space, mach_port_name_t name)
{
    uint32_t index = IE_INDEX(name);
    struct ipc_entry *e;

    assert_locked(&space->is_lock);
    if (index == 0 || index >= space->is_table_size)
        return NULL;
    e = &space->is_table[index];
    if (e->ie_bits == 0 || e->ie_gen != IE_GEN(name))
        return NULL;
    return e;
}

// Takes `index` (free) for a name of generation `gen`.
static struct ipc_entry *
claim(struct ipc_space *space, uint32_t index, uint32_t gen)
{
    struct ipc_entry *e = &space->is_table[index];

    free_unlink(space, index);
    e->ie_gen = gen;
    e->ie_bits = 0;
    e->ie_object = NULL;
    e->ie_request = NULL;
    e->ie_hash_next = 0;
    e->ie_tally_epoch = 0;
    space->is_in_use++;
    IPC_STAT_INC(st_entries);
    return e;
}

/*
 * Purpose: allocate a new name in `space`, growing the table if needed.
 * Conditions: space locked and active.  The entry comes back with no
 *     rights (ie_bits 0); the caller gives it some before unlocking.
 * Returns: KERN_SUCCESS with *namep and *entryp; KERN_NO_SPACE when the
 *     table is at its limit or memory is short.
 */
kern_return_t
ipc_entry_alloc(struct ipc_space *space, mach_port_name_t *namep, struct ipc_entry **entryp)
{
    struct ipc_entry *e;
    uint32_t index;

    assert_locked(&space->is_lock);
    if (space->is_table[0].ie_next_free == 0) {
        if (space->is_table_size >= IE_TABLE_MAX ||
            table_resize(space, space->is_table_size * 2) != KERN_SUCCESS)
            return KERN_NO_SPACE;
    }
    index = space->is_table[0].ie_next_free;
    e = claim(space, index, space->is_table[index].ie_gen);
    *namep = IE_MAKE_NAME(index, e->ie_gen);
    *entryp = e;
    return KERN_SUCCESS;
}

/*
 * Purpose: find or make the entry for a name the caller chose.
 * Conditions: space locked and active.  A new entry comes back with
 *     ie_bits 0 and the caller gives it rights before unlocking.
 * Returns: KERN_SUCCESS with the entry (new, or the one the name already
 *     denotes -- the caller checks its bits); KERN_INVALID_VALUE for a name
 *     this kernel cannot represent (index 0, i.e. names below 256, or
 *     beyond the largest table); KERN_NAME_EXISTS when another generation
 *     of the name is in use; KERN_NO_SPACE when memory is short.
 */
kern_return_t
ipc_entry_alloc_name(struct ipc_space *space, mach_port_name_t name, struct ipc_entry **entryp)
{
    uint32_t index = IE_INDEX(name);
    uint32_t size = space->is_table_size;
    struct ipc_entry *e;

    assert_locked(&space->is_lock);
    if (!MACH_PORT_VALID(name) || index == 0 || index >= IE_TABLE_MAX)
        return KERN_INVALID_VALUE;
    while (size <= index)
        size *= 2;
    if (size != space->is_table_size && table_resize(space, size) != KERN_SUCCESS)
        return KERN_NO_SPACE;
    e = &space->is_table[index];
    if (e->ie_bits != 0) {
        if (e->ie_gen != IE_GEN(name))
            return KERN_NAME_EXISTS;
        *entryp = e;
        return KERN_SUCCESS;
    }
    *entryp = claim(space, index, IE_GEN(name));
    return KERN_SUCCESS;
}

/*
 * Purpose: free an entry whose rights are all gone; the next name made from
 *     its index has the next generation.
 * Conditions: space locked.  The entry holds no object and no request.
 */
void
ipc_entry_dealloc(struct ipc_space *space, mach_port_name_t name, struct ipc_entry *entry)
{
    uint32_t index = IE_INDEX(name);

    assert_locked(&space->is_lock);
    assert(entry == &space->is_table[index] && entry->ie_request == NULL);
    if (in_hash(entry))
        hash_remove(space, entry);
    entry->ie_object = NULL;
    entry->ie_bits = 0;
    entry->ie_gen = (entry->ie_gen + 1) & 0xff;
    free_push(space, index);
    space->is_in_use--;
    IPC_STAT_DEC(st_entries);
}

/*
 * Purpose: change what an entry denotes, keeping the port hash right.
 * Conditions: space locked.  Bits must not be 0 (use ipc_entry_dealloc).
 */
void
ipc_entry_set(struct ipc_space *space, struct ipc_entry *entry, void *object, uint32_t bits)
{
    assert_locked(&space->is_lock);
    assert(bits != 0);
    if (in_hash(entry))
        hash_remove(space, entry);
    entry->ie_object = object;
    entry->ie_bits = bits;
    if (in_hash(entry))
        hash_insert(space, entry);
}

/*
 * Purpose: the entry under which `space` holds send or receive rights for
 *     the port `object`.
 * Conditions: space locked.
 * Returns: the entry, or NULL.
 */
struct ipc_entry *
ipc_entry_hash_lookup(struct ipc_space *space, void *object)
{
    uint32_t i;

    assert_locked(&space->is_lock);
    for (i = space->is_hash[hash_bucket(space, object)]; i != 0;
         i = space->is_table[i].ie_hash_next) {
        if (space->is_table[i].ie_object == object)
            return &space->is_table[i];
    }
    return NULL;
}

/*
 * Purpose: the name of an entry in use.
 * Conditions: space locked.
 */
mach_port_name_t
ipc_entry_name(struct ipc_space *space, struct ipc_entry *entry)
{
    assert_locked(&space->is_lock);
    return IE_MAKE_NAME((uint32_t)(entry - space->is_table), entry->ie_gen);
}

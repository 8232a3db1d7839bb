/* SPDX-License-Identifier: MIT
 *
 * Helpers of the device tests (device_*.c): the device master port from
 * the bootstrap task's name service, opening devices, and the disk's test
 * pattern.  Each device test runs with a 4 MiB virtio-blk disk ("hd0")
 * that test/qemu/run-qemu.py --disk writes afresh for every run: record i
 * (512 bytes) starts with i as a 64-bit little-endian number, and byte
 * j >= 8 of it is (i * 7 + j) & 0xff.
 *
 * The tests that drive hd0 from several threads or tasks at once share
 * the ut_turns_* helpers: a layout of ranges on the disk, rounds of
 * writes and reads on them, and counts that show the users really took
 * turns in the driver.
 */
#ifndef UT_DEVICE_H
#define UT_DEVICE_H

#include "utest.h"
#include <device/device.h>
#include <device/device_types.h>
#include <servers/bootstrap.h>
#include <stdint.h>

#define UT_RECORD       512
#define UT_DISK_BYTES   (4 * 1024 * 1024)
#define UT_DISK_RECORDS (UT_DISK_BYTES / UT_RECORD)

/* A send right to the device master port ("device-master"). */
static inline mach_port_t
ut_device_master(void)
{
    mach_port_t bootstrap = MACH_PORT_NULL, master = MACH_PORT_NULL;

    UT_KR(task_get_bootstrap_port(mach_task_self(), &bootstrap), KERN_SUCCESS);
    UT_KR(bootstrap_look_up(bootstrap, "device-master", &master), BOOTSTRAP_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), bootstrap), KERN_SUCCESS);
    UT_ASSERT(MACH_PORT_VALID(master));
    return master;
}

/* A send right to the device NAME, opened for reading and writing. */
static inline mach_port_t
ut_device_open(mach_port_t master, const char *name)
{
    mach_port_t dev = MACH_PORT_NULL;

    UT_KR(device_open(master, D_READ | D_WRITE, (char *)name, &dev), D_SUCCESS);
    UT_ASSERT(MACH_PORT_VALID(dev));
    return dev;
}

/* Closes DEV and drops our send right to it. */
static inline void
ut_device_close(mach_port_t dev)
{
    UT_KR(device_close(dev), D_SUCCESS);
    UT_KR(mach_port_deallocate(mach_task_self(), dev), KERN_SUCCESS);
}

/* Byte J of record I of the pattern the harness writes. */
static inline uint8_t
ut_pattern_byte(uint32_t i, uint32_t j)
{
    return j < 8 ? (uint8_t)((uint64_t)i >> (8 * j)) : (uint8_t)((i * 7 + j) & 0xff);
}

/* Byte J of record I of a pattern the tests write (distinct per SEED). */
static inline uint8_t
ut_written_byte(uint32_t seed, uint32_t i, uint32_t j)
{
    return (uint8_t)(seed * 131 + i * 31 + j * 7 + (j >> 8));
}

/* Fills BUF with N records from FIRST of the written pattern SEED. */
static inline void
ut_fill_written(uint8_t *buf, uint32_t seed, uint32_t first, uint32_t n)
{
    for (uint32_t r = 0; r < n; r++)
        for (uint32_t j = 0; j < UT_RECORD; j++)
            buf[r * UT_RECORD + j] = ut_written_byte(seed, first + r, j);
}

/* Fails unless BUF holds N records from FIRST of the harness's pattern
 * (SEED 0) or of written pattern SEED (> 0). */
static inline void
ut_expect_records(const uint8_t *buf, uint32_t seed, uint32_t first, uint32_t n)
{
    for (uint32_t r = 0; r < n; r++) {
        for (uint32_t j = 0; j < UT_RECORD; j++) {
            uint8_t want =
                seed == 0 ? ut_pattern_byte(first + r, j) : ut_written_byte(seed, first + r, j);
            if (buf[r * UT_RECORD + j] != want)
                UT_FAIL("record %u byte %u is %#x, expected %#x (seed %u)", first + r, j,
                        buf[r * UT_RECORD + j], want, seed);
        }
    }
}

/* Reads N records at FIRST out of line and checks them against SEED. */
static inline void
ut_read_expect(mach_port_t disk, uint32_t seed, uint32_t first, uint32_t n)
{
    io_buf_ptr_t data = NULL;
    mach_msg_type_number_t count = 0;

    UT_KR(device_read(disk, 0, first, (io_buf_len_t)(n * UT_RECORD), &data, &count), D_SUCCESS);
    UT_EQ(count, n * UT_RECORD);
    ut_expect_records((const uint8_t *)data, seed, first, n);
    UT_KR(vm_deallocate(mach_task_self(), (vm_address_t)data, count), KERN_SUCCESS);
}

/* Writes N records at FIRST with pattern SEED, out of line. */
static inline void
ut_write_records(mach_port_t disk, uint32_t seed, uint32_t first, uint32_t n)
{
    uint8_t *buf = malloc(n * UT_RECORD);
    io_buf_len_t written = -1;

    UT_ASSERT(buf != NULL);
    ut_fill_written(buf, seed, first, n);
    UT_KR(device_write(disk, 0, first, (io_buf_ptr_t)buf, n * UT_RECORD, &written), D_SUCCESS);
    UT_EQ(written, n * UT_RECORD);
    free(buf);
}

/* ---- Taking turns: several users of hd0 at once ---- */

/*
 * Participant t (a thread or a task) owns UT_TURNS_RANGE records from
 * ut_turns_first(t); the UT_TURNS_GAP records before each range and after
 * the last one are never written and keep the harness's pattern.
 *
 * That the participants really took turns in the driver is checked, not
 * assumed.  Each marks itself inside a device call around every call and
 * counts the calls it began while another was inside one; but one asleep
 * in the driver for the whole run is "inside a call" too, so each also
 * counts the calls during which another finished a call -- that is what
 * shows the requests interleaving -- and the rounds during which another
 * finished a round.  Each writes only its own slots; the others read
 * in_call, finished and rounds.
 */
#define UT_TURNS_MAX   4  /* participants at most */
#define UT_TURNS_RANGE 64 /* records each owns */
#define UT_TURNS_GAP   8  /* untouched records around and between the ranges */

struct ut_turns {
    int n;                              /* participants */
    uint32_t in_call[UT_TURNS_MAX];     /* t is inside a device call */
    uint32_t calls[UT_TURNS_MAX];       /* device calls t has begun */
    uint32_t finished[UT_TURNS_MAX];    /* device calls t has finished */
    uint32_t overlaps[UT_TURNS_MAX];    /* calls of t begun while another was inside one */
    uint32_t interleaved[UT_TURNS_MAX]; /* calls of t during which another finished one */
    uint32_t rounds[UT_TURNS_MAX];      /* rounds t has finished */
    uint32_t mixed[UT_TURNS_MAX];       /* rounds of t during which another finished one */
    uint32_t others_then[UT_TURNS_MAX]; /* others' finished calls when t's call began */
};

/* The first record of participant T's range. */
static inline uint32_t
ut_turns_first(int t)
{
    return 1024 + (uint32_t)t * (UT_TURNS_RANGE + UT_TURNS_GAP);
}

/* The sum of COUNT[u] over the participants u other than T. */
static inline uint32_t
ut_turns_others(volatile struct ut_turns *s, volatile uint32_t *count, int t)
{
    uint32_t n = 0;

    for (int u = 0; u < s->n; u++)
        if (u != t)
            n += __atomic_load_n(&count[u], __ATOMIC_SEQ_CST);
    return n;
}

/* Marks T inside a device call; counts an overlap if another is too. */
static inline void
ut_turns_call_begin(volatile struct ut_turns *s, int t)
{
    s->calls[t]++;
    __atomic_store_n(&s->in_call[t], 1, __ATOMIC_SEQ_CST);
    s->others_then[t] = ut_turns_others(s, s->finished, t);
    for (int u = 0; u < s->n; u++) {
        if (u != t && __atomic_load_n(&s->in_call[u], __ATOMIC_SEQ_CST)) {
            s->overlaps[t]++;
            break;
        }
    }
}

/* Marks T out of its call; counts it interleaved if another finished a
 * call meanwhile. */
static inline void
ut_turns_call_end(volatile struct ut_turns *s, int t)
{
    if (ut_turns_others(s, s->finished, t) != s->others_then[t])
        s->interleaved[t]++;
    __atomic_add_fetch(&s->finished[t], 1, __ATOMIC_SEQ_CST);
    __atomic_store_n(&s->in_call[t], 0, __ATOMIC_SEQ_CST);
}

/* One round of T on DISK: its range written with pattern SEED in pieces
 * of PIECE records, then read back whole and checked, every call marked. */
static inline void
ut_turns_round(volatile struct ut_turns *s, int t, mach_port_t disk, uint32_t piece, uint32_t seed)
{
    uint32_t first = ut_turns_first(t), others_rounds = ut_turns_others(s, s->rounds, t);

    for (uint32_t r = 0; r < UT_TURNS_RANGE; r += piece) {
        uint32_t n = UT_TURNS_RANGE - r < piece ? UT_TURNS_RANGE - r : piece;
        ut_turns_call_begin(s, t);
        ut_write_records(disk, seed, first + r, n);
        ut_turns_call_end(s, t);
    }
    ut_turns_call_begin(s, t);
    ut_read_expect(disk, seed, first, UT_TURNS_RANGE);
    ut_turns_call_end(s, t);
    if (ut_turns_others(s, s->rounds, t) != others_rounds)
        s->mixed[t]++;
    __atomic_add_fetch(&s->rounds[t], 1, __ATOMIC_SEQ_CST);
}

/* Fails unless T's range holds pattern SEED and the gap before it the
 * harness's pattern. */
static inline void
ut_turns_expect_range(mach_port_t disk, int t, uint32_t seed)
{
    ut_read_expect(disk, seed, ut_turns_first(t), UT_TURNS_RANGE);
    ut_read_expect(disk, 0, ut_turns_first(t) - UT_TURNS_GAP, UT_TURNS_GAP);
}

/* T, called WHO, finished ROUNDS rounds and took turns with the others:
 * at least half of its calls began while another was inside a call and
 * saw another finish a call before it ended, and another finished a round
 * during one of its.  Prints its counts. */
static inline void
ut_turns_expect_took_turns(volatile struct ut_turns *s, int t, const char *who, uint32_t rounds)
{
    printf("%s: calls %u, overlapping %u, interleaved %u, mixed rounds %u\n", who, s->calls[t],
           s->overlaps[t], s->interleaved[t], s->mixed[t]);
    UT_EQ(s->rounds[t], rounds);
    if (2 * s->overlaps[t] < s->calls[t] || 2 * s->interleaved[t] < s->calls[t] || s->mixed[t] == 0)
        UT_FAIL("too little concurrency: %s: calls %u, overlapping %u, interleaved %u, "
                "mixed rounds %u",
                who, s->calls[t], s->overlaps[t], s->interleaved[t], s->mixed[t]);
}

#endif

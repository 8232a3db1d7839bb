// SPDX-License-Identifier: MIT
//
// TSC frequency.  Newer Intel CPUs state it in CPUID leaf 0x15 (the TSC runs
// at crystal * EBX / EAX); some leave the crystal out, and then the
// processor base frequency of leaf 0x16 is the TSC frequency.  Everywhere
// else (AMD, most virtual CPUs) we count TSC cycles over a known interval
// of the 8254 PIT's channel 2, whose input clock is 1.193182 MHz: channel 2
// is the one whose gate software controls (port 0x61 bit 0) and whose
// output software can read (port 0x61 bit 5), so it can be polled without
// an interrupt.  Channel 0 and its IRQ are left alone.

#include <kern/assert.h>
#include <kern/console.h>
#include <machine/cpufunc.h>
#include <machine/timer.h>

#define PIT_HZ        1193182u
#define PIT_CH2_DATA  0x42
#define PIT_MODE      0x43
#define PIT_PORT_B    0x61 /* "NMI status and control" / speaker port */
#define PORT_B_GATE2  0x01 /* gate of channel 2 */
#define PORT_B_SPKR   0x02 /* speaker data enable: keep off */
#define PORT_B_OUT2   0x20 /* channel 2 output (read only) */
#define PIT_CH2_MODE0 0xB0 /* channel 2, lobyte/hibyte, mode 0, binary */

#define PIT_WINDOW_MS  20
#define PIT_WINDOWS    3
#define PIT_POLL_LIMIT 100000000u /* polls before giving up on OUT2 */
#define TSC_HZ_MIN     100000000ull
#define TSC_HZ_MAX     20000000000ull

// CPUID leaves 0x15 and 0x16; 0 when they do not give the frequency.
static uint64_t
tsc_hz_from_cpuid(void)
{
    uint32_t r[4], max_leaf;

    cpuid(0, 0, r);
    max_leaf = r[0];
    if (max_leaf < 0x15)
        return 0;
    cpuid(0x15, 0, r); // eax denominator, ebx numerator, ecx crystal Hz
    if (r[0] == 0 || r[1] == 0)
        return 0;
    if (r[2] != 0)
        return (uint64_t)r[2] * r[1] / r[0];
    if (max_leaf < 0x16)
        return 0;
    cpuid(0x16, 0, r); // eax[15:0]: base frequency in MHz
    return (uint64_t)(r[0] & 0xFFFF) * 1000000;
}

// TSC cycles during `count` PIT input clocks: channel 2 in mode 0 raises
// OUT2 when the count, started by raising the gate, runs out.
static uint64_t
tsc_cycles_over_pit(uint16_t count)
{
    uint8_t b = inb(PIT_PORT_B) & ~(PORT_B_GATE2 | PORT_B_SPKR);
    uint64_t start;
    uint32_t polls = 0;

    outb(PIT_PORT_B, b); // gate low: the count waits
    outb(PIT_MODE, PIT_CH2_MODE0);
    outb(PIT_CH2_DATA, count & 0xFF);
    outb(PIT_CH2_DATA, count >> 8);
    start = rdtsc();
    outb(PIT_PORT_B, b | PORT_B_GATE2);
    while ((inb(PIT_PORT_B) & PORT_B_OUT2) == 0) {
        if (++polls == PIT_POLL_LIMIT)
            panic("clock: PIT channel 2 never reached its terminal count");
    }
    uint64_t cycles = rdtsc() - start;
    outb(PIT_PORT_B, b);
    return cycles;
}

// The shortest of a few windows: being delayed (an SMI, or the host
// descheduling a virtual CPU) only ever lengthens a measurement.
static uint64_t
tsc_hz_from_pit(void)
{
    uint16_t count = PIT_HZ * PIT_WINDOW_MS / 1000;
    uint64_t best = UINT64_MAX;

    for (int i = 0; i < PIT_WINDOWS; i++) {
        uint64_t cycles = tsc_cycles_over_pit(count);
        if (cycles < best)
            best = cycles;
    }
    return (uint64_t)((unsigned __int128)best * PIT_HZ / count);
}

static bool
tsc_invariant(void)
{
    uint32_t r[4];

    cpuid(0x80000000, 0, r);
    if (r[0] < 0x80000007)
        return false;
    cpuid(0x80000007, 0, r);
    return (r[3] & (1u << 8)) != 0; // EDX bit 8: invariant TSC
}

uint64_t
machine_counter_calibrate(void)
{
    const char *source = "CPUID";
    uint64_t hz = tsc_hz_from_cpuid();

    if (hz == 0) {
        source = "PIT";
        hz = tsc_hz_from_pit();
    }
    if (hz < TSC_HZ_MIN || hz > TSC_HZ_MAX)
        panic("clock: TSC frequency %lu Hz (from the %s) is not believable", hz, source);
    klog(LOG_INFO, "clock: TSC %lu kHz from the %s%s\n", hz / 1000, source,
         tsc_invariant() ? ", invariant" : ", not invariant: time may drift");
    return hz;
}

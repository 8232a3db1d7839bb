// SPDX-License-Identifier: MIT
//
// The local APIC and its timer, the kernel's per-CPU tick.  The timer counts
// down from an initial count at the bus (or crystal) clock divided by 16; in
// periodic mode it reloads and interrupts at every zero.  That clock's rate
// is not architectural, so each CPU measures its own against the TSC, which
// clock_init() has already calibrated: no CPU but the boot one needs the
// PIT, so application processors can do this at the same time.

#include <kern/assert.h>
#include <kern/clock.h>
#include <kern/console.h>
#include <kern/cpu.h>
#include <kern/intr.h>
#include <machine/cpufunc.h>
#include <machine/lapic.h>
#include <machine/timer.h>
#include <vm/pmap.h>

#define CPUID1_EDX_APIC    (1u << 9)
#define LAPIC_CALIBRATE_MS 20

// Set by the first lapic_init() (the boot CPU, before any other CPU runs);
// read-only after.
static paddr_t lapic_phys;
static volatile uint32_t *lapic_regs;
static bool lapic_vectors_registered;

uint32_t
lapic_read(uint32_t reg)
{
    return lapic_regs[reg / 4];
}

void
lapic_write(uint32_t reg, uint32_t value)
{
    lapic_regs[reg / 4] = value; // uncached: never reordered with other accesses
}

uint32_t
lapic_id(void)
{
    return lapic_read(LAPIC_ID) >> 24;
}

void
lapic_eoi(void)
{
    lapic_regs[LAPIC_EOI / 4] = 0;
}

// Sets the global enable bit, in xAPIC mode.  The SDM allows x2APIC to
// xAPIC only through the disabled state, so that is the way back.
static paddr_t
lapic_enable_msr(void)
{
    uint64_t base = rdmsr(MSR_APIC_BASE);

    if (base & APIC_BASE_X2APIC) {
        base &= ~(uint64_t)(APIC_BASE_X2APIC | APIC_BASE_ENABLE);
        wrmsr(MSR_APIC_BASE, base);
    }
    wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
    return base & APIC_BASE_ADDR;
}

bool
lapic_init(void)
{
    uint32_t r[4];

    assert(!intr_enabled());
    cpuid(1, 0, r);
    if ((r[3] & CPUID1_EDX_APIC) == 0)
        return false;
    paddr_t pa = lapic_enable_msr();
    if (lapic_regs == NULL) {
        lapic_phys = pa;
        lapic_regs = pmap_map_device(pa, PAGE_SIZE);
    } else if (pa != lapic_phys) {
        panic("lapic: cpu %u has its APIC at %#lx, the boot CPU at %#lx", cpu_number(), pa,
              lapic_phys);
    }
    lapic_write(LAPIC_TPR, 0);
    lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | INTR_VECTOR_LAPIC_SPURIOUS);
    lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
    lapic_write(LAPIC_TIMER_INIT, 0);
    return true;
}

// A spurious interrupt is the APIC withdrawing one it had signalled; it is
// not in service, so no EOI (SDM vol. 3A 11.9).
static void
lapic_spurious_intr(struct trap_frame *tf, void *arg)
{
    (void)tf;
    (void)arg;
}

static void
lapic_timer_intr(struct trap_frame *tf, void *arg)
{
    (void)tf;
    (void)arg;
    lapic_eoi(); // first: a callout that panics must not leave it pending
    clock_tick();
}

// The IDT is shared, so the vectors are registered once, by the boot CPU.
static bool
lapic_register_vectors(void)
{
    if (lapic_vectors_registered)
        return true;
    if (!intr_register(INTR_VECTOR_LAPIC_TIMER, lapic_timer_intr, NULL))
        return false;
    if (!intr_register(INTR_VECTOR_LAPIC_SPURIOUS, lapic_spurious_intr, NULL))
        klog(LOG_WARN, "lapic: spurious vector %#x taken; leaving it to its owner\n",
             INTR_VECTOR_LAPIC_SPURIOUS);
    lapic_vectors_registered = true;
    return true;
}

// Timer counts per second: one-shot and masked from 2^32 - 1 for
// LAPIC_CALIBRATE_MS of TSC time.  0 if the timer does not count.
static uint64_t
lapic_timer_measure(uint64_t counter_hz)
{
    uint64_t window = counter_hz * LAPIC_CALIBRATE_MS / 1000;

    lapic_write(LAPIC_TIMER_DIV, LAPIC_TIMER_DIV_16);
    lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
    lapic_write(LAPIC_TIMER_INIT, UINT32_MAX);
    uint64_t start = machine_counter_read();
    while (machine_counter_read() - start < window)
        cpu_pause();
    uint32_t left = lapic_read(LAPIC_TIMER_CUR);
    uint64_t cycles = machine_counter_read() - start;
    lapic_write(LAPIC_TIMER_INIT, 0);

    uint64_t counted = UINT32_MAX - left;
    if (left == 0 || counted == 0)
        return 0; // stuck, or so fast it ran out: unusable either way
    return (uint64_t)((unsigned __int128)counted * counter_hz / cycles);
}

bool
machine_timer_start(unsigned hz, uint64_t counter_hz)
{
    if (!lapic_init()) {
        klog(LOG_WARN, "lapic: cpu %u has no local APIC\n", cpu_number());
        return false;
    }
    if (!lapic_register_vectors()) {
        klog(LOG_WARN, "lapic: cannot register the timer vector %#x\n", INTR_VECTOR_LAPIC_TIMER);
        return false;
    }
    uint64_t timer_hz = lapic_timer_measure(counter_hz);
    if (timer_hz / hz == 0 || timer_hz / hz > UINT32_MAX) {
        klog(LOG_WARN, "lapic: cpu %u: timer rate %lu Hz unusable\n", cpu_number(), timer_hz);
        return false;
    }
    lapic_write(LAPIC_LVT_TIMER, LAPIC_TIMER_PERIODIC | INTR_VECTOR_LAPIC_TIMER);
    lapic_write(LAPIC_TIMER_INIT, (uint32_t)(timer_hz / hz));
    klog(LOG_INFO, "lapic: cpu %u (APIC %u): timer %lu kHz, %lu counts a tick\n", cpu_number(),
         lapic_id(), timer_hz / 1000, timer_hz / hz);
    return true;
}

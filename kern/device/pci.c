// SPDX-License-Identifier: MIT
//
// PCI configuration space, configuration mechanism #1: a 32-bit address
// written to port 0xCF8 (enable bit 31, bus 23..16, device 15..11,
// function 10..8, register 7..2) selects a register that port 0xCFC then
// reads or writes.  The two accesses are one operation, so they happen
// under pci_lock.  Every PC chipset QEMU emulates (i440FX, Q35) has it.
//
// pci_scan() runs once at boot, before any other CPU or task, and fills
// pci_devices[]; afterwards the table is read-only, so lookups take no
// lock.  The firmware (SeaBIOS) has already assigned the BARs.

#include <device/pci.h>
#include <kern/console.h>
#include <kern/spinlock.h>
#include <machine/cpufunc.h>

#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA    0xcfc
#define PCI_ENABLE         0x80000000u

static struct spinlock pci_lock = SPINLOCK_INIT("pci.config", LOCK_RANK_PCI);

/* Written by pci_scan() at boot only; read-only afterwards. */
static struct pci_device pci_devices[PCI_MAX_DEVICES];
static unsigned pci_ndevices;

static uint32_t
pci_address(unsigned bus, unsigned slot, unsigned func, unsigned reg)
{
    return PCI_ENABLE | (bus << 16) | (slot << 11) | (func << 8) | (reg & 0xfc);
}

// One configuration read by coordinates (the scan has no pci_device yet).
static uint32_t
pci_read_at(unsigned bus, unsigned slot, unsigned func, unsigned reg)
{
    uint32_t v;

    spin_lock(&pci_lock);
    outl(PCI_CONFIG_ADDRESS, pci_address(bus, slot, func, reg));
    v = inl(PCI_CONFIG_DATA);
    spin_unlock(&pci_lock);
    return v;
}

/*
 * The 32-bit configuration register `reg` (a multiple of 4) of `pd`.
 * Takes and drops pci_lock; any context.
 */
uint32_t
pci_config_read(const struct pci_device *pd, unsigned reg)
{
    return pci_read_at(pd->pd_bus, pd->pd_slot, pd->pd_func, reg);
}

/*
 * Writes the 32-bit configuration register `reg` of `pd`.  Takes and drops
 * pci_lock.  The caller owns the device (its driver).
 */
void
pci_config_write(const struct pci_device *pd, unsigned reg, uint32_t value)
{
    spin_lock(&pci_lock);
    outl(PCI_CONFIG_ADDRESS, pci_address(pd->pd_bus, pd->pd_slot, pd->pd_func, reg));
    outl(PCI_CONFIG_DATA, value);
    spin_unlock(&pci_lock);
}

// Records function (bus, slot, func) if it exists; returns whether it does.
static bool
pci_probe_function(unsigned bus, unsigned slot, unsigned func)
{
    uint32_t id = pci_read_at(bus, slot, func, PCI_REG_ID);
    struct pci_device *pd;

    if ((id & 0xffff) == 0xffff) // no device answers: the bus floats high
        return false;
    if (pci_ndevices == PCI_MAX_DEVICES) {
        kprintf("pci: more than %d functions; ignoring %02x:%02x.%x\n", PCI_MAX_DEVICES, bus, slot,
                func);
        return true;
    }
    pd = &pci_devices[pci_ndevices++];
    pd->pd_bus = (uint8_t)bus;
    pd->pd_slot = (uint8_t)slot;
    pd->pd_func = (uint8_t)func;
    pd->pd_vendor = (uint16_t)id;
    pd->pd_device = (uint16_t)(id >> 16);
    pd->pd_class = pci_read_at(bus, slot, func, PCI_REG_CLASS);
    return true;
}

/*
 * Finds every PCI function on buses 0..255 (function 0 of each slot, and
 * 1..7 of multi-function devices) and prints one line each.  Boot CPU,
 * once, before drivers probe.
 */
void
pci_scan(void)
{
    for (unsigned bus = 0; bus < 256; bus++) {
        for (unsigned slot = 0; slot < 32; slot++) {
            if (!pci_probe_function(bus, slot, 0))
                continue;
            // Bit 7 of the header type: functions 1..7 may exist too.
            if ((pci_read_at(bus, slot, 0, PCI_REG_HEADER) >> 16) & 0x80) {
                for (unsigned func = 1; func < 8; func++)
                    (void)pci_probe_function(bus, slot, func);
            }
        }
    }
    for (unsigned i = 0; i < pci_ndevices; i++) {
        const struct pci_device *pd = &pci_devices[i];
        klog(LOG_DEBUG, "pci: %02x:%02x.%x %04x:%04x class %06x\n", pd->pd_bus, pd->pd_slot,
             pd->pd_func, pd->pd_vendor, pd->pd_device, pd->pd_class >> 8);
    }
    kprintf("pci: %u functions\n", pci_ndevices);
}

/* The number of functions pci_scan() found. */
unsigned
pci_device_count(void)
{
    return pci_ndevices;
}

/*
 * The index-th function (0 = first) with this vendor and device id, in
 * scan order, or NULL.  No lock: the table is read-only after the scan.
 */
const struct pci_device *
pci_find(uint16_t vendor, uint16_t device, unsigned index)
{
    for (unsigned i = 0; i < pci_ndevices; i++) {
        if (pci_devices[i].pd_vendor == vendor && pci_devices[i].pd_device == device &&
            index-- == 0)
            return &pci_devices[i];
    }
    return NULL;
}

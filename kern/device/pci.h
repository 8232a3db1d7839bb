/* SPDX-License-Identifier: MIT
 *
 * PCI configuration space through the legacy I/O ports (pci.c).  pci_scan()
 * walks every bus, device and function once at boot and keeps what it
 * finds in a table; drivers look their devices up by vendor and device id
 * and then read or write their configuration registers.
 */
#ifndef _DEVICE_PCI_H_
#define _DEVICE_PCI_H_

#include <kern/types.h>

#define PCI_MAX_DEVICES 64

/* Configuration registers (type 0 header) the drivers use. */
#define PCI_REG_ID      0x00 /* vendor (low 16 bits), device (high) */
#define PCI_REG_COMMAND 0x04 /* command (low 16 bits), status (high) */
#define PCI_REG_CLASS   0x08 /* revision, prog-if, subclass, class */
#define PCI_REG_HEADER  0x0c /* header type in bits 16..23 */
#define PCI_REG_BAR0    0x10
#define PCI_REG_SUBSYS  0x2c /* subsystem vendor (low), subsystem id (high) */

#define PCI_COMMAND_IO     0x1 /* respond to I/O space accesses */
#define PCI_COMMAND_MEMORY 0x2 /* respond to memory space accesses */
#define PCI_COMMAND_MASTER 0x4 /* may master the bus (DMA) */

struct pci_device {
    uint8_t pd_bus, pd_slot, pd_func;
    uint16_t pd_vendor, pd_device;
    uint32_t pd_class; /* class, subclass, prog-if, revision (register 0x08) */
};

void pci_scan(void);
unsigned pci_device_count(void);
const struct pci_device *pci_find(uint16_t vendor, uint16_t device, unsigned index);
uint32_t pci_config_read(const struct pci_device *pd, unsigned reg);
void pci_config_write(const struct pci_device *pd, unsigned reg, uint32_t value);

#endif

/* SPDX-License-Identifier: MIT
 * The 16550 UART on COM1, the kernel's console (device/serial.c).
 */
#ifndef _DEVICE_SERIAL_H_
#define _DEVICE_SERIAL_H_

void serial_init(void);
void serial_putc(char c);

#endif

// SPDX-License-Identifier: MIT
//
// 16550 UART driver for COM1, polled.  This is the kernel console: output
// only, written with interrupts off by the console layer (kern/console.c),
// which owns the lock.  Input and the Mach device interface come later.

#include <device/serial.h>
#include <machine/cpufunc.h>

#define COM1 0x3F8

// Register offsets from the base port.
#define UART_DATA 0 // receive/transmit buffer (DLAB=0), divisor low (DLAB=1)
#define UART_IER  1 // interrupt enable (DLAB=0), divisor high (DLAB=1)
#define UART_FCR  2 // FIFO control
#define UART_LCR  3 // line control
#define UART_MCR  4 // modem control
#define UART_LSR  5 // line status

#define LCR_DLAB     0x80
#define LCR_8N1      0x03
#define LSR_THR_EMPT 0x20

// Programs 115200 baud, 8 data bits, no parity, one stop bit, FIFOs on.
void
serial_init(void)
{
    outb(COM1 + UART_IER, 0x00);
    outb(COM1 + UART_LCR, LCR_DLAB);
    outb(COM1 + UART_DATA, 1); // divisor 1: 115200 baud
    outb(COM1 + UART_IER, 0);
    outb(COM1 + UART_LCR, LCR_8N1);
    outb(COM1 + UART_FCR, 0xC7); // enable and clear FIFOs, 14-byte threshold
    outb(COM1 + UART_MCR, 0x03); // DTR, RTS
}

// Waits for room in the transmitter, then sends one byte.  "\n" becomes
// "\r\n" so logs read well on a terminal.
void
serial_putc(char c)
{
    if (c == '\n')
        serial_putc('\r');
    while ((inb(COM1 + UART_LSR) & LSR_THR_EMPT) == 0)
        ;
    outb(COM1 + UART_DATA, (unsigned char)c);
}

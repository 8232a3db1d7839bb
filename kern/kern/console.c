// SPDX-License-Identifier: MIT
//
// Kernel console output (see console.h).

#include <kern/console.h>
#include <kern/spinlock.h>
#include <device/serial.h>
#include <lib/printf.h>

int console_loglevel = LOG_INFO;
static struct spinlock console_lock = SPINLOCK_INIT("console", LOCK_RANK_CONSOLE);

static void
console_putc(char c, void *arg)
{
    (void)arg;
    serial_putc(c);
}

void
console_init(void)
{
    serial_init();
}

int
vkprintf(const char *fmt, va_list ap)
{
    spin_lock(&console_lock);
    int n = vformat(console_putc, NULL, fmt, ap);
    spin_unlock(&console_lock);
    return n;
}

int
kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vkprintf(fmt, ap);
    va_end(ap);
    return n;
}

int
kprintf_unlocked(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vformat(console_putc, NULL, fmt, ap);
    va_end(ap);
    return n;
}

void
klog(int level, const char *fmt, ...)
{
    if (level > console_loglevel)
        return;
    va_list ap;
    va_start(ap, fmt);
    vkprintf(fmt, ap);
    va_end(ap);
}

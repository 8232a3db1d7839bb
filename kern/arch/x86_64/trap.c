// SPDX-License-Identifier: MIT
// PLACEHOLDER (being replaced): descriptor tables and trap handling.
#include <kern/intr.h>

void
intr_init(void)
{
}

bool
intr_register(unsigned vector, intr_handler_t handler, void *arg)
{
    (void)vector;
    (void)handler;
    (void)arg;
    return false;
}

// SPDX-License-Identifier: MIT
// PLACEHOLDER (being replaced): TSC clock, LAPIC timer, callouts.
#include <kern/clock.h>

void
clock_init(void)
{
}

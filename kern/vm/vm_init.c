// SPDX-License-Identifier: MIT
// PLACEHOLDER (being replaced): kernel memory bring-up.
#include <vm/vm_init.h>

void
vm_bootstrap(void)
{
}

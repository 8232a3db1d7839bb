# SPDX-License-Identifier: MIT
#
# Settings for the freestanding x86-64 tree.  QUAY_SDK and QUAY_MIG come from
# the host build that configures this one.
if(NOT QUAY_SDK)
    message(FATAL_ERROR "configure the target tree through the top-level build (./quay build)")
endif()

# Flags for code that runs in the kernel.
set(QUAY_KERNEL_CFLAGS -mcmodel=kernel -mno-red-zone -mgeneral-regs-only -fno-builtin
    -fno-strict-aliasing -fno-common -g -O2)

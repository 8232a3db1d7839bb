# SPDX-License-Identifier: MIT
#
# Toolchain for Quay's freestanding x86-64 code: the host gcc (Debian 12's is
# an x86-64 compiler) used without its C library, start files or PIE defaults.
# Kernel-only flags (-mcmodel=kernel, -mno-red-zone, -mgeneral-regs-only) are
# added per target in kern/CMakeLists.txt; user programs get their own.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(QUAY_TARGET ON)

find_program(QUAY_GCC NAMES x86_64-linux-gnu-gcc gcc REQUIRED)
set(CMAKE_C_COMPILER ${QUAY_GCC})
set(CMAKE_ASM_COMPILER ${QUAY_GCC})
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(CMAKE_C_FLAGS_INIT
    "-ffreestanding -fno-pie -fno-pic -fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables -fno-omit-frame-pointer")
set(CMAKE_ASM_FLAGS_INIT "-fno-pie -fno-pic")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments")

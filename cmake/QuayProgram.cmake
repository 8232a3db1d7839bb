# SPDX-License-Identifier: MIT
#
# Building user-space code for Quay in the target tree.
#
# quay_user_code(target)
#     Compile TARGET (a library or program) as Quay user code: hosted C on
#     newlib (its headers from the SDK, then gcc's own), static, non-PIC,
#     with the house warnings.  Sources see include/ and libmach's headers
#     from the source tree and the generated mig headers from the build tree.
#
# quay_program(name SOURCES src... [MACH])
#     A program linked like `quay-cc --mach`: crt0, the program, then
#     libc-port's Mach runtime, libmach, newlib's libc and libm and libgcc,
#     with libc-port/user.ld.  MACH is required for now: the Unix flavour
#     arrives with the Unix server.
include_guard(GLOBAL)

# Cache variables: the include guard skips this file in every directory but
# the first, and the functions below run in all of them.
execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=include
                OUTPUT_VARIABLE gcc_include OUTPUT_STRIP_TRAILING_WHITESPACE)
set(QUAY_GCC_INCLUDE ${gcc_include} CACHE INTERNAL "gcc's own headers")
set(QUAY_USER_LD ${CMAKE_SOURCE_DIR}/libc-port/user.ld CACHE INTERNAL "user linker script")
set(QUAY_MIG_INCLUDE ${CMAKE_BINARY_DIR}/libmach/include CACHE INTERNAL "generated headers")

function(quay_user_code target)
    target_compile_options(${target} PRIVATE -fhosted -nostdinc -fno-stack-protector -O2 -g
        $<$<COMPILE_LANGUAGE:C>:${QUAY_WARNINGS}>)
    target_include_directories(${target} BEFORE PRIVATE ${CMAKE_SOURCE_DIR}/include
        ${CMAKE_SOURCE_DIR}/libmach/include ${QUAY_MIG_INCLUDE})
    # As options, not include directories: CMake drops gcc's own include
    # directory from include lists (it is an "implicit" one), but after
    # -nostdinc it must be named, and after newlib's.
    target_compile_options(${target} PRIVATE "SHELL:-isystem ${QUAY_SDK}/include"
        "SHELL:-isystem ${QUAY_GCC_INCLUDE}")
    add_dependencies(${target} newlib mach-headers)
endfunction()

function(quay_program name)
    cmake_parse_arguments(P "MACH" "" "SOURCES" ${ARGN})
    if(NOT P_MACH)
        message(FATAL_ERROR "quay_program(${name}): Unix programs need the Unix server; "
                            "pass MACH for a bare Mach task")
    endif()
    add_executable(${name} ${P_SOURCES} $<TARGET_OBJECTS:crt0>)
    quay_user_code(${name})
    target_link_options(${name} PRIVATE -T ${QUAY_USER_LD})
    target_link_libraries(${name} PRIVATE -Wl,--start-group cport-mach mach
        ${QUAY_SDK}/lib/libc.a ${QUAY_SDK}/lib/libm.a -lgcc -Wl,--end-group)
    set_target_properties(${name} PROPERTIES LINK_DEPENDS ${QUAY_USER_LD})
endfunction()

# SPDX-License-Identifier: MIT
#
# Helpers for host-built code: tools and unit tests run on Linux.

# quay_host_sanitize(target): build and link TARGET under AddressSanitizer and
# UndefinedBehaviorSanitizer, stopping at the first report.
function(quay_host_sanitize target)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined
        -fno-sanitize-recover=all -fno-omit-frame-pointer -g)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
endfunction()

# quay_host_test(name SOURCES...): a sanitized host unit test registered with
# ctest under the label "host".  Kernel sources under test are compiled with
# -DQUAY_HOST so they can swap in host stand-ins for locks and printing.
function(quay_host_test name)
    add_executable(${name} ${ARGN})
    target_compile_options(${name} PRIVATE ${QUAY_WARNINGS})
    target_compile_definitions(${name} PRIVATE QUAY_HOST=1)
    target_include_directories(${name} PRIVATE
        ${CMAKE_SOURCE_DIR}/test/host ${CMAKE_SOURCE_DIR}/kern ${CMAKE_SOURCE_DIR}/include)
    quay_host_sanitize(${name})
    add_test(NAME host.${name} COMMAND ${name})
    set_tests_properties(host.${name} PROPERTIES LABELS host TIMEOUT 120)
endfunction()

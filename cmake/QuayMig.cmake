# SPDX-License-Identifier: MIT
#
# quay_mig(<file.defs> [USER] [SERVER] [KERNEL]
#          [NAME base] [OUTPUT_DIR dir] [INCLUDES dir...] [DEFINES sym[=val]...]
#          [OUT_VAR var])
#
# Run mig on <file.defs> at build time.  USER writes <base>User.c and
# <base>.h, SERVER writes <base>Server.c and <base>Server.h (both when
# neither is given).  <base> defaults to the .defs file's name.  KERNEL
# preprocesses with -DMACH_KERNEL and -DKERNEL_USER / -DKERNEL_SERVER as
# GNU Mach's .defs files expect.  Files go to OUTPUT_DIR (default
# ${CMAKE_CURRENT_BINARY_DIR}/mig); the list of generated .c and .h files is
# stored in OUT_VAR.  <repo>/include is always on the preprocessor path.
#
# The mig used is the `mig` target when this build has one (host tree),
# otherwise ${QUAY_MIG} (the target tree gets it from the host build).
include_guard(GLOBAL)

# A cache variable: the include guard skips this file in every directory but
# the first, and quay_mig() runs in all of them.
set(QUAY_MIG_MODULE_DIR ${CMAKE_CURRENT_LIST_DIR} CACHE INTERNAL "where QuayMig.cmake lives")

function(_quay_mig_run defs side flags outputs mig mig_dep)
    add_custom_command(OUTPUT ${outputs}
        COMMAND ${mig} ${flags} ${defs}
        DEPENDS ${defs} ${mig_dep} ${QUAY_MIG_MODULE_DIR}/../include/mach/std_types.defs
        COMMENT "mig ${side}: ${defs}"
        VERBATIM)
endfunction()

function(quay_mig defs)
    cmake_parse_arguments(M "USER;SERVER;KERNEL" "NAME;OUTPUT_DIR;OUT_VAR" "INCLUDES;DEFINES"
                          ${ARGN})
    get_filename_component(defs ${defs} ABSOLUTE)
    get_filename_component(base ${defs} NAME_WE)
    if(M_NAME)
        set(base ${M_NAME})
    endif()
    set(dir ${CMAKE_CURRENT_BINARY_DIR}/mig)
    if(M_OUTPUT_DIR)
        set(dir ${M_OUTPUT_DIR})
    endif()
    if(NOT M_USER AND NOT M_SERVER)
        set(M_USER ON)
        set(M_SERVER ON)
    endif()
    if(TARGET mig)
        set(mig $<TARGET_FILE:mig>)
        set(mig_dep mig)
    elseif(QUAY_MIG)
        set(mig ${QUAY_MIG})
        set(mig_dep ${QUAY_MIG})
    else()
        message(FATAL_ERROR "quay_mig: no mig target and QUAY_MIG is not set")
    endif()
    file(MAKE_DIRECTORY ${dir})
    set(cpp -I${QUAY_MIG_MODULE_DIR}/../include)
    foreach(inc ${M_INCLUDES})
        list(APPEND cpp -I${inc})
    endforeach()
    foreach(def ${M_DEFINES})
        list(APPEND cpp -D${def})
    endforeach()
    if(M_KERNEL)
        list(APPEND cpp -DMACH_KERNEL=1 -DKERNEL=1)
    endif()
    set(generated)
    if(M_USER)
        set(out ${dir}/${base}User.c ${dir}/${base}.h)
        set(flags ${cpp} -user ${dir}/${base}User.c -header ${dir}/${base}.h
                  -server /dev/null)
        if(M_KERNEL)
            list(APPEND flags -DKERNEL_USER=1)
        endif()
        _quay_mig_run(${defs} user "${flags}" "${out}" ${mig} ${mig_dep})
        list(APPEND generated ${out})
    endif()
    if(M_SERVER)
        set(out ${dir}/${base}Server.c ${dir}/${base}Server.h)
        set(flags ${cpp} -user /dev/null -header /dev/null -server ${dir}/${base}Server.c
                  -sheader ${dir}/${base}Server.h)
        if(M_KERNEL)
            list(APPEND flags -DKERNEL_SERVER=1)
        endif()
        _quay_mig_run(${defs} server "${flags}" "${out}" ${mig} ${mig_dep})
        list(APPEND generated ${out})
    endif()
    if(M_OUT_VAR)
        set(${M_OUT_VAR} ${generated} PARENT_SCOPE)
    endif()
endfunction()

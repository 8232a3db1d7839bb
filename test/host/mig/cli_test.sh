#!/bin/sh
# SPDX-License-Identifier: MIT
#
# cli_test.sh MIG SRC_DIR INCLUDE_DIR WORK_DIR: the mig command line:
# default file names, -I/-D through cpp, error positions in included files,
# exit codes, usage errors.
set -u
mig=$1 src=$2 inc=$3 work=$4
fail=0
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

check() { # name, condition (shell)
    if eval "$2"; then echo "PASS $1"; else echo "FAIL $1"; fail=1; fi
}

"$mig" -I"$inc" -I"$src" "$src/loop.defs" 2>err.txt
check default_outputs '[ $? -eq 0 ] && [ -s loopUser.c ] && [ -s loop.h ] && [ -s loopServer.c ]'
check no_sheader_by_default '[ ! -e loopServer.h ]'

printf 'subsystem d 1;\n#include <mach/std_types.defs>\n#ifdef WANT\nroutine r(p: mach_port_t);\n#endif\n' > d.defs
"$mig" -I "$inc" -D WANT -user u.c -header u.h -server s.c -sheader s.h d.defs
check define_reaches_cpp 'grep -q "^r(" u.c'

printf 'subsystem e 1;\n#include "inner.defs"\n' > outer.defs
printf '\n\ntype x = array[*:4] of nope;\n' > inner.defs
"$mig" outer.defs 2>err.txt
code=$?
check error_exit_code '[ $code -eq 1 ]'
check error_position_in_included_file 'grep -q "^inner.defs:3:24: error: unknown type .nope." err.txt'
check no_output_on_error '[ ! -e eUser.c ]'

"$mig" -bogus x.defs 2>err.txt
code=$?
check usage_error '[ $code -eq 2 ] && grep -q "unknown option" err.txt'
"$mig" missing.defs 2>err.txt
check missing_file '[ $? -ne 0 ]'
exit $fail

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# check-sdk.sh TEST SDK SRC WORK: one host-side check of build/sdk (see
# CMakeLists.txt here).  Prints what it checked; exits non-zero on the first
# failure with the reason.
set -euo pipefail
test=$1 SDK=$2 SRC=$3 WORK=$4
rm -rf "$WORK" && mkdir -p "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }

quay_cc_builds_static_mach_task() {
    local exe=$WORK/hello_mach
    "$SDK/bin/quay-cc" --mach -O2 -Wall -Wextra -Werror "$SRC/test/user/hello_mach.c" -o "$exe"
    local hdr; hdr=$(readelf -h "$exe")
    grep -q 'Class: *ELF64' <<<"$hdr" || fail "not ELF64"
    grep -q 'Type: *EXEC' <<<"$hdr" || fail "not a static non-PIE executable (ET_EXEC)"
    grep -q 'Machine: *Advanced Micro Devices X86-64' <<<"$hdr" || fail "not x86-64"
    readelf -lW "$exe" | grep -q INTERP && fail "has a program interpreter (dynamic)"
    readelf -SW "$exe" | grep -q '\.dynamic' && fail "has a .dynamic section"
    local entry start
    entry=$(readelf -h "$exe" | awk '/Entry point/ {print $4}')
    start=$(nm "$exe" | awk '$3 == "_start" {print "0x" $1}')
    [ -n "$start" ] && [ $((entry)) -eq $((start)) ] || fail "entry $entry is not _start ($start)"
    local undef; undef=$(nm -u "$exe")
    [ -z "$undef" ] || fail "undefined symbols: $undef"
    local first; first=$(readelf -lW "$exe" | awk '$1 == "LOAD" {print $3; exit}')
    [ $((first)) -eq $((0x400000)) ] || fail "first segment at $first, not 0x400000"
    echo "ok: static ELF64 x86-64 at 0x400000, entry _start, no undefined symbols"
}

quay_cc_refuses_unix_programs() {
    local out
    if out=$("$SDK/bin/quay-cc" "$SRC/test/user/hello_mach.c" -o "$WORK/x" 2>&1); then
        fail "quay-cc without --mach succeeded"
    fi
    grep -q "Unix server" <<<"$out" || fail "no clear message: $out"
    echo "ok: refused with: ${out%%$'\n'*}"
}

kernel_defs_generate_all_sides() {
    local defs name gcc_inc
    gcc_inc=$(gcc -print-file-name=include)
    for defs in mach mach_port mach_host notify quay; do
        name=$WORK/$defs
        "$SDK/bin/mig" -I"$SRC/include" -user "$name"User.c -header "$name".h \
            -server "$name"Server.c -sheader "$name"Server.h "$SRC/include/mach/$defs.defs"
        "$SDK/bin/mig" -I"$SRC/include" -DMACH_KERNEL=1 -DKERNEL=1 -DKERNEL_SERVER=1 \
            -user /dev/null -header /dev/null -server "$name"KServer.c \
            -sheader "$name"KServer.h "$SRC/include/mach/$defs.defs"
        "$SDK/bin/mig" -I"$SRC/include" -DMACH_KERNEL=1 -DKERNEL=1 -DKERNEL_USER=1 \
            -user "$name"KUser.c -header "$name"K.h -server /dev/null \
            "$SRC/include/mach/$defs.defs"
        gcc -std=gnu11 -fsyntax-only -Wall -Wextra -Werror -Wstrict-prototypes \
            -Wmissing-prototypes -nostdinc -I"$SRC/include" -I"$WORK" \
            -isystem "$SDK/include" -isystem "$gcc_inc" "$name"User.c
        echo "ok: $defs.defs: user, kernel-server and kernel-user sides; user stubs compile"
    done
}

# docs/tutorial-pager.md stays true to its example: every C block it quotes
# is in test/user/pager_tutorial_serves_a_file_like_object.c verbatim, and
# its by-hand build commands (SDK mig, quay-cc --mach) work as written.
tutorial_pager_quotes_its_example_and_builds_by_hand() {
    local doc=$SRC/docs/tutorial-pager.md
    local example=$SRC/test/user/pager_tutorial_serves_a_file_like_object.c
    local text n=0 block cmds
    text=$(<"$example")
    awk -v dir="$WORK" '/^```c$/ {on=1; n++; next} /^```$/ {on=0} on {print > (dir "/quote" n)}' \
        "$doc"
    for block in "$WORK"/quote*; do
        [[ $text == *"$(<"$block")"* ]] || fail "$(basename "$block") of $doc is not in $example"
        n=$((n + 1))
    done
    [ $n -ge 8 ] || fail "only $n quoted blocks in $doc"
    cmds=$(awk '/^    SDK=build\/sdk$/ {on=1} on && /quay run/ {exit} on {sub(/^    /, ""); print}' \
        "$doc")
    [ -n "$cmds" ] || fail "no by-hand build commands in $doc"
    cmds=${cmds//build\/sdk/$SDK}
    cmds=${cmds//test\/user/$SRC/test/user}
    (cd "$WORK" && bash -euo pipefail -c "$cmds") || fail "the by-hand build of $doc failed"
    [ -x "$WORK/pager" ] || fail "the by-hand build made no executable"
    echo "ok: $n quoted blocks are in the example; the by-hand build works"
}

"$test"

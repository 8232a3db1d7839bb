#!/bin/sh
# SPDX-License-Identifier: MIT
#
# check-layout.sh NM READELF PASS1_ELF FINAL_ELF
# Fails the build when
#  - a function's address differs between the two kernel link passes (the
#    symbol table would name the wrong functions), or
#  - the loadable segments are not laid out with one constant
#    file-offset-to-physical-address difference, which the multiboot1 a.out
#    kludge used by QEMU -kernel needs, or the multiboot1 header is not in
#    the first 8 KiB of the file.
set -e
nm_prog=$1
readelf_prog=$2
pass1=$3
final=$4

text_syms() {
    "$nm_prog" -n --defined-only "$1" | awk '$2 ~ /^[tTwW]$/ && $3 !~ /^\./ { print $1, $3 }'
}
if [ "$(text_syms "$pass1")" != "$(text_syms "$final")" ]; then
    echo "check-layout: function addresses moved between link passes" >&2
    exit 1
fi

delta=
"$readelf_prog" -lW "$final" | awk '$1 == "LOAD" { print $2, $4, $5 }' > "$final.segs"
while read -r off pa fsz; do
    [ $((fsz)) -eq 0 ] && continue
    d=$((pa - off))
    if [ -n "$delta" ] && [ "$d" -ne "$delta" ]; then
        echo "check-layout: LOAD segments are not laid out contiguously in the file" >&2
        exit 1
    fi
    delta=$d
done < "$final.segs"
rm -f "$final.segs"

hdr=$("$nm_prog" "$final" | awk '$3 == "mb1_header" { print $1 }')
start=$("$nm_prog" "$final" | awk '$3 == "kernel_start" { print $1 }')
off=$((0x$hdr - 0x$start + 0x1000))
if [ "$off" -ge 8192 ]; then
    echo "check-layout: multiboot1 header at file offset $off, beyond 8 KiB" >&2
    exit 1
fi

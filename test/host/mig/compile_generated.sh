#!/bin/sh
# SPDX-License-Identifier: MIT
#
# compile_generated.sh CC GEN_DIR SRC_DIR INCLUDE_DIR: compile every file
# mig generated for the tests with CC and the house warnings as errors,
# user-space files as they are and kernel files with -DMACH_KERNEL.
set -eu
cc=$1 gen=$2 src=$3 inc=$4
flags="-std=c11 -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes -Wshadow \
-Wundef -Wpointer-arith -fsyntax-only"
for f in "$gen"/loop*.c; do
    $cc $flags -I"$gen" -I"$src" -I"$inc" "$f"
done
for f in "$gen"/kobj*.c "$gen"/kuser*.c; do
    $cc $flags -DMACH_KERNEL -I"$gen" -I"$src" -I"$src/kernel_include" -I"$inc" "$f"
done
echo "compiled $(ls "$gen"/*.c | wc -l) generated files with $cc"

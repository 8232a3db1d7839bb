#!/bin/sh
# SPDX-License-Identifier: MIT
#
# build-newlib.sh: build newlib (Debian's newlib-source tarball) for Quay and
# install its headers and libraries into the SDK.  Called by
# libc-port/CMakeLists.txt; every step runs in the build tree, never in the
# source tree, and each step is skipped when its result is already there, so
# an interrupted build resumes and a finished one costs nothing.
#
#   build-newlib.sh TARBALL WORKDIR SDK CC AR RANLIB
#
# newlib is configured as for a bare x86_64-elf target, compiled by the host
# gcc without the host's headers (-nostdinc; only gcc's own freestanding
# headers), with these choices:
#   --disable-newlib-supplied-syscalls   libc-port supplies write(), sbrk() ...
#   --enable-newlib-reent-small          a small struct _reent per thread
#   --enable-newlib-global-stdio-streams stdin/stdout/stderr shared by threads
#   --enable-newlib-retargetable-locking libc-port supplies the locks
#   -D__DYNAMIC_REENT__                  _REENT is __getreent(): per-thread errno
# The jobs count comes from $QUAY_JOBS (as for ./quay build).
set -eu

TARBALL=$1 WORK=$2 SDK=$3 CC=$4 AR=$5 RANLIB=$6
JOBS=${QUAY_JOBS:-$(nproc)}
SRC=$WORK/newlib-salsa
BUILD=$WORK/build
STAGE=$WORK/install

# 1. Unpack (the tarball holds one directory, newlib-salsa/).
if [ ! -f "$WORK/unpacked.stamp" ]; then
    rm -rf "$SRC"
    mkdir -p "$WORK"
    tar -xf "$TARBALL" -C "$WORK"
    touch "$WORK/unpacked.stamp"
fi

# 2. Configure.
GCC_INCLUDE=$("$CC" -print-file-name=include)
CFLAGS_T="-O2 -g -nostdinc -isystem $GCC_INCLUDE -fno-pic -fno-pie -fno-stack-protector"
CFLAGS_T="$CFLAGS_T -ffunction-sections -fdata-sections -D__DYNAMIC_REENT__"
if [ ! -f "$WORK/configured.stamp" ]; then
    rm -rf "$BUILD"
    mkdir -p "$BUILD"
    (cd "$BUILD" && "$SRC/configure" --target=x86_64-elf --prefix="$STAGE" \
        --disable-multilib --disable-nls --disable-libgloss \
        --disable-newlib-supplied-syscalls --enable-newlib-reent-small \
        --enable-newlib-global-stdio-streams --enable-newlib-retargetable-locking \
        --enable-newlib-io-long-long --enable-newlib-io-c99-formats \
        CC_FOR_TARGET="$CC" AR_FOR_TARGET="$AR" RANLIB_FOR_TARGET="$RANLIB" \
        AS_FOR_TARGET=as LD_FOR_TARGET=ld NM_FOR_TARGET=nm \
        CFLAGS_FOR_TARGET="$CFLAGS_T" >"$WORK/configure.log" 2>&1) ||
        { tail -20 "$WORK/configure.log"; exit 1; }
    touch "$WORK/configured.stamp"
fi

# 3. Build and install newlib alone (not libgloss) into the staging prefix.
if [ ! -f "$WORK/installed.stamp" ]; then
    (cd "$BUILD" && make -j"$JOBS" all-target-newlib && make install-target-newlib) \
        >"$WORK/make.log" 2>&1 || { tail -30 "$WORK/make.log"; exit 1; }
    touch "$WORK/installed.stamp"
fi

# 4. Copy into the SDK: headers to sdk/include, libc.a and libm.a to sdk/lib.
#    newlib.h gains __DYNAMIC_REENT__ so that every program agrees with the
#    library on how _REENT (and so stdout, errno ...) is found.
mkdir -p "$SDK/include" "$SDK/lib"
cp -R "$STAGE/x86_64-elf/include/." "$SDK/include/"
cp "$STAGE/x86_64-elf/lib/libc.a" "$STAGE/x86_64-elf/lib/libm.a" "$SDK/lib/"
cat >>"$SDK/include/newlib.h" <<'EOT'

/* Added by Quay's libc-port: each thread has its own struct _reent, found
 * through __getreent() (libc-port/reent.c). */
#ifndef __DYNAMIC_REENT__
#define __DYNAMIC_REENT__ 1
#endif
EOT

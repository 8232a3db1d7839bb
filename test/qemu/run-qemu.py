#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run Quay in QEMU and judge the run, for ctest and ./quay.

The guest ends a run by writing its status to the isa-debug-exit device,
which makes QEMU exit with (status << 1) | 1.  Any other end -- a timeout,
QEMU exiting 0 after a triple fault with -no-reboot, a QEMU error -- is a
failure, reported with the tail of the serial log.

With --exit-with-status (./quay run --task) the run is not judged: the
script exits with the guest's status itself, 124 after a timeout and 125 if
QEMU ended without a guest status.

With --pass-on-log (for a guest that never ends, such as the ISO's
bootstrap, which idles) the run passes as soon as the serial log holds
every --expect-log pattern; QEMU is then stopped.  A guest that ends first
is judged as usual.

With --disk PATH[:SIZE] the machine gets a virtio-blk disk (legacy PCI
transport, the device Quay's kern/device/virtio_blk.c drives) backed by the
raw file PATH.  With SIZE (bytes, or with a K/M suffix) the file is written
afresh for every run with the test pattern, so tests that write to the disk
always start from the same content; without SIZE an existing file is used
as it is and a missing one is created with DISK_DEFAULT_SIZE bytes.  The
pattern: record i (512 bytes) starts with i as a 64-bit little-endian
number, and byte j >= 8 of it is (i * 7 + j) & 0xff.

Examples:
  run-qemu.py --kernel build/target/kern/quay-kernel --append ktest=all
  run-qemu.py --kernel K --append crash=pagefault --expect-status 2 \
      --expect-log 'backtrace:' --expect-log 'crash_page_fault\\+0x'
"""
import argparse
import os
import re
import subprocess
import sys
import time


STATUS_TIMEOUT = 124   # --exit-with-status: the run timed out
STATUS_NO_GUEST = 125  # --exit-with-status: QEMU ended without a guest status
DISK_RECORD = 512
DISK_DEFAULT_SIZE = 4 * 1024 * 1024


def disk_pattern(records):
    """The test pattern of the first `records` records (see the docstring)."""
    tail = bytes(range(256)) * 4  # (i*7 + j) & 0xff for j in 8..511, sliced per record
    out = bytearray()
    for i in range(records):
        start = (i * 7 + 8) & 0xff
        out += i.to_bytes(8, "little") + tail[start:start + DISK_RECORD - 8]
    return out


def parse_size(text):
    units = {"K": 1024, "M": 1024 * 1024, "G": 1024 * 1024 * 1024}
    if text and text[-1].upper() in units:
        return int(text[:-1]) * units[text[-1].upper()]
    return int(text)


def prepare_disk(spec):
    """Creates or refreshes the disk file of --disk PATH[:SIZE]; returns PATH."""
    path, _, size = spec.partition(":")
    if not size and os.path.exists(path):
        return path
    nbytes = parse_size(size) if size else DISK_DEFAULT_SIZE
    if nbytes <= 0 or nbytes % DISK_RECORD:
        sys.exit("run-qemu: --disk size must be a positive multiple of %d" % DISK_RECORD)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "wb") as f:
        f.write(disk_pattern(nbytes // DISK_RECORD))
    return path


def qemu_command(args, log):
    cmd = ["qemu-system-x86_64", "-display", "none", "-no-reboot",
           "-m", args.memory, "-smp", str(args.smp),
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
           "-serial", "file:" + log if log else "stdio"]
    if os.environ.get("QUAY_ACCEL") == "kvm":
        cmd += ["-accel", "kvm", "-cpu", "host"]
    else:
        cmd += ["-accel", "tcg", "-cpu", "max"]
    if args.icount:
        cmd += ["-icount", "shift=0"]
    if args.iso:
        cmd += ["-cdrom", args.iso, "-boot", "d"]
    else:
        cmd += ["-kernel", args.kernel]
        if args.append:
            cmd += ["-append", args.append]
        if args.initrd:
            cmd += ["-initrd", ",".join(args.initrd)]
    if args.disk:
        cmd += ["-drive", "file=%s,format=raw,if=none,id=d0" % prepare_disk(args.disk),
                "-device", "virtio-blk-pci,drive=d0"]
    if args.gdb:
        cmd += ["-s", "-S"]
    return cmd + args.qemu_arg


def guest_status(rc):
    """The guest's isa-debug-exit status, or None if QEMU ended otherwise."""
    if rc > 0 and rc & 1:
        return rc >> 1
    return None


def tail(path, n=60):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-n:])
    except OSError:
        return "(no log)"


def log_matches(log, patterns):
    """Whether the log file holds every pattern (regex, multi-line)."""
    try:
        with open(log, errors="replace") as f:
            text = f.read()
    except OSError:
        return False
    return all(re.search(p, text, re.MULTILINE) for p in patterns)


def run_until_logged(cmd, args):
    """--pass-on-log: runs QEMU until the log has every --expect-log
    pattern (then stops it and returns None) or QEMU ends (returns its
    exit code).  Raises TimeoutExpired after --timeout seconds."""
    deadline = time.monotonic() + args.timeout
    with subprocess.Popen(cmd) as qemu:
        try:
            while qemu.poll() is None:
                if log_matches(args.log, args.expect_log):
                    return None
                if time.monotonic() > deadline:
                    raise subprocess.TimeoutExpired(cmd, args.timeout)
                time.sleep(0.2)
            return qemu.returncode
        finally:
            if qemu.poll() is None:
                qemu.terminate()
                try:
                    qemu.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    qemu.kill()


def run(args):
    log = args.log
    if log:
        os.makedirs(os.path.dirname(os.path.abspath(log)), exist_ok=True)
        open(log, "w").close()
    cmd = qemu_command(args, log)
    start = time.monotonic()
    try:
        if args.pass_on_log:
            rc = run_until_logged(cmd, args)
            if rc is None:
                print("run-qemu: the log holds every expected line (%.1fs); QEMU stopped, log %s" %
                      (time.monotonic() - start, log))
                return 0
        else:
            rc = subprocess.run(cmd, timeout=args.timeout).returncode
    except subprocess.TimeoutExpired:
        fail(args, "timed out after %ds" % args.timeout, log)
        return STATUS_TIMEOUT if args.exit_with_status else 1
    elapsed = time.monotonic() - start
    status = guest_status(rc)
    if status is None:
        fail(args, "QEMU exited %d without a guest status (crash or triple fault)" % rc, log)
        return STATUS_NO_GUEST if args.exit_with_status else 1
    if args.exit_with_status:
        return status
    expected = args.expect_status
    if status != expected:
        return fail(args, "guest status %d, expected %d" % (status, expected), log)
    if log:
        with open(log, errors="replace") as f:
            text = f.read()
        for pattern in args.expect_log:
            if not re.search(pattern, text, re.MULTILINE):
                return fail(args, "log lacks /%s/" % pattern, log)
    print("run-qemu: guest status %d as expected (%.1fs)%s" %
          (status, elapsed, ", log " + log if log else ""))
    return 0


def fail(args, why, log):
    print("run-qemu: FAIL: " + why)
    if log:
        print("---- last lines of %s ----" % log)
        print(tail(log), end="")
        print("----")
    return 1


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--kernel", help="kernel ELF, booted with -kernel (multiboot1)")
    p.add_argument("--iso", help="boot this ISO through GRUB instead")
    p.add_argument("--append", default="", help="kernel command line")
    p.add_argument("--initrd", action="append", default=[],
                   help="boot module 'path [args]' (repeatable)")
    p.add_argument("--log", help="serial log file (default: serial on stdout)")
    p.add_argument("--timeout", type=int, default=120)
    p.add_argument("--memory", default="128M")
    p.add_argument("--smp", type=int, default=1)
    p.add_argument("--disk", help="virtio-blk disk backed by raw file PATH[:SIZE] (see above)")
    p.add_argument("--icount", action="store_true", help="count instructions (-icount shift=0)")
    p.add_argument("--gdb", action="store_true", help="start halted with a gdb stub on :1234")
    p.add_argument("--expect-status", type=int, default=0)
    p.add_argument("--exit-with-status", action="store_true",
                   help="exit with the guest's status instead of judging the run")
    p.add_argument("--expect-log", action="append", default=[], help="regex the log must contain")
    p.add_argument("--pass-on-log", action="store_true",
                   help="pass (and stop QEMU) once the log holds every --expect-log pattern")
    p.add_argument("--qemu-arg", action="append", default=[], help="extra QEMU argument")
    args = p.parse_args()
    if not args.kernel and not args.iso:
        p.error("--kernel or --iso is required")
    if args.pass_on_log and (not args.log or not args.expect_log or args.exit_with_status):
        p.error("--pass-on-log needs --log and --expect-log, and not --exit-with-status")
    sys.exit(run(args))


if __name__ == "__main__":
    main()

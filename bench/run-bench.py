#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run Quay's benchmarks (bench/*.c) and print a table; `./quay bench`.

Each benchmark is a Mach program run as the task under the bootstrap task
(as `./quay run --task` does) and prints one line per operation it measures

    bench: <name> iterations=<n> ticks=<total> per_op=<ticks per operation>

A program bench_X_server is not a benchmark: it is the server task of
bench_X, started beside it as a second boot module (`./quay run --with`).
A benchmark listed in MACHINES runs on the machine given there instead of
run-qemu.py's default (128 MiB, no disk).

It runs four times: with the RPC fast path on and off (kernel command line
`ipc_fastpath=1|0`), each under `-icount shift=0`, where QEMU's TSC counts
guest instructions (docs/perf.md), and without icount, where it counts the
host TSC's ticks (TCG, so only a rough guide).  The table goes to stdout,
the figures to <build>/bench/results.json.
"""
import argparse
import json
import os
import re
import subprocess
import sys

LINE = re.compile(r"^bench: (\S+) iterations=(\d+) ticks=(\d+) per_op=([0-9.]+)$", re.M)
HERE = os.path.dirname(os.path.abspath(__file__))
RUN_QEMU = os.path.join(HERE, "..", "test", "qemu", "run-qemu.py")

# Benchmarks that need their own machine: memory, a disk (its size; the
# file is made afresh in the log directory for each run, and removed after
# it) and the default pager on that disk as a second boot module, as
# test/qemu/CMakeLists.txt runs the paging_* tests.
MACHINES = {
    # Twice the RAM of a 32 MiB machine through the default pager.
    "bench_paging": {"memory": "32M", "disk": "96M", "default_pager": True},
}


def run_one(build, prog, fast, icount, logdir):
    """Boots one benchmark (with its server, if it has one); returns its
    results [(name, iterations, per_op)] in the order printed, or raises."""
    target = os.path.join(build, "target")
    mode = "%s-%s" % ("icount" if icount else "tsc", "fast" if fast else "slow")
    log = os.path.join(logdir, "%s.%s.log" % (prog, mode))
    cmd = [RUN_QEMU, "--kernel", os.path.join(target, "kern", "quay-kernel"),
           "--append", "ipc_fastpath=%d" % (1 if fast else 0),
           "--initrd", os.path.join(target, "boot", "bootstrap", "bootstrap") + " --task",
           "--initrd", os.path.join(target, "bench", prog)]
    server = os.path.join(target, "bench", prog + "_server")
    if os.path.exists(server):
        cmd += ["--initrd", server]
    machine = MACHINES.get(prog, {})
    disk = os.path.join(logdir, prog + ".img")
    if "memory" in machine:
        cmd += ["--memory", machine["memory"]]
    if "disk" in machine:
        cmd += ["--disk", disk + ":" + machine["disk"]]
    if machine.get("default_pager"):
        cmd += ["--initrd", os.path.join(target, "default-pager", "default-pager") + " hd0"]
    cmd += ["--exit-with-status", "--log", log, "--timeout", "600"]
    if icount:
        cmd.append("--icount")
    rc = subprocess.run(cmd).returncode
    if "disk" in machine and os.path.exists(disk):  # the next run makes it afresh
        os.remove(disk)
    text = open(log, errors="replace").read()
    found = [(m.group(1), int(m.group(2)), float(m.group(4))) for m in LINE.finditer(text)]
    if rc != 0 or not found:
        raise RuntimeError("%s (%s) failed with status %d; see %s" % (prog, mode, rc, log))
    return found


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", required=True, help="the build directory (./quay's BUILD_DIR)")
    p.add_argument("--no-tsc", action="store_true", help="skip the runs without icount")
    p.add_argument("only", nargs="*", help="run only these benchmarks (e.g. null_rpc)")
    args = p.parse_args()

    bindir = os.path.join(args.build, "target", "bench")
    progs = sorted(f for f in os.listdir(bindir)
                   if f.startswith("bench_") and not f.endswith("_server")
                   and os.access(os.path.join(bindir, f), os.X_OK)
                   and not os.path.isdir(os.path.join(bindir, f)))
    if args.only:
        progs = [q for q in progs if q[len("bench_"):] in args.only]
    outdir = os.path.join(args.build, "bench")
    os.makedirs(outdir, exist_ok=True)
    results = []
    for prog in progs:
        rows = {}  # operation -> row, in the order the program prints them
        for fast in (True, False):
            key = "fast" if fast else "slow"
            for name, iters, instr in run_one(args.build, prog, fast, True, outdir):
                row = rows.setdefault(name, {"program": prog, "operation": name})
                row["iterations"] = iters
                row["instructions_per_op_" + key] = instr
            if not args.no_tsc:
                for name, _, ticks in run_one(args.build, prog, fast, False, outdir):
                    rows.setdefault(name, {"program": prog, "operation": name})
                    rows[name]["tsc_ticks_per_op_" + key] = ticks
        for row in rows.values():
            if "instructions_per_op_fast" not in row or "instructions_per_op_slow" not in row:
                raise RuntimeError("%s: %s missing from a run; see the logs in %s"
                                   % (prog, row["operation"], outdir))
            results.append(row)

    head = "%-26s %10s %14s %14s %8s" % ("operation", "iterations", "instr/op fast",
                                          "instr/op slow", "saved")
    if not args.no_tsc:
        head += " %13s %13s" % ("tsc/op fast", "tsc/op slow")
    print(head)
    for r in results:
        fast, slow = r["instructions_per_op_fast"], r["instructions_per_op_slow"]
        line = "%-26s %10d %14.1f %14.1f %7.1f%%" % (r["operation"], r["iterations"], fast, slow,
                                                    100.0 * (slow - fast) / slow)
        if not args.no_tsc:
            line += " %13.1f %13.1f" % (r.get("tsc_ticks_per_op_fast", float("nan")),
                                        r.get("tsc_ticks_per_op_slow", float("nan")))
        print(line)
    out = os.path.join(outdir, "results.json")
    with open(out, "w") as f:
        json.dump({"method": "QEMU TCG, -icount shift=0: TSC ticks = guest instructions; "
                             "tsc_* without icount", "results": results}, f, indent=2)
        f.write("\n")
    print("bench: figures in %s, logs in %s" % (out, outdir))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except RuntimeError as e:
        print("bench: " + str(e), file=sys.stderr)
        sys.exit(1)

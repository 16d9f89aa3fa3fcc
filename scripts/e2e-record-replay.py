#!/usr/bin/env python3
"""End-to-end wall time of the tinyos commands a user types, cold JVM each time.

`./tinyos bench --record` measures recording and replay in the steady state, in one warm JVM.
This script measures what `time` shows for the commands themselves — JVM start, Chronicle's
first queue, trace creation and checking included — for the bench's three workloads (CPU
benchmark, boot + kstress + forkstorm, boot + blkbench x4 on a 4 MiB disk), all on the
virtual clock: a plain run (`run --no-record`), a recorded run (`run --trace`), `verify` and
`replay` of that trace, interleaved round by round. It prints the median of each and the
medians of the per-round ratios to the plain run, and also the run time `tinyos run` reports
itself ("N instructions in X s": boot to halt, start-up excluded).

usage: scripts/e2e-record-replay.py [ROUNDS] [--workloads cpu,stress,disk]
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TINYOS = os.path.join(ROOT, "tinyos")
STRESS = "kstress 4 40000\nforkstorm\nkstress 8 8000\npoweroff\n"
DISK = "blkbench 1024 4\n" * 4 + "poweroff\n"
MODES = ("plain", "record", "verify", "replay")


def timed(args, stdin_text):
    """Runs a command; returns (wall seconds, the run time it reports or None)."""
    t0 = time.monotonic()
    p = subprocess.run(args, input=stdin_text.encode(), stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, cwd=ROOT)
    wall = time.monotonic() - t0
    err = p.stderr.decode(errors="replace")
    if p.returncode != 0:
        sys.exit("e2e: %s failed (exit %d): %s" % (" ".join(args[1:]), p.returncode, err.strip()[-300:]))
    m = re.search(r"instructions in ([0-9.]+) s", err)
    return wall, float(m.group(1)) if m else None


def one_round(workload, work):
    trace = os.path.join(work, "trace-" + workload)
    shutil.rmtree(trace, ignore_errors=True)
    run = [TINYOS, "run", "--clock", "virtual"]
    text = ""
    if workload == "cpu":
        run += ["--kernel", os.path.join(ROOT, "guest", "build", "bench.elf")]
    elif workload == "stress":
        text = STRESS
    else:
        disk = os.path.join(work, "disk.img")
        subprocess.run([TINYOS, "mkdisk", "--size", "4M", "--force", disk], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        run += ["--disk", disk]
        text = DISK
    out = {}
    out["plain"] = timed(run + ["--no-record"], text)
    out["record"] = timed(run + ["--trace", trace], text)
    out["verify"] = timed([TINYOS, "verify", trace], "")
    out["replay"] = timed([TINYOS, "replay", trace], "")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rounds", nargs="?", type=int, default=5)
    ap.add_argument("--workloads", default="cpu,stress,disk")
    a = ap.parse_args()
    subprocess.run([TINYOS, "--version"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # build once
    work = tempfile.mkdtemp(prefix="tinyos-e2e-")
    try:
        for w in a.workloads.split(","):
            rounds = [one_round(w, work) for _ in range(max(1, a.rounds))]
            med = {m: statistics.median(r[m][0] for r in rounds) for m in MODES}
            ratio = {m: statistics.median(r[m][0] / r["plain"][0] for r in rounds) for m in MODES}
            runs = {m: statistics.median(r[m][1] for r in rounds) for m in ("plain", "record")}
            print("%-6s (%d rounds) wall medians: plain %.2f s, record %.2f s (%.2fx), verify %.2f s (%.2fx), "
                  "replay %.2f s (%.2fx); run time reported by tinyos run: plain %.2f s, recorded %.2f s (%+.1f %%)"
                  % (w, len(rounds), med["plain"], med["record"], ratio["record"], med["verify"], ratio["verify"],
                     med["replay"], ratio["replay"], runs["plain"], runs["record"],
                     (runs["record"] - runs["plain"]) * 100 / runs["plain"]))
            sys.stdout.flush()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Times xv6-riscv (../shared/thirdparty/xv6-riscv, unmodified) on our emulator and on QEMU in
the same run: boot to the shell prompt, then `usertests -q` to ALL TESTS PASSED.

Engines: ours plain (run --no-record), ours recorded on the virtual clock and on the host clock
(run --trace DIR; the trace is verified afterwards), QEMU plain, and QEMU's record mode
(-icount shift=auto,rr=record with a blkreplay drive), each on a fresh copy of fs.img, each
capped at --cap seconds (a capped run is reported as such, never as a time; a guest panic or an
engine that ends early is reported with its reason). Prints one line per
engine and the ratios against QEMU plain.

usage: scripts/xv6-bench.py [--engines ours,ours-rec,ours-rec-host,qemu,qemu-rr] [--cap S]
                            [--boot-only]
"""
import argparse
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
XV6 = os.path.join(os.path.dirname(ROOT), "shared", "thirdparty", "xv6-riscv")


def qemu_cmd(kernel, disk, record, work):
    cmd = ["qemu-system-riscv64", "-machine", "virt", "-bios", "none", "-m", "128M", "-smp", "1",
           "-display", "none", "-serial", "stdio", "-monitor", "none", "-kernel", kernel,
           "-global", "virtio-mmio.force-legacy=false"]
    if record:
        return cmd + ["-icount", "shift=auto,rr=record,rrfile=" + os.path.join(work, "rr.bin"),
                      "-drive", "file=%s,format=raw,if=none,id=img-direct" % disk,
                      "-drive", "driver=blkreplay,if=none,image=img-direct,id=img-blkreplay",
                      "-device", "virtio-blk-device,drive=img-blkreplay,bus=virtio-mmio-bus.0"]
    return cmd + ["-drive", "file=%s,format=raw,if=none,id=x0" % disk,
                  "-device", "virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0"]


TINYOS = os.path.join(ROOT, "tinyos")


def ours_cmd(kernel, disk, mode, work):
    cmd = [TINYOS, "run", "--kernel", kernel, "--disk", disk]
    if mode == "ours":
        return cmd + ["--no-record"]
    clock = "host" if mode == "ours-rec-host" else "virtual"
    return cmd + ["--trace", os.path.join(work, "trace"), "--clock", clock]


def wait_for(proc, buf, text, deadline):
    """None once text shows, else why not: 'capped', the guest's panic line, or 'ended early'."""
    while text not in buf[0]:
        m = re.search(rb"panic: [^\n]*", buf[0])
        if m:
            return "panicked (%s)" % m.group(0).decode(errors="replace").strip()
        left = deadline - time.time()
        if left <= 0:
            return "capped"
        ready, _, _ = select.select([proc.stdout], [], [], left)
        if not ready:
            return "capped"
        data = os.read(proc.stdout.fileno(), 65536)
        if not data:
            return "ended early (exit %s)" % proc.poll()
        buf[0] += data
    return None


def run_engine(engine, args, work):
    disk = os.path.join(work, "fs.img")
    shutil.copyfile(os.path.join(XV6, "fs.img"), disk)
    kernel = os.path.join(XV6, "kernel")
    if engine.startswith("qemu"):
        cmd = qemu_cmd(kernel, disk, engine == "qemu-rr", work)
    else:
        cmd = ours_cmd(kernel, disk, engine, work)
    t0 = time.time()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    buf = [b""]
    result = {"engine": engine}
    try:
        why = wait_for(proc, buf, b"$ ", t0 + args.cap)
        if why:
            result["boot"] = why
            return result
        result["boot"] = time.time() - t0
        if args.boot_only:
            return result
        buf[0] = b""
        t1 = time.time()
        proc.stdin.write(b"usertests -q\n")
        proc.stdin.flush()
        why = wait_for(proc, buf, b"ALL TESTS PASSED", t1 + args.cap)
        result["usertests"] = why or time.time() - t1
        if why and b"FAILED" in buf[0]:
            result["failed"] = True
        return result
    finally:
        if engine.startswith("ours"):
            proc.send_signal(signal.SIGINT)  # stops like Ctrl-A x: the trace gets its end
        else:
            proc.kill()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
        if engine.startswith("ours-rec") and isinstance(result.get("usertests"), float):
            v = subprocess.run([TINYOS, "verify", os.path.join(work, "trace")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            result["verify"] = "exit %d" % v.returncode
            if v.returncode != 0:
                result["verify"] += " (" + v.stderr.decode(errors="replace").strip().replace("\n", " / ")[:600] + ")"


def fmt(v, cap):
    if v is None:
        return "not run"
    if v == "capped":
        return "capped at %d s" % cap
    return v if isinstance(v, str) else "%.2f s" % v


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--engines", default="ours,ours-rec,ours-rec-host,qemu,qemu-rr")
    p.add_argument("--cap", type=float, default=1500)
    p.add_argument("--boot-only", action="store_true")
    args = p.parse_args()
    if not os.path.isfile(os.path.join(XV6, "kernel")):
        sys.exit("xv6-bench: no xv6 build at %s" % XV6)
    results = []
    for engine in args.engines.split(","):
        with tempfile.TemporaryDirectory(prefix="xv6-bench-") as work:
            r = run_engine(engine, args, work)
        results.append(r)
        line = "%-14s boot %s" % (engine, fmt(r.get("boot"), args.cap))
        if not args.boot_only:
            line += ", usertests -q %s" % fmt(r.get("usertests"), args.cap)
            if r.get("failed"):
                line += " (FAILED)"
        if "verify" in r:
            line += ", verify %s" % r["verify"]
        print(line, flush=True)
    ref = next((r for r in results if r["engine"] == "qemu"), None)
    if ref:
        for r in results:
            for k in ("boot", "usertests"):
                if r is not ref and isinstance(r.get(k), float) and isinstance(ref.get(k), float):
                    print("ratio %s/qemu %s: %.2fx" % (r["engine"], k, r[k] / ref[k]))


if __name__ == "__main__":
    main()

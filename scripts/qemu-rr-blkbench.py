#!/usr/bin/env python3
"""Times tiny-os's `blkbench 1024 4` on QEMU, plain and under QEMU's own record mode.

The reference figure for docs/RECORDING.md: QEMU's record/replay (-icount shift=auto,
rr=record with a blkreplay drive) on the same kernel ELF and workload that
`./tinyos bench --record` times. Each blkbench line is typed only once the shell prompt
is up, and timed until blkbench prints its last line.

usage: scripts/qemu-rr-blkbench.py [plain|record] [RUNS] [--kernel ELF] [--timeout S]
"""
import argparse
import os
import select
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def qemu_command(kernel, disk, mode, workdir):
    cmd = ["qemu-system-riscv64", "-machine", "virt", "-bios", "none", "-m", "128M",
           "-display", "none", "-serial", "stdio", "-monitor", "none", "-kernel", kernel,
           "-global", "virtio-mmio.force-legacy=false"]
    if mode == "record":
        return cmd + ["-icount", "shift=auto,rr=record,rrfile=" + os.path.join(workdir, "rr.bin"),
                      "-drive", "file=%s,format=raw,if=none,id=img-direct" % disk,
                      "-drive", "driver=blkreplay,if=none,image=img-direct,id=img-blkreplay",
                      "-device", "virtio-blk-device,drive=img-blkreplay"]
    return cmd + ["-drive", "file=%s,format=raw,if=none,id=d0" % disk,
                  "-device", "virtio-blk-device,drive=d0"]


class Console:
    """QEMU's serial console: waits for text with a deadline."""

    def __init__(self, proc):
        self.proc = proc
        self.buf = b""

    def wait_for(self, text, timeout):
        end = time.time() + timeout
        while text not in self.buf:
            ready, _, _ = select.select([self.proc.stdout], [], [], max(0.0, end - time.time()))
            if not ready:
                return False
            data = os.read(self.proc.stdout.fileno(), 4096)
            if not data:
                return False
            self.buf += data
        return True

    def type(self, line):
        self.buf = b""
        self.proc.stdin.write(line)
        self.proc.stdin.flush()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mode", nargs="?", default="record", choices=["plain", "record"])
    ap.add_argument("runs", nargs="?", type=int, default=2)
    ap.add_argument("--kernel", default=os.path.join(ROOT, "guest/build/kernel.elf"))
    ap.add_argument("--timeout", type=float, default=900, help="seconds allowed per blkbench")
    a = ap.parse_args()
    if not os.path.exists(a.kernel):
        sys.exit("no kernel at %s: build it with make -C guest" % a.kernel)
    with tempfile.TemporaryDirectory(prefix="qemu-rr-") as work:
        disk = os.path.join(work, "disk.img")
        with open(disk, "wb") as f:
            f.truncate(4 << 20)
        proc = subprocess.Popen(qemu_command(a.kernel, disk, a.mode, work), stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        con = Console(proc)
        try:
            if not con.wait_for(b"$ ", 120):
                sys.exit("%s: no shell prompt within 120 s" % a.mode)
            for i in range(a.runs):
                con.type(b"blkbench 1024 4\n")
                t = time.time()
                if not con.wait_for(b"blkbench: done", a.timeout):
                    sys.exit("%s: blkbench %d did not finish within %.0f s" % (a.mode, i + 1, a.timeout))
                print("%s: blkbench %d took %.2f s" % (a.mode, i + 1, time.time() - t), flush=True)
                con.wait_for(b"$ ", 60)
            con.type(b"poweroff\n")
            con.wait_for(b"power off", 60)
            proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


if __name__ == "__main__":
    main()

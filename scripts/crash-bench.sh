#!/usr/bin/env bash
# crash-bench.sh — the crash explorer's long benchmark, on one core (-j 1, the figure the
# roadmap asks for: states checked per second on one core) and then on JOBS cores. Every state
# must pass (exit 1 otherwise). The summary lines print the generation time and states/s.
#
#   scripts/crash-bench.sh [N] [JOBS]          crashdemo: N transactions of the crash-safe
#                                              protocol on a formatted 1 MiB disk (default 100, 2)
#   scripts/crash-bench.sh kv [OPS] [JOBS] [MAX]
#                                              the copy-on-write store: `kvstress 7 OPS 10 48` on
#                                              a disk mkfs formatted, checked with fsck and
#                                              kvcheck {committed}; at most MAX unique states
#                                              (default 200 ops, 2 jobs, 1000 states)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
cd "$ROOT"
if [ "${1:-}" = kv ]; then
  OPS="${2:-200}"; JOBS="${3:-2}"; MAX="${4:-1000}"
  ./tinyos mkdisk "$T/f.img" --size 16M >/dev/null
  printf 'mkfs 6 1024\npoweroff\n' | ./tinyos run --no-record --disk "$T/f.img" >/dev/null 2>&1
  printf 'kvstress 7 %s 10 48\npoweroff\n' "$OPS" | ./tinyos run --trace "$T/t" --disk "$T/f.img" >/dev/null 2>&1
  for j in 1 "$JOBS"; do
    echo "== tinyos crash, kvstress $OPS operations, -j $j"
    ./tinyos crash "$T/t" --check fsck --check 'kvcheck {committed}' --pass '(?s)fsck: PASS.*kvcheck: PASS' \
      --committed 'kvstress: commit (\d+)' --max-states "$MAX" -j "$j" -o "$T/out-$j"
  done
  exit 0
fi
N="${1:-100}"
JOBS="${2:-2}"
./tinyos mkdisk "$T/f.img" --size 1M >/dev/null
printf 'crashdemo format\npoweroff\n' | ./tinyos run --no-record --disk "$T/f.img" >/dev/null 2>&1
printf 'crashdemo run %s safe\npoweroff\n' "$N" | ./tinyos run --trace "$T/t" --disk "$T/f.img" >/dev/null 2>&1
for j in 1 "$JOBS"; do
  echo "== tinyos crash, $N transactions, -j $j"
  ./tinyos crash "$T/t" --check 'crashdemo check' --pass 'crashdemo: PASS' -j "$j" -o "$T/out-$j"
done

#!/usr/bin/env bash
# crash-bench.sh — the crash explorer's long benchmark: records `crashdemo run N safe` (N
# transactions of the crash-safe protocol, two writes and two flushes each) on a formatted
# 1 MiB disk, then explores every crash state of it with `tinyos crash` on one core (-j 1,
# the figure the roadmap asks for: states checked per second on one core), then on JOBS cores.
# Every state must pass: the protocol is crash-safe (exit 1 otherwise).
#
#   scripts/crash-bench.sh [N] [JOBS]      defaults: 100 transactions, 2 jobs
set -euo pipefail
N="${1:-100}"
JOBS="${2:-2}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
cd "$ROOT"
./tinyos mkdisk "$T/f.img" --size 1M >/dev/null
printf 'crashdemo format\npoweroff\n' | ./tinyos run --no-record --disk "$T/f.img" >/dev/null 2>&1
printf 'crashdemo run %s safe\npoweroff\n' "$N" | ./tinyos run --trace "$T/t" --disk "$T/f.img" >/dev/null 2>&1
for j in 1 "$JOBS"; do
  echo "== tinyos crash, $N transactions, -j $j"
  ./tinyos crash "$T/t" --check 'crashdemo check' --pass 'crashdemo: PASS' -j "$j" -o "$T/out-$j"
done

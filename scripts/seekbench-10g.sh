#!/usr/bin/env bash
# seekbench-10g.sh — issue 16's benchmark on a long tiny-os stress run (docs/checkpoints.md).
#
# Records, once, into a scratch directory outside the repository, tiny-os on its default disk
# (the shell, /bin) typed these commands at its shell:
#
#   fsbench 2 100            sequential/random file I/O and 100 creates (first cycle only: it
#   kvstress 5 2000 -q       the copy-on-write key-value store          needs a fresh disk)
#   then 14 cycles of
#   kstress 8 100000         the kernel's scheduler/allocator stress (8 producer/consumer pairs)
#   fsstress 11 R 300        round R of random file-system operations, each verifying the last
#   forkstorm 60             60 forks at once, all reaped, memory accounted
#
# on the virtual clock (fully deterministic), cut by --max-instructions at N instructions
# (default 11,000,000,000; the first cycle is about 2.3 G, the others about 1.1 G each). Then runs
# `./tinyos seekbench` on it, which prints every figure of the benchmark.
#
#   scripts/seekbench-10g.sh [--dir DIR] [--instructions N] [--record-only] [seekbench options]
#
# DIR defaults to /tmp/tinyos-seekbench-10g; the trace is DIR/trace and is reused once recorded
# (delete DIR to record again). Recording takes about 3 minutes on an idle machine,
# seekbench about 15 (it replays the trace several times).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR=/tmp/tinyos-seekbench-10g
N=11000000000
RECORD_ONLY=0
BENCH_ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) DIR="$2"; shift 2 ;;
    --instructions) N="$2"; shift 2 ;;
    --record-only) RECORD_ONLY=1; shift ;;
    *) BENCH_ARGS+=("$1"); shift ;;
  esac
done
case "$DIR" in
  "$ROOT"|"$ROOT"/*) echo "seekbench-10g: $DIR is inside the repository; use a scratch directory" >&2; exit 2 ;;
esac
mkdir -p "$DIR"
TRACE="$DIR/trace"
cd "$ROOT"
if [ ! -f "$DIR/recorded" ]; then
  rm -rf "$TRACE"
  input() {
    printf 'fsbench 2 100\nkvstress 5 2000 -q\n'
    for c in $(seq 0 13); do
      printf 'kstress 8 100000\nfsstress 11 %d 300\nforkstorm 60\n' "$c"
    done
    printf 'poweroff\n'
  }
  echo "== recording $N instructions of the stress cycle into $TRACE"
  start=$(date +%s)
  # the run ends at the limit (INSTRUCTION_LIMIT, exit 1): anything else is a failure
  input | ./tinyos run --clock=virtual --max-instructions="$N" --trace="$TRACE" >"$DIR/console.txt" 2>"$DIR/record.err" || true
  tail -n 1 "$DIR/record.err" | grep -q "INSTRUCTION_LIMIT, exit 1" || {
    echo "seekbench-10g: the recording did not run to the limit:" >&2; tail -n 5 "$DIR/record.err" >&2; exit 1
  }
  touch "$DIR/recorded"
  echo "recorded in $(( $(date +%s) - start )) s: $(tail -n 1 "$DIR/record.err")"
  grep -c 'PASS' "$DIR/console.txt" | sed 's/^/PASS lines in the console: /'
fi
./tinyos info "$TRACE" | grep -E '^(guest|end|events|size)'
[ "$RECORD_ONLY" = 1 ] && exit 0
echo "== ./tinyos seekbench $TRACE ${BENCH_ARGS[*]:-}"
./tinyos seekbench "$TRACE" "${BENCH_ARGS[@]}"

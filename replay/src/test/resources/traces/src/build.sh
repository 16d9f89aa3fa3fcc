#!/bin/sh
# Rebuilds panicker.elf (the kernel of the golden "panic" trace). The trace keeps its own copy,
# so this is only needed to record that trace again.
set -e
cd "$(dirname "$0")"
riscv64-unknown-elf-gcc -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany -ffreestanding \
  -nostdlib -nostartfiles -O1 -g -fno-omit-frame-pointer -T panicker.ld \
  -o "${1:-panicker.elf}" start.S panicker.c

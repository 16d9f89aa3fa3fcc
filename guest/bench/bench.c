/*
 * bench.c — a CPU-bound benchmark for the emulator (and for QEMU, to compare).
 *
 * It runs six small kernels that together exercise what a RISC-V
 * interpreter spends its time on:
 *
 *   arith     xorshift/rotate/add chains: plain ALU work, no memory
 *   muldiv    mul, mulhu, div, rem on changing operands (M extension)
 *   branches  Collatz walks and data-dependent branches that no
 *             predictor learns
 *   memory    a sequential sum over an array and a pointer chase
 *             through a random cycle (a load-to-load dependency chain)
 *   calls     recursive calls (fib) and indirect calls through a table
 *   compress  insertion sort and a byte hash on small buffers: tight
 *             loops in few registers, so GCC emits mostly 16-bit (RVC)
 *             instructions
 *
 * Each kernel returns a 64-bit value; all of them are folded into one
 * checksum that is printed on the UART, so an emulator that computes a
 * wrong result is caught, not just timed.  Nothing here reads a clock or
 * any device besides the UART, so the instruction stream and the checksum
 * are the same on every correct RV64IMAC machine.
 *
 * Size: BENCH_SCALE (set by the Makefile) multiplies every loop count.
 * Scale 64 is about 1e9 instructions (bench.elf); scale 8 is the --quick
 * variant (bench-quick.elf).  The run ends through the test finisher:
 * main() returns 0 for PASS.
 */
#include "bench.h"

#ifndef BENCH_SCALE
#define BENCH_SCALE 64
#endif

struct kernel {
	const char *name;
	u64 (*run)(u64 scale);
};

static const struct kernel kernels[] = {
	{ "arith", bench_arith },
	{ "muldiv", bench_muldiv },
	{ "branches", bench_branches },
	{ "memory", bench_memory },
	{ "calls", bench_calls },
	{ "compress", bench_compress },
};

/* Folds one kernel's result into the running checksum (FNV-1a over the 8 bytes). */
static u64 fold(u64 sum, u64 v)
{
	for (int i = 0; i < 8; i++) {
		sum ^= (v >> (8 * i)) & 0xff;
		sum *= 0x100000001b3ULL;
	}
	return sum;
}

int main(void)
{
	u64 sum = 0xcbf29ce484222325ULL;

	uart_puts("bench: start, scale ");
	uart_putdec(BENCH_SCALE);
	uart_puts("\n");
	for (unsigned i = 0; i < sizeof kernels / sizeof kernels[0]; i++) {
		u64 v = kernels[i].run(BENCH_SCALE);
		uart_puts("bench: ");
		uart_puts(kernels[i].name);
		uart_puts(" ");
		uart_puthex(v);
		uart_puts("\n");
		sum = fold(sum, v);
	}
	uart_puts("bench: checksum ");
	uart_puthex(sum);
	uart_puts("\nbench: PASS\n");
	return 0;
}

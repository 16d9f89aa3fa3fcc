/*
 * bench.h — what the benchmark's files share: fixed-size integer types,
 * the polled UART output used to print results, and the kernels.
 *
 * Every kernel takes the scale factor (loop counts grow linearly with it)
 * and returns a 64-bit value that depends on every step it computed, so
 * the compiler cannot drop work and a wrong result changes the checksum.
 */
#ifndef BENCH_H
#define BENCH_H

typedef unsigned long u64;
typedef unsigned int u32;
typedef unsigned char u8;
typedef long i64;

void uart_puts(const char *s);
void uart_puthex(u64 v);
void uart_putdec(u64 v);

u64 bench_arith(u64 scale);
u64 bench_muldiv(u64 scale);
u64 bench_branches(u64 scale);
u64 bench_memory(u64 scale);
u64 bench_calls(u64 scale);
u64 bench_compress(u64 scale);

#endif

/*
 * kernels.c — the six benchmark kernels (see bench.c for the overview).
 *
 * Loop counts are per unit of scale and chosen so that each kernel costs
 * roughly the same number of instructions (about 15 million per unit of
 * scale in total).  Inputs come from a xorshift generator with fixed
 * seeds, so every run computes the same values.  Helpers that must stay
 * real calls are marked noinline.
 */
#include "bench.h"

#define NOINLINE __attribute__((noinline))

static u64 xorshift(u64 *state)
{
	u64 x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

static u64 rotl(u64 x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* ALU only: a chain of xorshift, rotate, add and xor. */
u64 bench_arith(u64 scale)
{
	u64 s = 0x9e3779b97f4a7c15ULL, acc = 1;

	for (u64 i = 0; i < scale * 130000; i++) {
		u64 r = xorshift(&s);
		acc += rotl(r, (int)(i & 31) + 1) ^ (acc >> 3);
		acc ^= r + i;
	}
	return acc;
}

/* M extension: products, high products, quotients and remainders. */
u64 bench_muldiv(u64 scale)
{
	u64 s = 0x243f6a8885a308d3ULL, acc = 7;

	for (u64 i = 0; i < scale * 96000; i++) {
		u64 r = xorshift(&s);
		u64 d = (r >> 40) | 1;
		acc += (acc * r) ^ ((unsigned __int128)acc * r >> 64);
		acc += r / d + r % (d + 3);
		acc ^= (u64)((i64)(acc | 1) / (i64)(((d & 0xffff) - 0x8000) | 1));
	}
	return acc;
}

/* Steps of the Collatz walk from n down to 1. */
static u64 collatz_steps(u64 n)
{
	u64 steps = 0;

	while (n != 1) {
		n = (n & 1) ? 3 * n + 1 : n >> 1;
		steps++;
	}
	return steps;
}

/* Branches: Collatz walks plus branches on random bits. */
u64 bench_branches(u64 scale)
{
	u64 s = 0x13198a2e03707344ULL, acc = 0;

	for (u64 k = 0; k < scale * 4200; k++) {
		u64 r = xorshift(&s);
		u64 n = 1 + k % 4200 + k / 4200 * 7;

		acc += collatz_steps(n);
		if (r & 1)
			acc += r >> 60;
		else if (r & 2)
			acc ^= n;
		else
			acc -= 3;
	}
	return acc;
}

#define MEM_WORDS 32768 /* 256 KiB of u64: larger than any L1 */
static u64 mem_data[MEM_WORDS];
static u32 mem_next[MEM_WORDS];

/* Builds one random cycle through all slots (Sattolo's shuffle). */
static void make_cycle(u64 seed)
{
	u64 s = seed;

	for (u32 i = 0; i < MEM_WORDS; i++)
		mem_next[i] = i;
	for (u32 i = MEM_WORDS - 1; i > 0; i--) {
		u32 j = (u32)(xorshift(&s) % i);
		u32 t = mem_next[i];
		mem_next[i] = mem_next[j];
		mem_next[j] = t;
	}
}

/* Memory: fill, strided sums and a dependent pointer chase. */
u64 bench_memory(u64 scale)
{
	u64 s = 0xa4093822299f31d0ULL, acc = 0;
	u32 p = 0;

	make_cycle(0x082efa98ec4e6c89ULL);
	for (u32 i = 0; i < MEM_WORDS; i++)
		mem_data[i] = xorshift(&s);
	for (u64 round = 0; round < scale * 3; round++) {
		for (u32 i = 0; i < MEM_WORDS; i += 1 + (round & 3))
			acc += mem_data[i] ^ i;
		for (u32 k = 0; k < MEM_WORDS; k++) {
			p = mem_next[p];
			mem_data[p] += acc;
			acc += mem_data[p] >> 7;
		}
	}
	return acc + p;
}

NOINLINE static u64 fib(u64 n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

NOINLINE static u64 op_add(u64 a, u64 b) { return a + b; }
NOINLINE static u64 op_xor(u64 a, u64 b) { return a ^ (b << 1); }
NOINLINE static u64 op_sub(u64 a, u64 b) { return a - (b >> 1); }
NOINLINE static u64 op_mix(u64 a, u64 b) { return rotl(a, 5) + b; }

static u64 (*const ops[4])(u64, u64) = { op_add, op_xor, op_sub, op_mix };

/* Calls: deep recursion and indirect calls through a table. */
u64 bench_calls(u64 scale)
{
	u64 s = 0x452821e638d01377ULL, acc = 0;

	for (u64 i = 0; i < scale * 2; i++)
		acc += fib(20 + (i & 1));
	for (u64 i = 0; i < scale * 80000; i++) {
		u64 r = xorshift(&s);
		acc = ops[r & 3](acc, r);
	}
	return acc;
}

#define SORT_N 48
static u32 sort_buf[SORT_N];
static u8 text_buf[512];

static void insertion_sort(u32 *a, int n)
{
	for (int i = 1; i < n; i++) {
		u32 v = a[i];
		int j = i - 1;

		while (j >= 0 && a[j] > v) {
			a[j + 1] = a[j];
			j--;
		}
		a[j + 1] = v;
	}
}

static u32 byte_hash(const u8 *p, int n)
{
	u32 h = 5381;

	while (n-- > 0)
		h = h * 33 + *p++;
	return h;
}

/* RVC-heavy: small loops over small buffers in few registers. */
u64 bench_compress(u64 scale)
{
	u64 s = 0xbe5466cf34e90c6cULL, acc = 0;

	for (u64 round = 0; round < scale * 190; round++) {
		for (int i = 0; i < SORT_N; i++)
			sort_buf[i] = (u32)xorshift(&s);
		insertion_sort(sort_buf, SORT_N);
		acc += sort_buf[0] ^ sort_buf[SORT_N - 1];
		for (int i = 0; i < (int)sizeof text_buf; i++)
			text_buf[i] = (u8)(sort_buf[i % SORT_N] >> (i & 7));
		acc += byte_hash(text_buf, sizeof text_buf);
	}
	return acc;
}

/*
 * blkharness.c — writes self-describing blocks to the raw disk and checks
 * them, within one boot or across boots (format: blkpattern.h).
 *
 *   blkharness write <gen> [nblocks] [every]
 *                                           blocks 0..n-1 := generation gen, in
 *                                           order, with a sync after every `every`
 *                                           blocks (default: only at the end)
 *   blkharness verify <gen> [nblocks]       every block 0..n-1 must hold gen
 *   blkharness stress <seed> [ops] [nblocks] [procs]
 *                                           random reads/writes/syncs by procs
 *                                           processes on disjoint blocks, then a
 *                                           full verify from the disk
 *   blkharness info                         disk and cache counters
 *
 * Output is line-oriented and parseable. Every bad block is one line
 *   BAD block <n>: <kind> (<detail>)
 * with kind one of stale, newer, torn, misplaced, checksum, garbage; then a
 *   blkharness: <mode>: ... <k> bad
 * summary and finally "blkharness: PASS" or "blkharness: FAIL" (exit 0 / 1).
 * Without a disk it prints "blkharness: no disk" and exits 1. Defaults:
 * 256 blocks (1 MiB), 2000 stress operations, 4 stress processes.
 */
#include "user.h"
#include "blkpattern.h"
#include "../lib/fmt.h"

#define MAXBLOCKS 4096

static uint64 wbuf[BLK_WORDS], rbuf[BLK_WORDS];
static uint32 expect[MAXBLOCKS];    /* stress: generation each block must hold */
static long counts[V_NKINDS];
static const char *kind_names[V_NKINDS] = {
    "ok", "stale", "newer", "torn", "misplaced", "checksum", "garbage",
};
static struct blkinfo info;

/* Formats the per-sector generations: "-" for a zero sector, "?" for garbage. */
static int format_gens(char *out, int size, const struct block_report *r)
{
    int n = fmt_snprintf(out, size, "sector gens");
    for (int s = 0; s < 8 && n < size; s++) {
        long g = r->gens[s];
        n += g == -1 ? fmt_snprintf(out + n, size - n, " -")
           : g == -2 ? fmt_snprintf(out + n, size - n, " ?")
                     : fmt_snprintf(out + n, size - n, " %ld", g);
    }
    return n;
}

/* One BAD line for block b (expected gen), written with a single write. */
static void report_bad(uint64 b, uint64 gen, const struct block_report *r)
{
    char d[160];
    if (r->v == V_STALE && r->gens[0] == -1)
        fmt_snprintf(d, sizeof d, "never written, expected gen %ld", gen);
    else if (r->v == V_STALE || r->v == V_NEWER)
        fmt_snprintf(d, sizeof d, "gen %ld, expected %ld", r->gens[0], gen);
    else if (r->v == V_TORN || r->v == V_GARBAGE)
        format_gens(d, sizeof d, r);
    else if (r->v == V_MISPLACED)
        fmt_snprintf(d, sizeof d, "holds block %ld", r->holds);
    else
        fmt_snprintf(d, sizeof d, "gen %ld, stored %lx, computed %lx", gen, r->stored,
                     r->computed);
    printf("BAD block %ld: %s (%s)\n", b, kind_names[r->v], d);
}

/* Reads block b and checks it; returns 1 if bad (and reports it). */
static int check_block(uint64 b, uint64 gen)
{
    struct block_report r;
    if (blkread((long)b, rbuf) < 0) {
        printf("BAD block %ld: unreadable (read error)\n", b);
        counts[V_GARBAGE]++;
        return 1;
    }
    counts[pattern_check(rbuf, b, gen, &r)]++;
    if (r.v == V_OK)
        return 0;
    report_bad(b, gen, &r);
    return 1;
}

static int write_block(uint64 b, uint64 gen)
{
    pattern_fill(wbuf, b, gen);
    if (blkwrite((long)b, wbuf) < 0) {
        printf("blkharness: write of block %ld failed\n", b);
        return -1;
    }
    return 0;
}

/* "(stale 0, newer 0, ...)": the bad blocks by kind. */
static void format_kinds(char *out, int size)
{
    int n = fmt_snprintf(out, size, "(");
    for (int k = V_STALE; k < V_NKINDS && n < size; k++)
        n += fmt_snprintf(out + n, size - n, "%s%s %ld", k == V_STALE ? "" : ", ",
                          kind_names[k], counts[k]);
    fmt_snprintf(out + n, size - n, ")");
}

static int verdict(int ok)
{
    printf("blkharness: %s\n", ok ? "PASS" : "FAIL");
    return ok ? 0 : 1;
}

/* Writes blocks 0..n-1 in order, syncing after every `every` blocks (0 = only at the end). */
static int do_write(uint64 gen, long n, long every)
{
    for (long b = 0; b < n; b++) {
        if (write_block((uint64)b, gen) < 0)
            return verdict(0);
        if (every > 0 && (b + 1) % every == 0 && b + 1 < n && blksync() < 0)
            return verdict(0);
    }
    int synced = blksync();
    printf("blkharness: write: gen %ld, %ld blocks, sync wrote %d\n", gen, n, synced);
    return verdict(synced >= 0);
}

static int do_verify(uint64 gen, long n)
{
    long bad = 0;
    blkinval();
    for (long b = 0; b < n; b++)
        bad += check_block((uint64)b, gen);
    char kinds[160];
    format_kinds(kinds, sizeof kinds);
    printf("blkharness: verify: gen %ld, %ld blocks, %ld bad %s\n", gen, n, bad, kinds);
    return verdict(bad == 0);
}

/* xorshift64: the stress random stream. */
static uint64 rnd(uint64 *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* One random operation of worker id on its blocks (b % procs == id). */
static int stress_op(uint64 *rs, long n, int procs, int id, uint32 *gen)
{
    long mine = (n - id + procs - 1) / procs;
    uint64 b = (uint64)(id + procs * (long)(rnd(rs) % (uint64)mine));
    uint64 dice = rnd(rs) % 100;
    if (dice < 45) {
        expect[b] = ++*gen;
        return write_block(b, expect[b]) < 0;
    }
    if (dice < 95)
        return check_block(b, expect[b]);
    if (dice < 98)
        return blksync() < 0;
    return blkinval() < 0;
}

/* Worker id: initial generation everywhere, ops random ops, final verify. */
static int stress_worker(uint64 seed, long ops, long n, int procs, int id)
{
    uint64 rs = mix64(seed * 131 + (uint64)id) | 1;
    uint32 gen = 1;
    long bad = 0;
    for (long b = id; b < n; b += procs)
        bad += write_block((uint64)b, expect[b] = gen) < 0;
    for (long i = 0; i < ops / procs; i++)
        bad += stress_op(&rs, n, procs, id, &gen);
    if (blksync() < 0)
        bad++;
    blkinval();
    for (long b = id; b < n; b += procs)
        bad += check_block((uint64)b, expect[b]);
    printf("blkharness: stress worker %d: %ld ops, %ld bad\n", id, ops / procs, bad);
    return bad != 0;
}

static int do_stress(uint64 seed, long ops, long n, int procs)
{
    int failed = 0, status;
    for (int id = 0; id < procs; id++) {
        int pid = fork();
        if (pid == 0)
            exit(stress_worker(seed, ops, n, procs, id));
        if (pid < 0)
            failed++;
    }
    while (wait(&status) >= 0)
        failed += status != 0;
    blkinfo(&info);
    printf("blkharness: stress: seed %ld, %ld ops, %ld blocks, %d procs, %d failed workers, "
           "max in flight %ld\n", seed, ops, n, procs, failed, info.max_inflight);
    return verdict(failed == 0);
}

static int do_info(void)
{
    printf("blkinfo: blocks %ld version %ld slot %ld readonly %ld flush %ld nbuf %ld\n",
           info.nblocks, info.version, info.slot, info.readonly, info.flush, info.nbuf);
    printf("blkinfo: hits %ld misses %ld evictions %ld writebacks %ld reads %ld writes %ld "
           "flushes %ld max_inflight %ld\n", info.hits, info.misses, info.evictions,
           info.writebacks, info.disk_reads, info.disk_writes, info.flushes, info.max_inflight);
    return 0;
}

static long arg(int argc, char **argv, int i, long dflt)
{
    return i < argc ? atoi(argv[i]) : dflt;
}

static int usage(void)
{
    printf("usage: blkharness write <gen> [nblocks] [every] | verify <gen> [nblocks]\n"
           "       blkharness stress <seed> [ops] [nblocks] [procs] | info\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    if (blkinfo(&info) < 0) {
        printf("blkharness: no disk\n");
        return 1;
    }
    if (strcmp(argv[1], "info") == 0)
        return do_info();
    long n = arg(argc, argv, strcmp(argv[1], "stress") == 0 ? 4 : 3, 256);
    if (n < 1 || n > MAXBLOCKS || n > (long)info.nblocks) {
        printf("blkharness: %ld blocks do not fit (disk has %ld, limit %d)\n", n,
               info.nblocks, MAXBLOCKS);
        return 2;
    }
    if (argc < 3)
        return usage();
    long x = arg(argc, argv, 2, 0);
    if (strcmp(argv[1], "write") == 0)
        return do_write((uint64)x, n, arg(argc, argv, 4, 0));
    if (strcmp(argv[1], "verify") == 0)
        return do_verify((uint64)x, n);
    if (strcmp(argv[1], "stress") == 0) {
        int procs = (int)arg(argc, argv, 5, 4);
        return procs < 1 || procs > 8 ? usage() : do_stress((uint64)x, arg(argc, argv, 3, 2000), n, procs);
    }
    return usage();
}

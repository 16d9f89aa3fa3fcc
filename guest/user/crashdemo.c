/*
 * crashdemo.c — the smallest transactional store there is, with a planted
 * bug per variant: the workload and the checker for the crash-state
 * explorer's own tests (docs/crash-explorer.md).
 *
 * On-disk layout (4 KiB blocks, through the blk* system calls):
 *
 *   block 0, 1   commit slots C0, C1     block 2, 3   data slots D0, D1
 *
 *   every record: word 0 magic "CRSHDEMO", 1 kind (1 commit, 2 data),
 *   2 txn, 3 slot, 4 (commit) the checksum of its data record,
 *   5..510 payload (data: a pattern of txn), 511 checksum of words 0..510.
 *
 * Transaction k writes its data record to D[k%2], then its commit record
 * (naming D[k%2]) to a commit slot. After a crash the state is the newest
 * valid commit record, whose data record must be intact: the last committed
 * transaction, never a mixture.
 *
 *   crashdemo format           commit 0 in C0, data 0 in D0, sync
 *   crashdemo run <n> <mode>   transactions 1..n; mode is
 *       safe       data, sync (flush), commit to C[k%2], sync: crash-safe
 *       nobarrier  data, commit to C[k%2], sync: the commit may reach the
 *                  disk without its data (found by the explorer's subsets)
 *       oneslot    data, sync, commit always to C0, sync: a torn commit
 *                  write leaves no valid commit at all (found only by the
 *                  explorer's torn-write states)
 *       early      as safe, but reports the transaction committed before the
 *                  sync of its commit: the disk is always consistent, but a
 *                  transaction reported committed may be lost (found only
 *                  with the content oracle below)
 *                  After each transaction: "crashdemo: committed <k>".
 *   crashdemo check [min]      prints the state; "crashdemo: PASS" if it is
 *                              consistent and, if given, its commit is at
 *                              least min (the last transaction reported
 *                              committed before the crash: the explorer's
 *                              {committed}), else "crashdemo: FAIL"
 */
#include "user.h"

#define WORDS 512
#define MAGIC 0x4F4D454448535243ULL /* "CRSHDEMO" */
#define K_COMMIT 1
#define K_DATA 2

static uint64 buf[WORDS], dbuf[WORDS];

static uint64 checksum(const uint64 *w)
{
    uint64 h = 0xcbf29ce484222325ULL;
    for (int i = 0; i < WORDS - 1; i++) {
        h ^= w[i];
        h *= 0x100000001b3ULL;
        h ^= h >> 29;
    }
    return h;
}

static void fill(uint64 *w, uint64 kind, uint64 txn, uint64 slot, uint64 ref)
{
    w[0] = MAGIC;
    w[1] = kind;
    w[2] = txn;
    w[3] = slot;
    w[4] = ref;
    for (int i = 5; i < WORDS - 1; i++)
        w[i] = kind == K_DATA ? (txn * 0x9E3779B97F4A7C15ULL) ^ (uint64)i : 0;
    w[WORDS - 1] = checksum(w);
}

static int valid(const uint64 *w, uint64 kind)
{
    return w[0] == MAGIC && w[1] == kind && w[WORDS - 1] == checksum(w);
}

static int put(long block, const uint64 *w)
{
    if (blkwrite(block, w) < 0) {
        printf("crashdemo: write of block %ld failed\n", block);
        return -1;
    }
    return 0;
}

static int disk_sync(void)
{
    return blksync() < 0 ? -1 : 0;
}

/* One transaction; the mode decides where the barriers and the commit go. */
static int txn(uint64 k, const char *mode)
{
    int nobarrier = strcmp(mode, "nobarrier") == 0;
    int oneslot = strcmp(mode, "oneslot") == 0;
    int early = strcmp(mode, "early") == 0;
    uint64 slot = k % 2;
    fill(dbuf, K_DATA, k, slot, 0);
    if (put(2 + (long)slot, dbuf) < 0 || (!nobarrier && disk_sync() < 0))
        return -1;
    fill(buf, K_COMMIT, k, slot, dbuf[WORDS - 1]);
    if (put(oneslot ? 0 : (long)slot, buf) < 0)
        return -1;
    if (early)
        printf("crashdemo: committed %ld\n", k);
    if (disk_sync() < 0)
        return -1;
    if (!early)
        printf("crashdemo: committed %ld\n", k);
    return 0;
}

static int verdict(int ok)
{
    printf("crashdemo: %s\n", ok ? "PASS" : "FAIL");
    return ok ? 0 : 1;
}

static int do_format(void)
{
    fill(dbuf, K_DATA, 0, 0, 0);
    fill(buf, K_COMMIT, 0, 0, dbuf[WORDS - 1]);
    int ok = put(2, dbuf) == 0 && put(0, buf) == 0 && disk_sync() == 0;
    printf("crashdemo: format: commit 0 in slot 0\n");
    return verdict(ok);
}

static int do_run(long n, const char *mode)
{
    if (strcmp(mode, "safe") && strcmp(mode, "nobarrier") && strcmp(mode, "oneslot") && strcmp(mode, "early")) {
        printf("crashdemo: unknown mode %s (safe, nobarrier, oneslot, early)\n", mode);
        return 2;
    }
    for (long k = 1; k <= n; k++)
        if (txn((uint64)k, mode) < 0)
            return verdict(0);
    printf("crashdemo: run: %ld transactions (%s)\n", n, mode);
    return verdict(1);
}

static int do_check(long min)
{
    static uint64 c[2][WORDS];
    int best = -1;
    for (int s = 0; s < 2; s++) {
        if (blkread(s, c[s]) < 0)
            return verdict(0);
        if (valid(c[s], K_COMMIT) && (best < 0 || c[s][2] > c[best][2]))
            best = s;
    }
    if (best < 0) {
        printf("crashdemo: check: no valid commit record\n");
        return verdict(0);
    }
    uint64 k = c[best][2], slot = c[best][3];
    if (slot > 1 || blkread(2 + (long)slot, dbuf) < 0)
        return verdict(0);
    if (!valid(dbuf, K_DATA) || dbuf[2] != k || dbuf[WORDS - 1] != c[best][4]) {
        printf("crashdemo: check: commit %ld names data slot %ld, which holds %s %ld\n", k, slot,
               valid(dbuf, K_DATA) ? "txn" : "garbage, txn word", dbuf[2]);
        return verdict(0);
    }
    if ((long)k < min) {
        printf("crashdemo: check: commit %ld (slot %d) is older than transaction %ld, reported committed\n",
               k, best, min);
        return verdict(0);
    }
    printf("crashdemo: check: commit %ld (slot %d), data intact\n", k, best);
    return verdict(1);
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "format") == 0)
        return do_format();
    if (argc >= 4 && strcmp(argv[1], "run") == 0)
        return do_run(atoi(argv[2]), argv[3]);
    if (argc >= 2 && strcmp(argv[1], "check") == 0)
        return do_check(argc >= 3 ? atoi(argv[2]) : 0);
    printf("usage: crashdemo format | run <n> safe|nobarrier|oneslot|early | check [min]\n");
    return 2;
}

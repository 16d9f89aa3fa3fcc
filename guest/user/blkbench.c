/*
 * blkbench.c — disk throughput as the guest sees it, through the system
 * calls and the buffer cache, timed in uptime ticks (10 ms of guest time).
 *
 *   blkbench [nblocks] [procs]      defaults: 512 blocks (2 MiB), 4 processes
 *
 * Four phases over blocks 0..nblocks-1, 4 KiB per operation:
 *   seq-write   write every block in order, then blksync (included in the time)
 *   seq-read    drop the cache, read every block in order (one request at a time)
 *   rand-read   drop the cache, procs processes read nblocks random blocks in
 *               total (their requests overlap in the disk queue)
 *   rand-write  procs processes write nblocks random blocks, then blksync
 * One line per phase:
 *   blkbench: <phase>: <ops> ops, <KiB> KiB, <ticks> ticks, <rate> KiB/s, hits <h>, misses <m>
 * where rate = KiB * 100 / max(ticks, 1) (a lower bound when ticks < 1), then
 * "blkbench: done". Without a disk: "blkbench: no disk", exit status 1.
 */
#include "user.h"
#include "blkpattern.h"

static uint64 buf[BLK_WORDS];
static struct blkinfo info;

struct phase {
    const char *name;
    long t0, ops;
    unsigned long hits, misses;
};

static void phase_begin(struct phase *p, const char *name, long ops)
{
    blkinfo(&info);
    p->name = name;
    p->ops = ops;
    p->hits = info.hits;
    p->misses = info.misses;
    p->t0 = uptime();
}

static void phase_end(struct phase *p)
{
    long ticks = uptime() - p->t0, kib = p->ops * (BLK / 1024);
    blkinfo(&info);
    printf("blkbench: %s: %ld ops, %ld KiB, %ld ticks, %ld KiB/s, hits %ld, misses %ld\n",
           p->name, p->ops, kib, ticks, kib * 100 / (ticks > 0 ? ticks : 1),
           info.hits - p->hits, info.misses - p->misses);
}

static uint64 rnd(uint64 *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Worker id of procs: ops random reads (write = 0) or writes of blocks < n. */
static void random_io(long n, long ops, int id, int write)
{
    uint64 s = mix64((uint64)id * 7919 + (uint64)write) | 1;
    for (long i = 0; i < ops; i++) {
        uint64 b = rnd(&s) % (uint64)n;
        if (write) {
            pattern_fill(buf, b, 1000);
            blkwrite((long)b, buf);
        } else {
            blkread((long)b, buf);
        }
    }
}

static void run_parallel(long n, int procs, int write)
{
    for (int id = 0; id < procs; id++) {
        if (fork() == 0) {
            random_io(n, n / procs, id, write);
            exit(0);
        }
    }
    while (wait(0) >= 0)
        ;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atoi(argv[1]) : 512;
    int procs = argc > 2 ? atoi(argv[2]) : 4;
    struct phase p;
    if (blkinfo(&info) < 0) {
        printf("blkbench: no disk\n");
        return 1;
    }
    if (n < procs || n > (long)info.nblocks || procs < 1 || procs > 16) {
        printf("usage: blkbench [nblocks <= %ld] [procs 1..16]\n", info.nblocks);
        return 2;
    }
    if (info.readonly) {  /* its writes would all fail: no throughput to report */
        printf("blkbench: the disk is read-only; blkbench writes, so it cannot run here\n");
        return 1;
    }
    phase_begin(&p, "seq-write", n);
    long failed = 0;
    for (long b = 0; b < n; b++) {
        pattern_fill(buf, (uint64)b, 1000);
        failed += blkwrite(b, buf) < 0;
    }
    if (blksync() < 0 || failed) {
        printf("blkbench: seq-write: %ld of %ld writes failed, or the flush did; no figures\n", failed, n);
        return 1;
    }
    phase_end(&p);
    blkinval();
    phase_begin(&p, "seq-read", n);
    for (long b = 0; b < n; b++)
        blkread(b, buf);
    phase_end(&p);
    blkinval();
    phase_begin(&p, "rand-read", n / procs * procs);
    run_parallel(n, procs, 0);
    phase_end(&p);
    phase_begin(&p, "rand-write", n / procs * procs);
    run_parallel(n, procs, 1);
    blksync();
    phase_end(&p);
    printf("blkbench: done (max in flight %ld)\n", info.max_inflight);
    return 0;
}

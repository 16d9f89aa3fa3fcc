/*
 * kstress.c — a kernel stress test of the scheduler, spinlocks and
 * sleep/wakeup, started from user space with the kstress system call.
 *
 * N producer threads each put `rounds` numbered items into a bounded buffer
 * of 4 slots; N consumer threads take items out until all N*rounds are
 * consumed; one spinner thread burns CPU for KS_SPIN_TICKS ticks without
 * yielding, so the timer must preempt it for the others to make progress. A tiny buffer forces producers
 * and consumers to sleep constantly, so a lost wakeup shows up as a hang
 * and a race as a wrong checksum. The result is checked (count and sum of
 * every item) and a statistics table is printed: per thread, how often it
 * ran, was preempted, switched voluntarily and how many ticks it used.
 *
 * Alongside, N pager threads exercise the buddy allocator's multi-page
 * allocations: each allocates runs of 1..KS_PAGE_RUN contiguous frames,
 * fills them with its tag, yields, and checks the tag is intact before
 * freeing (a run handed out twice shows up as damage); at the end the
 * allocator's lists, management bytes and counters must agree
 * (kalloc_consistent).
 */
#include "kernel.h"
#include "proc.h"
#include "spinlock.h"

#define KS_SLOTS 4
#define KS_MAX_THREADS 8
#define KS_SPIN_TICKS 3     /* > DEFAULT_QUANTUM: preemption must happen */
#define KS_PAGE_RUN 9       /* pagers allocate runs of 1..KS_PAGE_RUN frames */
#define KS_PAGE_ROUNDS 200  /* at most this many runs per pager */

static struct {
    struct spinlock lock;
    uint64 buf[KS_SLOTS];
    uint32 head, tail;             /* head - tail items are in the buffer */
    int rounds, total, consumed, finished;
    uint64 sum_in, sum_out;
    uint64 page_runs, page_damaged;
    struct pstats stats[2 * KS_MAX_THREADS + 1];
    int pids[2 * KS_MAX_THREADS + 1];
} ks;

static void save_stats(int idx)
{
    acquire(&proc_lock);
    ks.stats[idx] = myproc()->st;
    ks.pids[idx] = myproc()->pid;
    release(&proc_lock);
}

static void producer(uint64 idx)
{
    acquire(&ks.lock);
    for (int i = 0; i < ks.rounds; i++) {
        while (ks.head - ks.tail == KS_SLOTS)
            sleep(&ks.tail, &ks.lock);
        uint64 item = idx * 100000 + i;
        ks.buf[ks.head++ % KS_SLOTS] = item;
        ks.sum_in += item;
        wakeup(&ks.head);
    }
    release(&ks.lock);
    save_stats((int)idx);
}

static void consumer(uint64 idx)
{
    acquire(&ks.lock);
    while (ks.consumed < ks.total) {
        if (ks.head == ks.tail) {
            sleep(&ks.head, &ks.lock);
            continue;
        }
        ks.sum_out += ks.buf[ks.tail++ % KS_SLOTS];
        ks.consumed++;
        wakeup(&ks.tail);
    }
    ks.finished = 1;
    wakeup(&ks.head);          /* release the other consumers */
    release(&ks.lock);
    save_stats((int)idx);
}

/* Burns CPU for KS_SPIN_TICKS without ever yielding: only the timer stops it. */
static void spinner(uint64 idx)
{
    uint64 until = ticks + KS_SPIN_TICKS;
    while (*(volatile uint64 *)&ticks < until)
        ;
    save_stats((int)idx);
}

/* Every byte of the n frames at p still holds tag. */
static int run_tagged(const uint8 *p, uint64 n, uint8 tag)
{
    for (uint64 i = 0; i < n * PGSIZE; i += 64)
        if (p[i] != tag)
            return 0;
    return 1;
}

/*
 * Allocates runs of 1..KS_PAGE_RUN contiguous frames, tags every byte, yields
 * so the other pagers allocate meanwhile, then checks nobody else was handed
 * the same frames, and frees the run. Out of memory is not an error.
 */
static void pager(uint64 idx)
{
    uint64 seed = idx * 2654435761UL + 1, runs = 0, damaged = 0;
    int rounds = ks.rounds < KS_PAGE_ROUNDS ? ks.rounds : KS_PAGE_ROUNDS;
    for (int i = 0; i < rounds; i++) {
        seed = seed * 6364136223846793005UL + 1442695040888963407UL;
        uint64 n = 1 + (seed >> 33) % KS_PAGE_RUN;
        uint8 tag = (uint8)(idx * 31 + i), *p = kalloc_pages(n);
        if (!p)
            continue;
        memset(p, tag, n * PGSIZE);
        yield(SW_YIELD);
        damaged += !run_tagged(p, n, tag);
        kfree(p);
        runs++;
    }
    acquire(&ks.lock);
    ks.page_runs += runs;
    ks.page_damaged += damaged;
    release(&ks.lock);
}

static int spawn_all(int n)
{
    int spawned = 0;
    spawned += kthread_create(spinner, 2 * n, "ks-spin") > 0;
    for (int i = 0; i < n; i++) {
        spawned += kthread_create(producer, i, "ks-prod") > 0;
        spawned += kthread_create(consumer, n + i, "ks-cons") > 0;
        spawned += kthread_create(pager, i, "ks-page") > 0;
    }
    return spawned;
}

static void print_stats(int n, uint64 t0)
{
    kprintf("kstress: %d items in %ld ticks, sum in %ld out %ld\n", ks.consumed, ticks - t0,
            ks.sum_in, ks.sum_out);
    kprintf("  %-4s %-8s %8s %8s %8s %8s\n", "pid", "role", "runs", "preempt", "volunt", "ticks");
    for (int i = 0; i <= 2 * n; i++) {
        const char *role = i == 2 * n ? "spinner" : i < n ? "producer" : "consumer";
        kprintf("  %-4d %-8s %8ld %8ld %8ld %8ld\n", ks.pids[i], role, ks.stats[i].runs,
                ks.stats[i].preempted, ks.stats[i].voluntary, ks.stats[i].ticks);
    }
}

/* One run at a time: the test state is a single static instance. */
static struct spinlock ks_gate = {0, "kstress-gate", 0};
static int ks_busy;

static int claim(void)
{
    acquire(&ks_gate);
    int was_busy = ks_busy;
    ks_busy = 1;
    release(&ks_gate);
    return !was_busy;
}

static int run_claimed(int n, int rounds);

/* Runs the test with n producer/consumer pairs; 0 if every check passed. */
int kstress_run(int n, int rounds)
{
    if (n < 1 || n > KS_MAX_THREADS || rounds < 1 || rounds > 100000 || !claim())
        return -1;
    int ret = run_claimed(n, rounds);
    if (ret != -2)             /* -2: killed while threads still run */
        ks_busy = 0;
    return ret < 0 ? -1 : 0;
}

static int run_claimed(int n, int rounds)
{
    spin_init(&ks.lock, "kstress");
    ks.head = ks.tail = 0;
    ks.rounds = rounds, ks.total = n * rounds, ks.consumed = 0, ks.finished = 0;
    ks.sum_in = ks.sum_out = 0;
    ks.page_runs = ks.page_damaged = 0;
    memset(ks.stats, 0, sizeof ks.stats);
    memset(ks.pids, 0, sizeof ks.pids);
    uint64 t0 = ticks, sw0 = cpu0.switches;
    int spawned = spawn_all(n);
    for (int reaped = 0; reaped < spawned;)
        if (proc_wait(0) < 0)
            return -2;         /* we were killed; init reaps the threads */
        else
            reaped++;
    print_stats(n, t0);
    kprintf("kstress: %ld context switches\n", cpu0.switches - sw0);
    int consistent = kalloc_consistent();
    kprintf("kstress: %ld multi-page runs, %ld damaged, frame allocator %s\n", ks.page_runs,
            ks.page_damaged, consistent ? "consistent" : "INCONSISTENT");
    int ok = spawned == 3 * n + 1 && ks.consumed == ks.total && ks.sum_in == ks.sum_out &&
             ks.page_damaged == 0 && consistent;
    kprintf("kstress: %s\n", ok ? "PASS" : "FAIL");
    return ok ? 0 : -1;
}

/*
 * selftest.c — quick kernel self-tests run at every boot, in init's kernel
 * thread before the first user program starts (so processes and the
 * scheduler are available). Each check panics with a precise message on
 * failure; together they take well under a millisecond of guest time.
 *
 *   format   kprintf's engine against known strings (all conversions)
 *   kalloc   alloc/free accounting, double-free and bad-address detection
 *   buddy    multi-page allocations: contiguous, naturally aligned, freed as
 *            one; interior and already-free frames refused; every split
 *            merged back (the per-order free-block counts return exactly)
 *   uvm      copyin/copyout/copyinstr round trips and their refusals, and
 *            that a whole user address space is freed without leaks
 *   threads  two kernel threads ping-pong through sleep/wakeup
 */
#include "kernel.h"
#include "proc.h"
#include "spinlock.h"
#include "../lib/fmt.h"

#define CHECK(cond) \
    do { if (!(cond)) panic("selftest %s: check failed: %s", __func__, #cond); } while (0)

static void expect_fmt(const char *want, const char *fmt, ...)
{
    char buf[96];
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (strcmp(buf, want) != 0 || n != (int)strlen(want))
        panic("selftest format: \"%s\" gave \"%s\", want \"%s\"", fmt, buf, want);
}

static void test_format(void)
{
    expect_fmt("-42 7 4294967295 ff", "%d %i %u %x", -42, 7, -1, 255);
    expect_fmt("0x0000000080000000", "%p", (void *)0x80000000UL);
    expect_fmt("hi c %", "%s %c %%", "hi", 'c');
    expect_fmt("-9223372036854775808 18446744073709551615", "%ld %lu", (long)(1UL << 63), ~0UL);
    expect_fmt("ffffffffffffffff -3", "%llx %lld", ~0ULL, -3LL);
    expect_fmt("[  7][007][ab  ][-05]", "[%3d][%03d][%-4s][%03d]", 7, 7, "ab", -5);
}

static void test_kalloc(void)
{
    uint64 f0, u0, f1, u1;
    kalloc_stats(&f0, &u0);
    void *a = kalloc(), *b = kalloc();
    CHECK(a && b && a != b);
    kalloc_stats(&f1, &u1);
    CHECK(f1 == f0 - 2 && u1 == u0 + 2);
    kfree(a);
    CHECK(kfree_checked(a) == -2);             /* double free detected */
    CHECK(kfree_checked((char *)b + 8) == -1); /* not a frame address */
    CHECK(kfree_checked((void *)KERNBASE) == -1);
    kfree(b);
    kalloc_stats(&f1, &u1);
    CHECK(f1 == f0 && u1 == u0);
}

static int same_orders(const uint64 *a, const uint64 *b)
{
    for (int k = 0; k <= KALLOC_MAX_ORDER; k++)
        if (a[k] != b[k])
            return 0;
    return 1;
}

/* Every byte of n frames at p holds tag (the run is contiguous and private). */
static int run_holds(const uint8 *p, uint64 n, uint8 tag)
{
    for (uint64 i = 0; i < n * PGSIZE; i += 512)
        if (p[i] != tag || p[i + 511] != tag)
            return 0;
    return 1;
}

/* Multi-page allocations: contiguity, alignment, freed as one, merged back. */
static void test_buddy(void)
{
    uint64 f0, u0, f1, u1, o0[KALLOC_MAX_ORDER + 1], o1[KALLOC_MAX_ORDER + 1];
    kalloc_stats(&f0, &u0);
    kalloc_orders(o0);
    uint8 *a = kalloc_pages(3), *b = kalloc_pages(16), *c = kalloc_pages(1);
    CHECK(a && b && c && ((uint64)b - KERNBASE) % (16 * PGSIZE) == 0);
    memset(a, 0xa1, 3 * PGSIZE);
    memset(b, 0xb2, 16 * PGSIZE);
    memset(c, 0xc3, PGSIZE);
    CHECK(run_holds(a, 3, 0xa1) && run_holds(b, 16, 0xb2) && run_holds(c, 1, 0xc3));
    kalloc_stats(&f1, &u1);
    CHECK(f1 == f0 - 20 && u1 == u0 + 20 && kalloc_consistent());
    CHECK(kfree_checked(a + PGSIZE) == -1);        /* inside an allocation */
    CHECK(kfree_checked(a + 2 * PGSIZE) == -1);    /* its second block */
    CHECK(kalloc_pages(0) == 0 && kalloc_pages((1UL << KALLOC_MAX_ORDER) + 1) == 0);
    kfree(a);
    CHECK(kfree_checked(a) == -2 && kfree_checked(a + 2 * PGSIZE) == -2);
    kfree(c);
    kfree(b);
    CHECK(kfree_checked(b + 15 * PGSIZE) == -2);
    kalloc_stats(&f1, &u1);
    kalloc_orders(o1);
    CHECK(f1 == f0 && u1 == u0 && same_orders(o0, o1));   /* every split merged back */
    CHECK(kalloc_consistent());
}

/*
 * A frame that merged into its lower buddy is free, not an allocation's head:
 * freeing it again is a double free (-2). Its stale management byte once made
 * it look allocated (-1), which showed only when a disk shifted the layout.
 */
static void test_buddy_upper_half(void)
{
    uint8 *kept = 0, *prev = 0, *lo = 0, *hi = 0;
    for (int n = 0; n < 4096 && !hi; n++) {   /* single frames until two are buddies, lower first */
        uint8 *f = kalloc();
        CHECK(f != 0);
        if (prev && f == prev + PGSIZE && ((uint64)prev - KERNBASE) % (2 * PGSIZE) == 0) {
            lo = prev, hi = f;
        } else if (prev) {
            *(uint8 **)prev = kept;             /* the others wait, chained through themselves */
            kept = prev;
        }
        prev = hi ? 0 : f;
    }
    CHECK(hi != 0);
    kfree(lo);
    kfree(hi);                      /* merges into lo's block */
    CHECK(kfree_checked(hi) == -2 && kfree_checked(lo) == -2);
    while (kept) {
        uint8 *next = *(uint8 **)kept;
        kfree(kept);
        kept = next;
    }
    CHECK(kalloc_consistent());
}

/* Single frames freed in a checkerboard stay apart, then merge completely. */
static void test_buddy_merge(void)
{
    uint64 o0[KALLOC_MAX_ORDER + 1], o1[KALLOC_MAX_ORDER + 1];
    void *f[8];
    kalloc_orders(o0);
    for (int i = 0; i < 8; i++)
        CHECK((f[i] = kalloc()) != 0);
    for (int i = 0; i < 8; i += 2)
        kfree(f[i]);
    CHECK(kalloc_consistent());
    for (int i = 1; i < 8; i += 2)
        kfree(f[i]);
    kalloc_orders(o1);
    CHECK(same_orders(o0, o1));
}

static void test_uvm(void)
{
    uint64 f0, u0, f1, u1;
    char buf[16];
    kalloc_stats(&f0, &u0);
    void *tf = kalloc();
    pagetable_t pt = uvm_create((uint64)tf);
    CHECK(pt && uvm_alloc(pt, 0x10000, 2 * PGSIZE, PTE_R | PTE_W) == 0);
    CHECK(uvm_alloc(pt, 0x20000, PGSIZE, PTE_R) == 0);
    CHECK(copyout(pt, 0x10ffc, "tiny-os", 8) == 0);     /* crosses a page */
    CHECK(copyin(pt, buf, 0x10ffc, 8) == 0 && strcmp(buf, "tiny-os") == 0);
    CHECK(copyinstr(pt, buf, 0x10ffc, sizeof buf) == 0 && strcmp(buf, "tiny-os") == 0);
    CHECK(copyinstr(pt, buf, 0x10ffc, 4) == -1);         /* no NUL within max */
    CHECK(copyout(pt, 0x20000, buf, 1) == -1);           /* read-only page */
    CHECK(copyin(pt, buf, 0x12ffc, 8) == -1);            /* runs off the mapping */
    CHECK(copyin(pt, buf, TRAPFRAME, 8) == -1);          /* kernel-only page */
    CHECK(copyin(pt, buf, KERNBASE, 8) == -1);           /* kernel memory */
    CHECK(copyin(pt, buf, ~0UL - 4, 8) == -1);           /* beyond MAXVA */
    uvm_free(pt);
    kfree(tf);
    kalloc_stats(&f1, &u1);
    CHECK(f1 == f0 && u1 == u0);
}

static struct {
    struct spinlock lock;
    int turn, rounds, done;
} pp;

static void pingpong(uint64 me)
{
    acquire(&pp.lock);
    for (int i = 0; i < pp.rounds; i++) {
        while (pp.turn != (int)me)
            sleep(&pp, &pp.lock);
        pp.turn = 1 - (int)me;
        pp.done++;
        wakeup(&pp);
    }
    release(&pp.lock);
}

static void test_threads(void)
{
    spin_init(&pp.lock, "pingpong");
    pp.turn = 0, pp.rounds = 50, pp.done = 0;
    int a = kthread_create(pingpong, 0, "ping"), b = kthread_create(pingpong, 1, "pong");
    CHECK(a > 0 && b > 0);
    int got = 0;
    for (int i = 0; i < 2; i++) {
        int pid = proc_wait(0);
        got += pid == a || pid == b;
    }
    CHECK(got == 2 && pp.done == 2 * pp.rounds);
}

void selftest_boot(void)
{
    test_format();
    test_kalloc();
    test_buddy();
    test_buddy_merge();
    test_buddy_upper_half();
    test_uvm();
    test_threads();
    kprintf("tiny-os: self-tests passed (format, kalloc, buddy, uvm, threads)\n");
}

/*
 * tests.c — the user-space test suite: `tests` runs every test of the table,
 * each in its own child process, and prints one line per test. The last
 * line is "ALL TESTS PASSED" only if every test passed.
 *
 * A test is a function run in the child; its return value is the child's
 * exit status. `expect` is the status the parent must see: 0 for ordinary
 * tests, KILLED (-1) for tests whose child must be killed by the kernel
 * (illegal instruction, bad address, bad system-call pointer). A test that
 * should have been killed but returns reports 1, so it fails.
 *
 * `tests NAME` runs only the named test. `tests --argcheck ...` is the
 * program the exec test execs into: it verifies argc/argv.
 */
#include "user.h"

#define KILLED (-1)
#define TRAPFRAME_ADDR 0x3FFFFFE000UL   /* mapped, but not for user mode */

struct test {
    const char *name;
    int (*fn)(void);
    int expect;
};

static int child_status(int (*fn)(void))
{
    int pid = fork(), status = 12345;
    if (pid == 0)
        exit(fn());
    if (pid < 0 || wait(&status) != pid)
        return 9999;
    return status;
}

static int only_exit(void) { return 42; }

static int t_fork_wait(void)
{
    int status;
    int pid = fork();
    if (pid == 0)
        exit(42);
    if (pid <= 0 || wait(&status) != pid || status != 42)
        return 1;
    return child_status(only_exit) == 42 ? 0 : 2;
}

static int t_getpid(void)
{
    int me = getpid(), pid = fork(), status;
    if (pid == 0)
        exit(getpid() != me && getpid() > 0 ? 0 : 1);
    return pid > me && wait(&status) == pid && status == 0 ? 0 : 1;
}

static int t_wait_no_children(void)
{
    return wait(0) == -1 ? 0 : 1;
}

static int many_counter;
static int t_many_children(void)
{
    int sum = 0, status;
    for (int i = 0; i < 20; i++) {
        int pid = fork();
        if (pid == 0)
            exit(i);
        if (pid < 0)
            return 1;
    }
    for (int i = 0; i < 20; i++) {
        if (wait(&status) < 0)
            return 2;
        sum += status;
    }
    return sum == 190 && wait(0) == -1 ? 0 : 3;
}

static int t_fork_isolation(void)
{
    int status;
    many_counter = 1;
    int pid = fork();
    if (pid == 0) {
        many_counter = 2;
        exit(many_counter == 2 ? 0 : 1);
    }
    wait(&status);
    return status == 0 && many_counter == 1 ? 0 : 1;
}

static int t_exec_args(void)
{
    char *argv[] = {"tests", "--argcheck", "alpha", "beta gamma", 0};
    int pid = fork(), status;
    if (pid == 0) {
        exec("tests", argv);
        exit(50);
    }
    return wait(&status) == pid && status == 77 ? 0 : 1;
}

static int t_exec_missing(void)
{
    char *argv[] = {"nosuch", 0};
    return exec("nosuch", argv) == ENOENT ? 0 : 1;
}

static int t_sleep_uptime(void)
{
    long t0 = uptime();
    if (sleep(3) != 0)
        return 1;
    long t1 = uptime();
    return t1 - t0 >= 3 && t1 - t0 < 50 ? 0 : 2;
}

static int t_yield(void)
{
    for (int i = 0; i < 50; i++)
        if (yield() != 0)
            return 1;
    return 0;
}

static int t_kill_spinner(void)
{
    int pid = fork(), status;
    if (pid == 0)
        for (;;)
            ;
    sleep(2);       /* only returns if the timer preempts the spinner */
    if (kill(pid) != 0 || wait(&status) != pid)
        return 1;
    return status == KILLED ? 0 : 2;
}

static int t_kill_sleeper(void)
{
    int pid = fork(), status;
    if (pid == 0) {
        sleep(100000);
        exit(3);
    }
    sleep(1);
    long t0 = uptime();
    if (kill(pid) != 0 || wait(&status) != pid)
        return 1;
    return status == KILLED && uptime() - t0 < 10 ? 0 : 2;
}

static int t_kill_invalid(void)
{
    return kill(99999) == -1 && kill(-1) == -1 && kill(1) == -1 ? 0 : 1;
}

static int t_orphans_reaped(void)
{
    struct sysinfo before, after;
    sysinfo(&before);
    int pid = fork(), status;
    if (pid == 0) {
        if (fork() == 0) {
            sleep(2);
            exit(0);
        }
        exit(0);            /* the grandchild becomes init's */
    }
    wait(&status);
    sleep(5);
    sysinfo(&after);
    return after.nproc == before.nproc ? 0 : 1;
}

static int t_no_leaks(void)
{
    struct sysinfo before, after;
    char *argv[] = {"echo", "-", "leak", "check", 0};
    sysinfo(&before);
    for (int i = 0; i < 3; i++) {
        int pid = fork(), status;
        if (pid == 0) {
            exec("echo", argv);
            exit(1);
        }
        if (wait(&status) != pid || status != 0)
            return 1;
    }
    sysinfo(&after);
    return after.free_pages == before.free_pages ? 0 : 2;
}

/* Descriptors that are not open are EBADF (-5); a negative count is EINVAL (-1). */
static int t_bad_fd(void)
{
    char c;
    return write(5, "x", 1) == EBADF && read(3, &c, 1) == EBADF && write(1, "x", -1) == EINVAL &&
           read(1, &c, 1) == EBADF && write(0, "x", 1) == EBADF ? 0 : 1;
}

static int t_write_console(void)
{
    return write(1, "", 0) == 0 && write(2, "  (stderr ok)\n", 14) == 14 ? 0 : 1;
}

static int t_quantum(void)
{
    int old = quantum(5);
    int mid = quantum(old);
    return old > 0 && mid == 5 && quantum(0) == old ? 0 : 1;
}

static int t_kstress(void)
{
    return kstress(2, 200);
}

/* --- the heap: sbrk and malloc --- */

#define HEAP_BASE_ADDR 0x40000000UL     /* kernel/memlayout.h HEAP_BASE */
#define HEAP_LIMIT (16UL << 20)          /* kernel/memlayout.h HEAP_MAX */
#define PAGE 4096L

static unsigned long free_pages(void)
{
    struct sysinfo si;
    sysinfo(&si);
    return si.free_pages;
}

/* Refused requests: -1, and the break does not move. */
static int sbrk_refusals(long brk)
{
    long bad[] = {-(brk - (long)HEAP_BASE_ADDR) - 1, (long)HEAP_LIMIT, (long)(1UL << 63),
                  (long)(~0UL >> 1), -(long)(~0UL >> 1)};
    for (unsigned i = 0; i < ARRAY_SIZE(bad); i++)
        if (sbrk(bad[i]) != -1 || sbrk(0) != brk)
            return 1;
    return 0;
}

/* Grow by 64 pages and shrink back: the frames come and go exactly. */
static int t_sbrk(void)
{
    char *base = (char *)sbrk(0);
    if ((unsigned long)base != HEAP_BASE_ADDR || sbrk(1) != (long)base)
        return 1;
    unsigned long f0 = free_pages();          /* the heap's page table exists now */
    if (sbrk(64 * PAGE) != (long)base + 1)
        return 2;
    for (char *q = base; q < base + 1 + 64 * PAGE; q += 256) {
        if (*q)
            return 3;                         /* fresh heap memory is zero */
        *q = 1;
    }
    if (f0 - free_pages() != 64 || sbrk(-64 * PAGE) != (long)base + 1 + 64 * PAGE)
        return 4;
    if (free_pages() != f0 || sbrk_refusals((long)base + 1))
        return 5;
    sbrk(300);
    base[200] = 9;
    sbrk(-300);                               /* the rest of the page is zeroed */
    sbrk(300);
    return base[200] == 0 && base[0] == 1 ? 0 : 6;
}

/* A page given back with sbrk is unmapped: touching it kills. */
static int t_sbrk_unmapped(void)
{
    volatile char *p = (char *)sbrk(2 * PAGE);
    p[PAGE] = 1;
    sbrk(-PAGE);
    return p[PAGE] ? 1 : 1;
}

/* fork copies the heap (and the break); exit frees the child's. */
static int t_sbrk_fork(void)
{
    char *h = (char *)sbrk(3 * PAGE);
    memset(h, 'p', 3 * PAGE);
    unsigned long f0 = free_pages();
    int pid = fork(), status;
    if (pid == 0) {
        int ok = sbrk(0) == (long)h + 3 * PAGE && h[0] == 'p' && h[3 * PAGE - 1] == 'p';
        memset(h, 'c', 3 * PAGE);
        ok = ok && sbrk(5 * PAGE) != -1;
        h[7 * PAGE] = 'c';
        exit(ok ? 0 : 1);
    }
    if (pid < 0 || wait(&status) != pid || status != 0)
        return 1;
    return h[0] == 'p' && h[3 * PAGE - 1] == 'p' && free_pages() == f0 ? 0 : 2;
}

static int heap_is(unsigned long used, unsigned long nfree)
{
    struct mallstat st;
    malloc_check(&st);
    return st.used_blocks == used && st.free_blocks == nfree && st.listed == nfree;
}

static unsigned char pattern(unsigned long size, unsigned long i)
{
    return (unsigned char)(size * 31 + i * 7 + 1);
}

static void fill(unsigned char *p, unsigned long n)
{
    for (unsigned long i = 0; i < n; i++)
        p[i] = pattern(n, i);
}

static int holds(const unsigned char *p, unsigned long n, unsigned long len)
{
    for (unsigned long i = 0; i < len; i++)
        if (p[i] != pattern(n, i))
            return 0;
    return 1;
}

/* Edge sizes: 16-aligned, usable to the last byte, no overlap. */
static int t_malloc_sizes(void)
{
    static const unsigned long sizes[] = {0, 1, 15, 16, 17, 31, 32, 33, 100, 4095, 4096, 4097,
                                          65536, 300000};
    unsigned char *p[ARRAY_SIZE(sizes)];
    for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
        if (!(p[i] = malloc(sizes[i])) || ((unsigned long)p[i] & 15))
            return 1;
        fill(p[i], sizes[i]);
    }
    for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++)
        if (!holds(p[i], sizes[i], sizes[i]) || (i && p[i] == p[i - 1]))
            return 2;
    if (!heap_is(ARRAY_SIZE(sizes), 1))
        return 3;
    for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++)
        free(p[ARRAY_SIZE(sizes) - 1 - i]);
    return heap_is(0, 1) ? 0 : 4;
}

#define NSMALL 2000
/* Many small blocks, freed in a scrambled order, coalesce into one. */
static int t_malloc_many(void)
{
    static unsigned char *p[NSMALL];
    for (int i = 0; i < NSMALL; i++) {
        if (!(p[i] = malloc(1 + (i * 37) % 120)))
            return 1;
        fill(p[i], 1 + (i * 37) % 120);
    }
    for (int i = 0; i < NSMALL; i++)
        if (!holds(p[i], 1 + (i * 37) % 120, 1 + (i * 37) % 120))
            return 2;
    for (int i = 0, j = 0; i < NSMALL; i++, j = (j + 769) % NSMALL)
        free(p[j]);                       /* 769 is prime to 2000: each once */
    return heap_is(0, 1) ? 0 : 3;
}

/* Neighbours merge on free; holes are reused only by what fits. */
static int t_malloc_coalesce(void)
{
    char *a = malloc(100), *b = malloc(100), *c = malloc(100), *d = malloc(100);
    free(a);
    free(c);
    if (!heap_is(2, 3))
        return 1;                         /* a, c and the top are apart */
    free(b);
    if (!heap_is(1, 2))
        return 2;                         /* a+b+c */
    free(d);
    if (!heap_is(0, 1))
        return 3;
    static char *q[64];
    for (int i = 0; i < 64; i++)
        q[i] = malloc(1000);
    for (int i = 0; i < 64; i += 2)
        free(q[i]);
    if (!heap_is(32, 33))
        return 4;                         /* 32 holes + the top */
    char *big = malloc(1500), *small = malloc(500);
    if (big < q[63] || small > q[63])
        return 5;                         /* big did not fit a hole; small did */
    free(big);
    free(small);
    for (int i = 1; i < 64; i += 2)
        free(q[i]);
    return heap_is(0, 1) ? 0 : 6;
}

static int t_realloc(void)
{
    unsigned long n = 10;
    unsigned char *p = malloc(n);
    fill(p, n);
    for (unsigned long m = 15; m < 100000; m = m * 3 / 2) {
        unsigned char *q = realloc(p, m);
        if (!q || ((unsigned long)q & 15) || !holds(q, n, n))
            return 1;                     /* the old contents moved along */
        fill(q, m);
        p = q, n = m;
    }
    free(p);
    char *a = malloc(100), *b = malloc(100);
    free(b);
    if (realloc(a, 300) != a || realloc(a, 20) != a)
        return 2;                         /* grew into the free neighbour; shrank in place */
    if (realloc(a, 0) != 0 || !heap_is(0, 1))
        return 3;
    return (p = realloc(0, 50)) != 0 && heap_is(1, 1) ? 0 : 4;
}

static int t_calloc(void)
{
    unsigned char *p = malloc(1000);
    memset(p, 0xff, 1000);
    free(p);
    unsigned char *q = calloc(10, 100);
    for (int i = 0; i < 1000; i++)
        if (q[i])
            return 1;
    if (calloc(1UL << 33, 1UL << 33) != 0 || calloc(~0UL, 2) != 0)
        return 2;                         /* n * size overflows */
    return q == p && calloc(0, 5) != 0 ? 0 : 3;
}

/* malloc returns NULL when the heap is full; freeing gives the frames back. */
static int t_malloc_exhaust(void)
{
    static char *p[80];
    unsigned long f0 = free_pages();
    int n = 0;
    while (n < 80 && (p[n] = malloc(256 << 10)) != 0) {
        p[n][0] = p[n][(256 << 10) - 1] = 1;
        n++;
    }
    if (n < 60 || n >= 64 || malloc(256 << 10) != 0 || malloc(~0UL) != 0 || malloc(1UL << 32))
        return 1;                         /* 16 MiB holds 63 of them with headers */
    char *small = malloc(100);            /* the tail still serves small blocks */
    for (int i = 0; i < n; i++)
        free(p[i]);
    free(small);
    struct mallstat st;
    malloc_check(&st);
    if (st.heap_bytes > (64 << 10) || !heap_is(0, 1) || small == 0)
        return 2;                         /* trimmed to TRIM_KEEP */
    unsigned long mapped = (sbrk(0) - HEAP_BASE_ADDR + PAGE - 1) / PAGE;
    return f0 - free_pages() == mapped + 2 && malloc(256 << 10) != 0 ? 0 : 3;   /* + 2 tables */
}

#define NLIVE 64
static unsigned long rnd_state = 12345;
static unsigned long rnd(unsigned long n)
{
    rnd_state = rnd_state * 6364136223846793005UL + 1442695040888963407UL;
    return (rnd_state >> 33) % n;
}

/* One random step on slot i: malloc, realloc or free; contents checked first. */
static int random_step(unsigned char **p, unsigned long *len, int i)
{
    if (p[i] && !holds(p[i], len[i], len[i]))
        return 0;
    unsigned long n = rnd(16) == 0 ? rnd(6000) : rnd(200);
    int op = (int)rnd(3);
    if (op == 0 || !p[i]) {
        free(p[i]);
        p[i] = malloc(n);
    } else if (op == 1) {
        unsigned char *q = realloc(p[i], n);
        if (n && (!q || !holds(q, len[i], len[i] < n ? len[i] : n)))
            return 0;
        p[i] = q;
    } else {
        free(p[i]);
        p[i] = 0, n = 0;
    }
    len[i] = p[i] ? n : 0;
    if (p[i])
        fill(p[i], n);
    return 1;
}

/* 2000 random mallocs, reallocs and frees on 64 live slots, checked against their patterns. */
static int t_malloc_random(void)
{
    static unsigned char *p[NLIVE];
    static unsigned long len[NLIVE];
    struct mallstat st;
    for (int step = 0; step < 2000; step++) {
        if (!random_step(p, len, (int)rnd(NLIVE)))
            return 1;
        if (step % 500 == 0)
            malloc_check(&st);
    }
    for (int i = 0; i < NLIVE; i++)
        free(p[i]);
    return heap_is(0, 1) ? 0 : 2;
}

static int t_double_free(void)
{
    char *p = malloc(24);
    free(p);
    free(p);
    return 1;
}

static int t_heap_overflow(void)
{
    char *p = malloc(24);
    p[24] = 'x';                          /* one byte past the end */
    free(p);
    return 1;
}

static int t_bad_free(void)
{
    char *p = malloc(64);
    free(p + 16);
    return 1;
}

/* --- tests whose child must be killed by the kernel --- */

static int t_illegal_instruction(void)
{
    asm volatile(".word 0");
    return 1;
}

static int t_null_deref(void)
{
    return *(volatile int *)0 ? 1 : 1;
}

static int t_kernel_memory(void)
{
    return *(volatile int *)0x80000000UL ? 1 : 1;
}

static int t_write_text(void)
{
    *(volatile int *)(void *)t_write_text = 0;
    return 1;
}

static int t_bad_write_ptr(void)
{
    write(1, (void *)0x7000000, 10);
    return 1;
}

static int t_bad_out_ptr(void)
{
    sysinfo((struct sysinfo *)(void *)t_bad_out_ptr);   /* code is not writable */
    return 1;
}

static int t_bad_exec_ptr(void)
{
    exec((char *)0x10, 0);
    return 1;
}

static int t_bad_wait_ptr(void)
{
    if (fork() == 0)
        exit(0);
    wait((int *)TRAPFRAME_ADDR);
    return 1;
}

static int recurse(int n)
{
    volatile char pad[512];
    pad[0] = (char)n;
    if (n > 1000000)
        return 0;
    return recurse(n + 1) + pad[0];
}

static int t_stack_overflow(void)
{
    return recurse(0) ? 1 : 1;
}

static int blk_bad_pointer(void)
{
    blkwrite(0, (void *)0x10);
    return 1;
}

/* Block calls: -1 without a disk; with one, bounds, a round trip and a bad pointer. */
static int t_blk_calls(void)
{
    static char a[4096], b[4096];
    struct blkinfo bi;
    if (blkinfo(&bi) < 0)
        return blkread(0, a) != -1 || blkwrite(0, a) != -1 || blksync() != -1 ||
               blkinval() != -1;
    long last = (long)bi.nblocks - 1;
    if (blkread(last + 1, a) != -1 || blkread(-1, a) != -1 || blkwrite(last + 1, a) != -1)
        return 2;
    if (blkread(last, a) < 0 || blkwrite(last, a) < 0 || blksync() < 0 || blkinval() < 0 ||
        blkread(last, b) < 0 || memcmp(a, b, sizeof a) != 0)
        return 3;
    return child_status(blk_bad_pointer) == KILLED ? 0 : 4;
}

static const struct test tests[] = {
    {"fork_wait", t_fork_wait, 0},
    {"getpid", t_getpid, 0},
    {"wait_no_children", t_wait_no_children, 0},
    {"many_children", t_many_children, 0},
    {"fork_isolation", t_fork_isolation, 0},
    {"exec_args", t_exec_args, 0},
    {"exec_missing", t_exec_missing, 0},
    {"sleep_uptime", t_sleep_uptime, 0},
    {"yield", t_yield, 0},
    {"kill_spinner", t_kill_spinner, 0},
    {"kill_sleeper", t_kill_sleeper, 0},
    {"kill_invalid", t_kill_invalid, 0},
    {"orphans_reaped", t_orphans_reaped, 0},
    {"no_leaks", t_no_leaks, 0},
    {"bad_fd", t_bad_fd, 0},
    {"write_console", t_write_console, 0},
    {"quantum", t_quantum, 0},
    {"kstress", t_kstress, 0},
    {"blk_calls", t_blk_calls, 0},
    {"sbrk", t_sbrk, 0},
    {"sbrk_fork", t_sbrk_fork, 0},
    {"malloc_sizes", t_malloc_sizes, 0},
    {"malloc_many", t_malloc_many, 0},
    {"malloc_coalesce", t_malloc_coalesce, 0},
    {"realloc", t_realloc, 0},
    {"calloc", t_calloc, 0},
    {"malloc_exhaust", t_malloc_exhaust, 0},
    {"malloc_random", t_malloc_random, 0},
    {"illegal_instruction", t_illegal_instruction, KILLED},
    {"null_deref", t_null_deref, KILLED},
    {"kernel_memory", t_kernel_memory, KILLED},
    {"write_text", t_write_text, KILLED},
    {"bad_write_ptr", t_bad_write_ptr, KILLED},
    {"bad_out_ptr", t_bad_out_ptr, KILLED},
    {"bad_exec_ptr", t_bad_exec_ptr, KILLED},
    {"bad_wait_ptr", t_bad_wait_ptr, KILLED},
    {"stack_overflow", t_stack_overflow, KILLED},
    {"sbrk_unmapped", t_sbrk_unmapped, KILLED},
    {"double_free", t_double_free, KILLED},
    {"heap_overflow", t_heap_overflow, KILLED},
    {"bad_free", t_bad_free, KILLED},
};

/* Exec target of t_exec_args: exit 77 iff argv arrived intact. */
static int argcheck(int argc, char **argv)
{
    int ok = argc == 4 && strcmp(argv[0], "tests") == 0 && strcmp(argv[2], "alpha") == 0 &&
             strcmp(argv[3], "beta gamma") == 0 && argv[4] == 0 && ((unsigned long)argv & 15) == 0;
    return ok ? 77 : 1;
}

static int run_one(const struct test *t)
{
    int status = child_status(t->fn);
    int pass = status == t->expect;
    if (pass)
        printf("test %s: PASS\n", t->name);
    else
        printf("test %s: FAIL (exit status %d, expected %d)\n", t->name, status, t->expect);
    return pass;
}

int main(int argc, char **argv)
{
    int passed = 0, ran = 0;
    if (argc > 1 && strcmp(argv[1], "--argcheck") == 0)
        return argcheck(argc, argv);
    for (unsigned i = 0; i < ARRAY_SIZE(tests); i++) {
        if (argc > 1 && strcmp(argv[1], tests[i].name) != 0)
            continue;
        ran++;
        passed += run_one(&tests[i]);
    }
    printf("%d of %d tests passed\n", passed, ran);
    if (ran > 0 && passed == ran) {
        printf("ALL TESTS PASSED\n");
        return 0;
    }
    printf("SOME TESTS FAILED\n");
    return 1;
}

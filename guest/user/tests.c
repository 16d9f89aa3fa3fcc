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
    {"illegal_instruction", t_illegal_instruction, KILLED},
    {"null_deref", t_null_deref, KILLED},
    {"kernel_memory", t_kernel_memory, KILLED},
    {"write_text", t_write_text, KILLED},
    {"bad_write_ptr", t_bad_write_ptr, KILLED},
    {"bad_out_ptr", t_bad_out_ptr, KILLED},
    {"bad_exec_ptr", t_bad_exec_ptr, KILLED},
    {"bad_wait_ptr", t_bad_wait_ptr, KILLED},
    {"stack_overflow", t_stack_overflow, KILLED},
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

/*
 * shtests.c — the in-guest test table of pipes, descriptors, exec from a
 * path and process groups (system calls 70-75, exec): `shtests [NAME]`.
 *
 * Each test runs in its own child process (a crash fails only that test;
 * one that hangs is killed after TIMEOUT_TICKS and fails) and prints "test NAME: PASS" or "FAIL"; the table
 * ends with "N of M tests passed" and "ALL TESTS PASSED". Tests that need a
 * file system with /bin (exec from a path) say SKIP without one.
 *
 *   pipe_roundtrip   bytes written come out in order; a big write (64 KiB,
 *                    16 times the ring) crosses between two processes
 *   pipe_eof         read returns 0 once every write end is closed, and only
 *                    then (a dup'd write end keeps it open)
 *   pipe_epipe       a write with no read end open returns EPIPE
 *   pipe_fork        fork shares both ends; exit closes them (EOF follows)
 *   dup_dup2         dup takes the lowest free descriptor and shares the
 *                    offset; dup2 replaces an open descriptor; bad ones: EBADF
 *   pipe_badptr      a bad buffer kills only the caller
 *   fd_limit         pipe fails with EMFILE when the table is full, leaking
 *                    nothing (free pages back to where they were)
 *   exec_path        /bin/echo by path; a bare name from /bin; ENOENT for a
 *                    missing path, EISDIR for a directory, EINVAL for a file
 *                    that is not an ELF
 *   waitnb           0 while a child runs, its pid once it exited, -1 with none
 *   pgid             setpgid on self and child, not on a stranger
 */
#include "user.h"

struct test {
    const char *name;
    int (*fn)(void);
};

static int fail(const char *why)
{
    printf("  %s\n", why);
    return 1;
}

static int t_pipe_roundtrip(void)
{
    static char big[65536], got[65536];
    int p[2];
    if (pipe(p) < 0 || write(p[1], "abc", 3) != 3)
        return fail("pipe or small write");
    char b[8];
    if (read(p[0], b, sizeof b) != 3 || memcmp(b, "abc", 3) != 0)
        return fail("small read");
    for (int i = 0; i < (int)sizeof big; i++)
        big[i] = (char)(i * 7 + i / 251);
    int pid = fork();
    if (pid == 0) {
        close(p[0]);
        exit(write(p[1], big, sizeof big) == (int)sizeof big ? 0 : 1);
    }
    close(p[1]);
    int n = 0, r, status = 1;
    while (n < (int)sizeof got && (r = read(p[0], got + n, sizeof got - n)) > 0)
        n += r;
    wait(&status);
    return n == (int)sizeof got && status == 0 && memcmp(big, got, sizeof got) == 0 ? 0 : fail("big write");
}

static int t_pipe_eof(void)
{
    int p[2];
    char c;
    if (pipe(p) < 0)
        return 1;
    int extra = dup(p[1]);
    write(p[1], "x", 1);
    close(p[1]);
    if (read(p[0], &c, 1) != 1)
        return fail("byte before EOF");
    int pid = fork();
    if (pid == 0) {
        sleep(3);                    /* the parent is blocked in read meanwhile */
        write(extra, "y", 1);
        exit(0);
    }
    close(extra);                    /* the child still holds a write end */
    int r1 = read(p[0], &c, 1), r2 = read(p[0], &c, 1);
    wait(0);
    return r1 == 1 && c == 'y' && r2 == 0 ? 0 : fail("EOF too early or never");
}

static int t_pipe_epipe(void)
{
    int p[2];
    if (pipe(p) < 0)
        return 1;
    close(p[0]);
    int r = write(p[1], "x", 1);
    return r == EPIPE ? 0 : fail("write without readers did not return EPIPE");
}

static int t_pipe_fork(void)
{
    int p[2], status = 1;
    char buf[16];
    if (pipe(p) < 0)
        return 1;
    int pid = fork();
    if (pid == 0) {
        write(p[1], "child", 5);
        exit(0);                     /* exit closes the child's write end */
    }
    close(p[1]);
    int n = read(p[0], buf, sizeof buf), eof = read(p[0], buf, sizeof buf);
    wait(&status);
    return n == 5 && memcmp(buf, "child", 5) == 0 && eof == 0 && status == 0 ? 0 : fail("fork sharing");
}

static int t_dup_dup2(void)
{
    int p[2];
    char c = 0;
    if (pipe(p) < 0)
        return 1;
    int d = dup(p[1]);
    if (d != p[1] + 1)
        return fail("dup is not the lowest free descriptor");
    write(d, "q", 1);
    if (dup2(p[0], 10) != 10 || read(10, &c, 1) != 1 || c != 'q')
        return fail("dup2 to a free slot");
    if (dup2(p[1], p[0]) != p[0] || write(p[0], "w", 1) != 1 || read(10, &c, 1) != 1 || c != 'w')
        return fail("dup2 over an open descriptor");
    if (dup(13) != EBADF || dup2(13, 4) != EBADF || dup2(p[1], 99) != EBADF)
        return fail("bad descriptors");
    return 0;
}

static int t_pipe_badptr(void)
{
    int p[2], status = 0;
    if (pipe(p) < 0)
        return 1;
    write(p[1], "z", 1);
    int pid = fork();
    if (pid == 0) {
        read(p[0], (void *)0x10, 1);
        exit(0);                     /* not reached: the read kills it */
    }
    wait(&status);
    int p2[2];
    return status == -1 && pipe(p2) == 0 ? 0 : fail("bad pointer not killed, or the kernel suffered");
}

static int t_fd_limit(void)
{
    struct sysinfo before, after;
    int p[2], n = 0, r = 0;
    sysinfo(&before);
    while ((r = pipe(p)) == 0)
        n++;
    for (int fd = 3; fd < 16; fd++)
        close(fd);
    sysinfo(&after);
    if (r != EMFILE || n != 6)
        return fail("expected 6 pipes then EMFILE");
    return after.free_pages == before.free_pages ? 0 : fail("pages leaked");
}

static int have_bin(void)
{
    struct stat st;
    return stat("/bin/echo", &st) == 0;
}

static int run(const char *name, char **argv)
{
    int status = -5, pid = fork();
    if (pid == 0)
        exit(100 - exec(name, argv));   /* only if exec failed: 100 - the error */
    wait(&status);
    return status;
}

static int t_exec_path(void)
{
    char *argv[] = {"echo", "  (exec by path ok)", 0};
    if (!have_bin())
        return printf("  SKIP: no /bin/echo\n"), 0;
    if (run("/bin/echo", argv) != 0 || run("echo", argv) != 0)
        return fail("/bin/echo by path or by name");
    if (run("/bin/nosuch", argv) != 100 - ENOENT || run("/bin", argv) != 100 - EISDIR)
        return fail("ENOENT / EISDIR");
    int fd = open("/tmp/notelf", O_WRONLY | O_CREAT | O_TRUNC);
    write(fd, "#!not an elf\n", 13);
    close(fd);
    int r = run("/tmp/notelf", argv);
    unlink("/tmp/notelf");
    return r == 100 - EINVAL ? 0 : fail("a non-ELF file");
}

static int t_waitnb(void)
{
    int st = 5;
    if (waitnb(&st) != -1)
        return fail("no children: -1");
    int pid = fork();
    if (pid == 0) {
        sleep(5);
        exit(7);
    }
    if (waitnb(&st) != 0)
        return fail("a running child: 0");
    sleep(20);
    int got = waitnb(&st);
    return got == pid && st == 7 ? 0 : fail("an exited child: its pid and status");
}

static int t_pgid(void)
{
    if (setpgid(0, 0) != 0)
        return fail("own group");
    int pid = fork();
    if (pid == 0) {
        sleep(100);
        exit(0);
    }
    int ok = setpgid(pid, pid) == 0 && setpgid(1, 5) == -1;
    kill(pid);
    wait(0);
    return ok ? 0 : fail("child may be moved, init may not");
}

static const struct test tests[] = {
    {"pipe_roundtrip", t_pipe_roundtrip}, {"pipe_eof", t_pipe_eof}, {"pipe_epipe", t_pipe_epipe},
    {"pipe_fork", t_pipe_fork},           {"dup_dup2", t_dup_dup2}, {"pipe_badptr", t_pipe_badptr},
    {"fd_limit", t_fd_limit},             {"exec_path", t_exec_path}, {"waitnb", t_waitnb},
    {"pgid", t_pgid},
};

#define TIMEOUT_TICKS 500

/* Runs one test in a child, killed if it hangs for TIMEOUT_TICKS; 1 if it passed. */
static int run_test(const struct test *t)
{
    int status = -1, pid = fork(), got = 0;
    if (pid == 0)
        exit(t->fn());
    for (long t0 = uptime(); (got = waitnb(&status)) == 0 && uptime() - t0 < TIMEOUT_TICKS;)
        sleep(1);
    if (got == 0) {
        printf("  timed out: killed\n");
        kill(pid);
        wait(&status);
    }
    printf("test %s: %s\n", t->name, status == 0 ? "PASS" : "FAIL");
    return status == 0;
}

int main(int argc, char **argv)
{
    int n = 0, passed = 0, ntests = sizeof tests / sizeof tests[0];
    for (int i = 0; i < ntests; i++)
        if (argc < 2 || strcmp(argv[1], tests[i].name) == 0)
            n++, passed += run_test(&tests[i]);
    printf("%d of %d tests passed\n", passed, n);
    printf(passed == n && n > 0 ? "ALL TESTS PASSED\n" : "SOME TESTS FAILED\n");
    return passed == n && n > 0 ? 0 : 1;
}

/*
 * fscrash.c — a file-system workload for the crash-state explorer, and its
 * oracle.
 *
 *   fscrash run       the workload; prints "fscrash: step K" once step K is
 *                     durable (its fsync, sync or snapshot returned)
 *   fscrash check K   on a crashed disk whose run had reported step K:
 *                     checks the guarantees below, prints "fscrash: PASS
 *                     step K ..." or "fscrash: FAIL <what>"
 *
 * Steps (files under /c; contents are patterns of a version letter):
 *   1  mkdir /c; create /c/a = A (8000 bytes) and /c/x = X; fsync both
 *   2  create /c/tmp = B (12000 bytes), fsync; rename /c/tmp over /c/a; sync
 *   3  unlink /c/x; sync
 *   4  snapshot / as /s1 (commits)
 *   5  overwrite /c/a bytes 3000..7999 (version C); fsync
 *   6  reflink /c/a to /c/r; overwrite /c/r bytes 1000..3999 (version D); fsync
 *   7.. 16  append 700 bytes to /c/log; fsync (one step each)
 *
 * Guarantees checked, for the reported step K (a crash may also have kept
 * some of step K + 1, which any commit, the periodic one too, makes
 * durable, but nothing beyond):
 *   after fsync the data is there: every file holds the content of step K
 *     or of step K + 1, whole (never a mixture of versions, never less);
 *   rename is atomic: /c/a never disappears once step 1 is done, and holds
 *     A or B around step 2, never neither, never /c/tmp's partial state;
 *   snapshots share no modification: /s1/c/a is B whatever happened later,
 *     /s1/c/x is absent (unlinked before), /s1/c/r absent;
 *   reflinks share no modification: /c/a never shows version D;
 *   the log holds exactly the appends of the reported steps (or one more).
 */
#include "user.h"

#define NLOG 10

static char buf[16384], got[16384];
static int K;

static void pattern(char *p, int n, int version)
{
    for (int i = 0; i < n; i++)
        p[i] = (char)('A' + version + i * 13 + i / 97);
}

/* Content of /c/a in version v: 1 = A, 2 = B, 3 = B with C, 4 = ... with D (only /c/r). */
static int content_a(int v, char *p)
{
    if (v == 1) {
        pattern(p, 8000, 1);
        return 8000;
    }
    pattern(p, 12000, 2);
    if (v >= 3)
        pattern(p + 3000, 5000, 3);
    if (v >= 4)
        pattern(p + 1000, 3000, 4);
    return 12000;
}

static int die(const char *what, int r)
{
    printf("fscrash: FAIL %s (%s)\n", what, errstr(r));
    return 1;
}

static int put(const char *path, const char *data, int n, int off, int flags)
{
    int fd = open(path, O_WRONLY | O_CREAT | flags), r = fd;
    if (fd >= 0 && off >= 0)
        r = (int)lseek(fd, off, SEEK_SET);
    if (r >= 0)
        r = write(fd, data, n);
    if (r >= 0)
        r = fsync(fd);
    if (fd >= 0)
        close(fd);
    return r < 0 ? r : 0;
}

static void step(int k)
{
    printf("fscrash: step %d\n", k);
}

static int run(void)
{
    int r = mkdir("/c");
    if (!r)
        r = put("/c/a", buf, content_a(1, buf), 0, O_TRUNC);
    pattern(got, 3000, 9);
    if (!r)
        r = put("/c/x", got, 3000, 0, O_TRUNC);
    if (r)
        return die("step 1", r);
    step(1);
    if ((r = put("/c/tmp", buf, content_a(2, buf), 0, O_TRUNC)) || (r = rename("/c/tmp", "/c/a")) || (r = (int)sync()) < 0)
        return die("step 2", r);
    step(2);
    if ((r = unlink("/c/x")) || (r = (int)sync()) < 0)
        return die("step 3", r);
    step(3);
    if ((r = snapshot("/", "/s1")))
        return die("step 4", r);
    step(4);
    content_a(3, buf);
    if ((r = put("/c/a", buf + 3000, 5000, 3000, 0)))
        return die("step 5", r);
    step(5);
    content_a(4, buf);
    if ((r = reflink("/c/a", "/c/r")) || (r = put("/c/r", buf + 1000, 3000, 1000, 0)))
        return die("step 6", r);
    step(6);
    for (int i = 0; i < NLOG; i++) {
        pattern(buf, 700, 20 + i);
        if ((r = put("/c/log", buf, 700, -1, O_APPEND)))
            return die("append", r);
        step(7 + i);
    }
    printf("fscrash: PASS run\n");
    return 0;
}

/* ---- the oracle ---- */

static int fail(const char *what, const char *path, long a)
{
    printf("fscrash: FAIL %s: %s (%ld) at step %d\n", what, path, a, K);
    return 1;
}

/* The file's bytes into got: its size, or a negative error (ENOENT if absent). */
static int slurp(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return fd;
    int n = read(fd, got, sizeof got);
    close(fd);
    return n;
}

static char version[5][12000];       /* /c/a's contents, computed once per check */
static int version_len[5];

/* Which of versions lo..hi of /c/a's content (or -1 absent, 0 empty) the file holds; -9 none. */
static int which(const char *path, int lo, int hi)
{
    int n = slurp(path);
    if (n == ENOENT)
        return -1;
    if (n == 0)
        return 0;
    for (int v = lo; v <= hi; v++) {
        if (!version_len[v])
            version_len[v] = content_a(v, version[v]);
        if (n == version_len[v] && memcmp(version[v], got, n) == 0)
            return v;
    }
    return -9;
}

static int allowed(int v, const char *set)
{
    for (; *set; set++)
        if ((*set == 'n' && v == -1) || (*set == 'e' && v == 0) || (*set - '0' == v))
            return 1;
    return 0;
}

/* The states each file may be in after step K: n = absent, e = empty, digits = versions. */
static const char *const a_ok[] = {"ne1", "12", "2", "2", "23", "3", "3"};
static const char *const r_ok[] = {"n", "n", "n", "n", "n", "n34", "4"};
static const char *const s1_ok[] = {"n", "n", "n", "n2", "2", "2", "2"};

static int check_x(void)
{
    int n = slurp("/c/x");
    pattern(buf, 3000, 9);
    int full = n == 3000 && memcmp(buf, got, 3000) == 0;
    if (K == 1 && !full)
        return fail("/c/x lost after its fsync", "/c/x", n);
    if (K >= 3 && n != ENOENT)
        return fail("/c/x back after its unlink was synced", "/c/x", n);
    if (n >= 0 && n != 0 && !full)
        return fail("/c/x holds bytes it never had", "/c/x", n);
    return slurp("/s1/c/x") != ENOENT ? fail("the snapshot shows a file unlinked before it", "/s1/c/x", 0) : 0;
}

static int check_log(void)
{
    int n = slurp("/c/log"), done = K > 6 ? K - 6 : 0;
    if (n < 0)
        n = done == 0 && n == ENOENT ? 0 : n;
    if (n < 0 || n % 700 || n / 700 < done || n / 700 > done + 1)
        return fail("/c/log does not hold the synced appends", "/c/log", n);
    for (int i = 0; i < n / 700; i++) {
        pattern(buf, 700, 20 + i);
        if (memcmp(buf, got + 700 * i, 700) != 0)
            return fail("/c/log: an append holds the wrong bytes", "/c/log", i);
    }
    return 0;
}

static int check(void)
{
    int k = K > 6 ? 6 : K;
    int a = which("/c/a", 1, 3), r = which("/c/r", 3, 4), s = which("/s1/c/a", 1, 4);
    if (!allowed(a, a_ok[k]))
        return fail(a == -9 ? "/c/a holds a mixture or another file's bytes" : "/c/a in a state the steps exclude",
                    "/c/a", a);
    if (which("/c/a", 4, 4) == 4)
        return fail("the reflink's modification shows in the original", "/c/a", 4);
    if (!allowed(r, r_ok[k]))
        return fail("/c/r in a state the steps exclude", "/c/r", r);
    if (!allowed(s, s1_ok[k]))
        return fail("the snapshot does not hold the state it was taken of", "/s1/c/a", s);
    if (slurp("/c/tmp") >= 0 && K >= 2)
        return fail("/c/tmp still there after the rename was synced", "/c/tmp", 0);
    if (check_x() || check_log())
        return 1;
    printf("fscrash: PASS step %d: /c/a version %d, /c/r %d, /s1/c/a %d\n", K, a, r, s);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "run") == 0)
        return run();
    if (argc >= 3 && strcmp(argv[1], "check") == 0) {
        K = atoi(argv[2]);
        return check();
    }
    printf("usage: fscrash run | fscrash check STEP\n");
    return 2;
}

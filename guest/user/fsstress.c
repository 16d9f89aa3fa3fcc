/*
 * fsstress.c — random file-system operations checked against an in-memory
 * model, in rounds separated by reboots.
 *
 *   fsstress SEED ROUND OPS [-v] [-r ROOT]
 *
 * The namespace is /s: files f0..f5 in /s itself and in directories
 * d1..d4 below it. Round r (0, 1, ...) is OPS operations drawn from the
 * seed and r: create, write at a random offset (leaving holes), overwrite,
 * append, truncate (down and up), read back a random range, rename a file
 * (over an existing one too, across directories), unlink, mkdir, rmdir,
 * rename a directory (over an empty one). Every call's result is compared
 * with what the model says it must be (a value or an error code), and
 * every byte read with the model's. The round ends with sync.
 *
 * Round r first replays rounds 0..r-1 on the model alone (they are a pure
 * function of the seed), then checks that the disk holds exactly the
 * model: every name (stat, and each directory's listing through readdir)
 * and every file's bytes. So running rounds 0, 1, 2 ... each on a freshly
 * booted machine checks that everything synced survived the reboot.
 * Round 0 creates /s (it must not exist). With -v the program stops after
 * that check (no round is run, nothing is written); with -r ROOT the tree
 * checked and changed is ROOT/s, e.g. a snapshot's (`-v -r /snap` checks
 * that a snapshot taken after round R-1 still holds exactly that state).
 * Files are also cloned with reflink (over an existing file too), so later
 * writes and truncates break the sharing of the extents they touch.
 *
 * Last line: "fsstress: PASS seed S round R ops N files F bytes B" or
 * "fsstress: FAIL <what> (op I path P: got X, want Y)"; exit status 0 or 1.
 */
#include "user.h"

#define ND 5                          /* /s and /s/d1 .. /s/d4 */
#define NF 6
#define MAXF 12288

static struct {
    int exists;
    int nfiles;
} dirs[ND];
static struct {
    int exists;
    int size;
    unsigned char data[MAXF];
} files[ND][NF];
static unsigned char buf[MAXF], got[MAXF];
static unsigned long rng;
static int live;                      /* live: apply to the disk as well as the model */
static const char *root = "";         /* the tree is root + "/s" */
static long opno;

static unsigned long next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static int pick(int n) { return (int)(next() % (unsigned long)n); }

static void dpath(char *p, int d)
{
    char *s = d ? "/s/d0" : "/s";
    int r = strlen(root), n = strlen(s);
    memcpy(p, root, r);
    memcpy(p + r, s, n + 1);
    if (d)
        p[r + 4] = (char)('0' + d);
}

static void fpath(char *p, int d, int f)
{
    dpath(p, d);
    int n = strlen(p);
    p[n] = '/', p[n + 1] = 'f', p[n + 2] = (char)('0' + f), p[n + 3] = 0;
}

static int fail(const char *what, const char *path, long got_v, long want)
{
    printf("fsstress: FAIL %s (op %ld path %s: got %ld, want %ld)\n", what, opno, path, got_v, want);
    return 1;
}

static int check(const char *what, const char *path, long r, long want)
{
    return !live || r == want ? 0 : fail(what, path, r, want);
}

/* ---- operations: each updates the model and, when live, the disk ---- */

static int op_write(int d, int f, int append)
{
    char p[80];
    fpath(p, d, f);
    int off = append ? files[d][f].size : pick(MAXF - 1), len = 1 + pick(6000);
    if (off + len > MAXF)
        len = MAXF - off;
    if (append && len <= 0)
        return 0;
    for (int i = 0; i < len; i++)
        buf[i] = (unsigned char)next();
    int want = dirs[d].exists ? 0 : ENOENT;
    if (live) {
        int fd = open(p, O_WRONLY | O_CREAT | (append ? O_APPEND : 0));
        if (check("open for writing", p, fd < 0 ? fd : 0, want))
            return 1;
        if (fd >= 0) {
            long r = append ? 0 : lseek(fd, off, SEEK_SET);
            if (r == off || append)
                r = write(fd, buf, len);
            close(fd);
            if (check("write", p, r, len))
                return 1;
        }
    }
    if (want)
        return 0;
    if (!files[d][f].exists)
        dirs[d].nfiles++;
    files[d][f].exists = 1;
    memcpy(files[d][f].data + off, buf, len);
    if (off + len > files[d][f].size)
        files[d][f].size = off + len;
    return 0;
}

static int op_truncate(int d, int f)
{
    char p[80];
    fpath(p, d, f);
    int size = pick(MAXF), want = files[d][f].exists ? 0 : ENOENT;
    if (live) {
        int fd = open(p, O_WRONLY);
        if (check("open for truncate", p, fd < 0 ? fd : 0, want))
            return 1;
        if (fd >= 0) {
            int r = ftruncate(fd, size);
            close(fd);
            if (check("ftruncate", p, r, 0))
                return 1;
        }
    }
    if (want)
        return 0;
    memset(files[d][f].data + size, 0, MAXF - size);   /* the model keeps zeros past the size */
    files[d][f].size = size;
    return 0;
}

static int verify_range(int d, int f, int off, int len)
{
    char p[80];
    fpath(p, d, f);
    int fd = open(p, O_RDONLY);
    if (check("open for reading", p, fd < 0 ? fd : 0, files[d][f].exists ? 0 : ENOENT))
        return 1;
    if (fd < 0)
        return 0;
    int want = off >= files[d][f].size ? 0 : (off + len > files[d][f].size ? files[d][f].size - off : len);
    long r = lseek(fd, off, SEEK_SET);
    if (r == off)
        r = read(fd, got, len);
    close(fd);
    if (check("read", p, r, want))
        return 1;
    for (int i = 0; i < want; i++)
        if (got[i] != files[d][f].data[off + i])
            return fail("bytes differ", p, off + i, files[d][f].data[off + i]);
    return 0;
}

static int op_read(int d, int f)
{
    int off = pick(MAXF), len = 1 + pick(MAXF);
    if (off + len > MAXF)
        len = MAXF - off;
    return live ? verify_range(d, f, off, len) : 0;
}

static int op_unlink(int d, int f)
{
    char p[80];
    fpath(p, d, f);
    int want = files[d][f].exists ? 0 : ENOENT;
    if (live && check("unlink", p, unlink(p), want))
        return 1;
    if (want == 0) {
        memset(&files[d][f], 0, sizeof files[d][f]);
        dirs[d].nfiles--;
    }
    return 0;
}

/*
 * Runs call (rename or reflink) from file (d, f) to (d2, f2) on a live disk and
 * checks it against the model: ENOENT unless the source exists and the target
 * directory does (*want). Returns 1 on a mismatch.
 */
static int pair_call(const char *what, int (*call)(const char *, const char *), int d, int f, int d2, int f2,
                     int *want)
{
    char p[80], q[80];
    fpath(p, d, f);
    fpath(q, d2, f2);
    *want = files[d][f].exists && dirs[d2].exists ? 0 : ENOENT;
    return live && check(what, p, call(p, q), *want);
}

/* Makes the model's (d2, f2) a copy of (d, f), counting it in d2 if it is new there. */
static void model_copy(int d, int f, int d2, int f2)
{
    if (!files[d2][f2].exists)
        dirs[d2].nfiles++;
    memcpy(&files[d2][f2], &files[d][f], sizeof files[d][f]);
}

static int op_rename_file(int d, int f, int d2, int f2)
{
    int want;
    if (pair_call("rename file", rename, d, f, d2, f2, &want))
        return 1;
    if (want || (d == d2 && f == f2))
        return 0;
    model_copy(d, f, d2, f2);
    memset(&files[d][f], 0, sizeof files[d][f]);
    dirs[d].nfiles--;
    return 0;
}

static int op_reflink(int d, int f, int d2, int f2)
{
    int want;
    if (pair_call("reflink", reflink, d, f, d2, f2, &want))
        return 1;
    if (want == 0 && !(d == d2 && f == f2))
        model_copy(d, f, d2, f2);
    return 0;
}

static int op_mkdir(int d)
{
    char p[80];
    dpath(p, d);
    int want = dirs[d].exists ? EEXIST : 0;
    if (live && check("mkdir", p, mkdir(p), want))
        return 1;
    dirs[d].exists = 1;
    return 0;
}

static int op_rmdir(int d)
{
    char p[80];
    dpath(p, d);
    int want = !dirs[d].exists ? ENOENT : dirs[d].nfiles ? ENOTEMPTY : 0;
    if (live && check("rmdir", p, rmdir(p), want))
        return 1;
    if (want == 0)
        dirs[d].exists = 0;
    return 0;
}

static int op_rename_dir(int d, int d2)
{
    char p[80], q[16];
    dpath(p, d);
    dpath(q, d2);
    int want = !dirs[d].exists ? ENOENT : d == d2 ? 0 : dirs[d2].exists && dirs[d2].nfiles ? ENOTEMPTY : 0;
    if (live && check("rename dir", p, rename(p, q), want))
        return 1;
    if (want || d == d2)
        return 0;
    memcpy(&files[d2], &files[d], sizeof files[d]);
    dirs[d2] = dirs[d];
    memset(&files[d], 0, sizeof files[d]);
    dirs[d].exists = 0;
    dirs[d].nfiles = 0;
    return 0;
}

static int one_op(void)
{
    int d = pick(ND), f = pick(NF), d2 = pick(ND), f2 = pick(NF), k = pick(100);
    if (k < 30)
        return op_write(d, f, 0);
    if (k < 38)
        return op_write(d, f, 1);
    if (k < 46)
        return op_truncate(d, f);
    if (k < 56)
        return op_read(d, f);
    if (k < 62)
        return op_reflink(d, f, d2, f2);
    if (k < 70)
        return op_rename_file(d, f, d2, f2);
    if (k < 78)
        return op_unlink(d, f);
    if (k < 86)
        return d ? op_mkdir(d) : 0;
    if (k < 92)
        return d ? op_rmdir(d) : 0;
    if (k < 96)
        return d && d2 ? op_rename_dir(d, d2) : 0;
    if (live)
        sync();
    return 0;
}

static int run_round(unsigned long seed, int round, int ops)
{
    rng = seed * 0x9e3779b97f4a7c15UL + (unsigned long)round * 0x632be59bd9b4e019UL + 1;
    for (int i = 0; i < 8; i++)
        next();
    for (opno = 0; opno < ops; opno++)
        if (one_op())
            return 1;
    return 0;
}

/* ---- the whole tree against the model ---- */

static int verify_dir(int d)
{
    char p[80];
    struct dirent de;
    int fd, n = 0, r;
    dpath(p, d);
    fd = open(p, O_RDONLY);
    if (check("open directory", p, fd < 0 ? fd : 0, dirs[d].exists ? 0 : ENOENT))
        return 1;
    if (fd < 0)
        return 0;
    while ((r = readdir(fd, &de)) > 0) {
        int isdir = de.name[0] == 'd', i = de.name[1] - '0';
        int ok = de.name[2] == 0 && i >= 0 && (isdir ? d == 0 && i >= 1 && i < ND && dirs[i].exists
                                                      : de.name[0] == 'f' && i < NF && files[d][i].exists);
        if (!ok)
            return fail("unexpected directory entry", p, de.name[0], de.name[1]);
        n++;
    }
    close(fd);
    int want = dirs[d].nfiles;
    for (int i = 1; d == 0 && i < ND; i++)
        want += dirs[i].exists;
    return r < 0 ? fail("readdir", p, r, 0) : n != want ? fail("entries", p, n, want) : 0;
}

static int verify_all(void)
{
    for (int d = 0; d < ND; d++) {
        if (verify_dir(d))
            return 1;
        for (int f = 0; f < NF; f++) {
            char p[80];
            struct stat st;
            fpath(p, d, f);
            int r = stat(p, &st);
            if (check("stat", p, r, files[d][f].exists ? 0 : ENOENT))
                return 1;
            if (r == 0 && (long)st.size != files[d][f].size)
                return fail("size", p, (long)st.size, files[d][f].size);
            if (r == 0 && verify_range(d, f, 0, MAXF))
                return 1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        printf("usage: fsstress SEED ROUND OPS [-q]\n");
        return 2;
    }
    unsigned long seed = (unsigned long)atoi(argv[1]);
    int round = atoi(argv[2]), ops = atoi(argv[3]), verify_only = 0;
    for (int i = 4; i < argc; i++) {
        verify_only |= strcmp(argv[i], "-v") == 0;
        if (strcmp(argv[i], "-r") == 0 && i + 1 < argc)
            root = argv[++i];
    }
    dirs[0].exists = 1;
    for (int r = 0; r < round; r++)
        run_round(seed, r, ops);          /* the model alone: live = 0 */
    live = 1;
    opno = -1;
    char top[80];
    dpath(top, 0);
    if (round == 0 && !verify_only && check("mkdir /s", top, mkdir(top), 0))
        return 1;
    if (verify_all())
        return 1;
    if (verify_only) {
        printf("fsstress: PASS seed %ld: %s holds round %d's state\n", seed, top, round - 1);
        return 0;
    }
    if (run_round(seed, round, ops) || sync() < 0 || verify_all())
        return 1;
    long nfiles = 0, bytes = 0;
    for (int d = 0; d < ND; d++)
        for (int f = 0; f < NF; f++)
            if (files[d][f].exists)
                nfiles++, bytes += files[d][f].size;
    printf("fsstress: PASS seed %ld round %d ops %d files %ld bytes %ld\n", seed, round, ops, nfiles, bytes);
    return 0;
}

/*
 * fstests.c — the in-guest tests of the file system: `fstests` formats the
 * disk once (mkfs -f), runs every test of the table in order, each in its
 * own directory, and prints one line per test; the last line is "ALL
 * TESTS PASSED" only if all passed, after fsck checked the result.
 * `fstests NAME` runs one test. A failing test names its step (the line
 * number of the check that failed). Needs a disk of at least 16 MiB.
 */
#include "testtable.h"

#define CHECK(c) do { if (!(c)) return __LINE__; } while (0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static char buf[65536], got[65536];

static int runv(char **argv)
{
    int pid = fork(), status = -99;
    if (pid == 0) {
        exec(argv[0], argv);
        exit(127);
    }
    if (pid < 0 || wait(&status) != pid)
        return -98;
    return status;
}

static int run(char *a0, char *a1, char *a2, char *a3)
{
    char *argv[] = {a0, a1, a2, a3, 0};
    return runv(argv);
}

static void pattern(char *p, int n, int salt)
{
    for (int i = 0; i < n; i++)
        p[i] = (char)(i * 7 + salt + (i >> 12));
}

/* Writes n pattern bytes to a new file (truncated if it exists). */
static int make(const char *path, int n, int salt)
{
    pattern(buf, n, salt);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC);
    if (fd < 0)
        return fd;
    int r = write(fd, buf, n);
    close(fd);
    return r == n ? 0 : r < 0 ? r : -100;
}

/* 1 if the file holds exactly n pattern bytes of salt. */
static int holds(const char *path, int n, int salt)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return 0;
    int r = read(fd, got, sizeof got);
    close(fd);
    pattern(buf, n, salt);
    return r == n && memcmp(buf, got, n) == 0;
}

static long used(void)
{
    struct fsinfo fi;
    return fsinfo(&fi) < 0 ? -1 : (long)fi.used_blocks;
}

static long disk_writes(void)
{
    struct blkinfo bi;
    return blkinfo(&bi) < 0 ? -1 : (long)bi.disk_writes;
}

/* ---- the tests ---- */

static int t_create_write_read(void)
{
    struct stat st;
    CHECK(mkdir("/cw") == 0);
    int fd = open("/cw/f", O_RDWR | O_CREAT);
    CHECK(fd >= 3);
    CHECK(write(fd, "hello, file", 11) == 11);
    CHECK(lseek(fd, 0, SEEK_CUR) == 11 && lseek(fd, 0, SEEK_SET) == 0);
    CHECK(read(fd, got, 100) == 11 && memcmp(got, "hello, file", 11) == 0);
    CHECK(read(fd, got, 100) == 0);
    CHECK(fstat(fd, &st) == 0 && st.size == 11 && st.type == T_FILE && st.blocks == 1);
    CHECK(lseek(fd, 7, SEEK_SET) == 7 && write(fd, "FILE!", 5) == 5);
    CHECK(lseek(fd, -5, SEEK_END) == 7 && read(fd, got, 5) == 5 && memcmp(got, "FILE!", 5) == 0);
    CHECK(close(fd) == 0 && close(fd) == EBADF);
    CHECK(make("/cw/big", 65536, 3) == 0 && holds("/cw/big", 65536, 3));
    return 0;
}

static int t_holes(void)
{
    struct stat st;
    CHECK(mkdir("/h") == 0);
    int fd = open("/h/f", O_RDWR | O_CREAT);
    CHECK(fd >= 0 && lseek(fd, 40000, SEEK_SET) == 40000 && write(fd, "end", 3) == 3);
    CHECK(fstat(fd, &st) == 0 && st.size == 40003 && st.blocks == 1 && st.extents == 1);
    CHECK(lseek(fd, 0, SEEK_SET) == 0 && read(fd, got, 50000) == 40003);
    for (int i = 0; i < 40000; i++)
        CHECK(got[i] == 0);
    CHECK(memcmp(got + 40000, "end", 3) == 0);
    close(fd);
    return 0;
}

static int t_truncate(void)
{
    struct stat st;
    CHECK(mkdir("/tr") == 0 && make("/tr/f", 20000, 1) == 0);
    int fd = open("/tr/f", O_RDWR);
    CHECK(fd >= 0 && ftruncate(fd, 5000) == 0 && fstat(fd, &st) == 0 && st.size == 5000 && st.blocks == 2);
    CHECK(ftruncate(fd, 9000) == 0 && lseek(fd, 0, SEEK_SET) == 0 && read(fd, got, 20000) == 9000);
    pattern(buf, 5000, 1);
    CHECK(memcmp(got, buf, 5000) == 0);
    for (int i = 5000; i < 9000; i++)
        CHECK(got[i] == 0);             /* the old bytes past 5000 are gone */
    CHECK(ftruncate(fd, -1) == EINVAL);
    close(fd);
    fd = open("/tr/f", O_RDONLY);
    CHECK(ftruncate(fd, 0) == EBADF);
    close(fd);
    CHECK(open("/tr/f", O_WRONLY | O_TRUNC) >= 0 && stat("/tr/f", &st) == 0 && st.size == 0 && st.blocks == 0);
    return 0;
}

static int t_append(void)
{
    CHECK(mkdir("/ap") == 0);
    for (int i = 0; i < 3; i++) {
        int fd = open("/ap/log", O_WRONLY | O_CREAT | O_APPEND);
        CHECK(fd >= 0 && lseek(fd, 0, SEEK_SET) == 0 && write(fd, "line\n", 5) == 5);
        close(fd);
    }
    int fd = open("/ap/log", O_RDONLY);
    CHECK(read(fd, got, 100) == 15 && memcmp(got, "line\nline\nline\n", 15) == 0);
    close(fd);
    return 0;
}

static int t_modes(void)
{
    CHECK(mkdir("/m") == 0 && make("/m/f", 10, 0) == 0);
    int r = open("/m/f", O_RDONLY), w = open("/m/f", O_WRONLY);
    CHECK(r >= 0 && w >= 0);
    CHECK(write(r, "x", 1) == EBADF && read(w, got, 1) == EBADF);
    CHECK(open("/m", O_WRONLY) == EISDIR && open("/m", O_RDONLY) >= 0);
    CHECK(write(1, "", 0) == 0 && read(1, got, 1) == EBADF);   /* the console descriptors */
    return 0;
}

static int t_bad_arguments(void)
{
    struct stat st;
    char longname[80];
    memset(longname, 'n', sizeof longname - 1);
    longname[79] = 0;
    CHECK(open("/nope/x", O_RDWR | O_CREAT) == ENOENT && open("/nope", O_RDONLY) == ENOENT);
    CHECK(mkdir("/ba") == 0 && make("/ba/f", 1, 0) == 0);
    CHECK(open("/ba/f/x", O_RDONLY) == ENOTDIR && mkdir("/ba/f/d") == ENOTDIR);
    CHECK(mkdir("/ba") == EEXIST && rmdir("/ba") == ENOTEMPTY && unlink("/ba") == EISDIR);
    CHECK(rmdir("/ba/f") == ENOTDIR && unlink("/ba/nothing") == ENOENT);
    CHECK(chdir("/ba/f") == ENOTDIR);
    CHECK(open(longname, O_RDWR | O_CREAT) == ENAMETOOLONG);
    CHECK(mkdir("/ba/.") == EINVAL && mkdir("/") == EINVAL && unlink("/ba/..") == EINVAL);
    CHECK(open("/ba/f", 3) == EINVAL && open("/ba/f", 0x1000) == EINVAL);
    CHECK(open("", O_RDONLY) == ENOENT);
    CHECK(read(99, got, 1) == EBADF && write(-1, buf, 1) == EBADF && close(16) == EBADF);
    CHECK(fstat(42, &st) == EBADF && lseek(0, 0, SEEK_SET) == EBADF && fsync(7) == EBADF);
    CHECK(readdir(1, (struct dirent *)got) == EBADF);
    CHECK(open((char *)0x10, O_RDONLY) == EFAULT && stat((char *)0xdeadbeef000, &st) == EFAULT);
    CHECK(stat("/ba/f", (struct stat *)0x10) == EFAULT && mkdir((char *)-1L) == EFAULT);
    int fd = open("/ba/f", O_RDWR);
    CHECK(fd >= 0 && read(fd, (char *)0x10, 1) == EFAULT && write(fd, (char *)0x7ff0000000, 10) == EFAULT);
    CHECK(lseek(fd, 0, 9) == EINVAL && lseek(fd, -1, SEEK_SET) == EINVAL);
    close(fd);
    CHECK(getcwd((char *)0x10, 100) == EFAULT && getcwd(got, 1) == ENAMETOOLONG);
    return 0;                           /* and the process is still alive */
}

static int t_dirs_and_paths(void)
{
    struct stat st, st2;
    struct dirent d;
    CHECK(mkdir("/p") == 0 && mkdir("/p/a") == 0 && mkdir("/p/a/b") == 0 && chdir("/p/a/b") == 0);
    CHECK(getcwd(got, 100) == 6 && strcmp(got, "/p/a/b") == 0);
    CHECK(make("../x", 5, 0) == 0 && holds("/p/a/x", 5, 0));
    CHECK(chdir("..") == 0 && getcwd(got, 100) == 4 && strcmp(got, "/p/a") == 0);
    CHECK(stat("./b", &st) == 0 && st.type == T_DIR && stat("b/../b/./", &st2) == 0 && st2.ino == st.ino);
    CHECK(stat("/p/a/b/../../..", &st) == 0 && stat("/", &st2) == 0 && st.ino == st2.ino && st.ino == 256);
    CHECK(chdir("//p///a") == 0 && stat("x", &st) == 0 && st.size == 5);
    for (int i = 0; i < 12; i++) {
        char name[8] = {'/', 'p', '/', 'e', (char)('a' + i), 0};
        CHECK(make(name, i, i) == 0);
    }
    int fd = open("/p", O_RDONLY), n = 0;
    CHECK(readdir(fd, &d) == 1 && strcmp(d.name, "a") == 0 && d.type == T_DIR);
    while (readdir(fd, &d) == 1) {
        CHECK(d.name[0] == 'e' && d.name[1] == 'a' + n && d.type == T_FILE);
        n++;
    }
    close(fd);
    CHECK(n == 12 && stat("/p", &st) == 0 && st.size == 13);
    CHECK(unlink("/p/ec") == 0 && stat("/p", &st) == 0 && st.size == 12);
    CHECK(chdir("/") == 0 && getcwd(got, 100) == 1 && strcmp(got, "/") == 0);
    return 0;
}

static int t_rename(void)
{
    struct stat st;
    CHECK(mkdir("/rn") == 0 && mkdir("/rn/d1") == 0 && mkdir("/rn/d2") == 0);
    CHECK(make("/rn/a", 100, 1) == 0 && make("/rn/b", 200, 2) == 0);
    CHECK(rename("/rn/a", "/rn/b") == 0 && stat("/rn/a", &st) == ENOENT && holds("/rn/b", 100, 1));
    CHECK(rename("/rn/b", "/rn/d1/c") == 0 && holds("/rn/d1/c", 100, 1) && stat("/rn/b", &st) == ENOENT);
    CHECK(rename("/rn/d1/c", "/rn/d1/c") == 0 && holds("/rn/d1/c", 100, 1));
    CHECK(rename("/rn/d2", "/rn/d1") == ENOTEMPTY);
    CHECK(rename("/rn/d1", "/rn/d2") == 0 && holds("/rn/d2/c", 100, 1) && stat("/rn/d1", &st) == ENOENT);
    CHECK(mkdir("/rn/d2/sub") == 0 && rename("/rn/d2", "/rn/d2/sub/x") == EINVAL);
    CHECK(rename("/rn/d2/c", "/rn/d2/sub") == EISDIR && rename("/rn/d2/sub", "/rn/d2/c") == ENOTDIR);
    CHECK(rename("/rn/d2/sub", "/rn/moved") == 0 && chdir("/rn/moved") == 0 && chdir("..") == 0);
    CHECK(getcwd(got, 100) == 3 && strcmp(got, "/rn") == 0 && chdir("/") == 0);
    CHECK(rename("/rn/none", "/rn/x") == ENOENT && rename("/rn/d2/c", "/nope/c") == ENOENT);
    return 0;
}

static int t_unlink_frees(void)
{
    CHECK(mkdir("/uf") == 0 && sync() > 0);
    long before = used();
    CHECK(make("/uf/f", 65536, 0) == 0 && sync() > 0 && used() >= before + 16);
    CHECK(unlink("/uf/f") == 0 && sync() > 0 && sync() > 0);
    CHECK(used() == before);
    return 0;
}

static int t_reflink(void)
{
    struct stat a, b;
    CHECK(mkdir("/rl") == 0 && run("fill", "/rl/big", "2048", "5") == 0);
    CHECK(run("fill", "/rl/small", "64", "6") == 0);
    long w0 = (sync(), disk_writes());
    CHECK(reflink("/rl/big", "/rl/bigc") == 0 && sync() > 0);
    long big = disk_writes() - w0;
    w0 = disk_writes();
    CHECK(reflink("/rl/small", "/rl/smallc") == 0 && sync() > 0);
    long small = disk_writes() - w0;
    printf("fstest reflink: 2 MiB clone wrote %ld blocks, 64 KiB clone wrote %ld blocks\n", big, small);
    CHECK(big < 40 && big <= small + 4);  /* independent of the size (the data is 512 blocks) */
    CHECK(stat("/rl/big", &a) == 0 && stat("/rl/bigc", &b) == 0 && a.size == b.size && a.blocks == b.blocks);
    int fd = open("/rl/bigc", O_WRONLY);
    CHECK(fd >= 0 && lseek(fd, 1000000, SEEK_SET) == 1000000 && write(fd, "CLONE", 5) == 5);
    close(fd);
    char *v[] = {"fill", "-v", "/rl/big", "2048", "5", 0}, *w[] = {"fill", "-v", "/rl/smallc", "64", "6", 0};
    CHECK(runv(v) == 0);                  /* the original is untouched */
    fd = open("/rl/bigc", O_RDONLY);
    CHECK(lseek(fd, 999998, SEEK_SET) == 999998 && read(fd, got, 9) == 9 && memcmp(got + 2, "CLONE", 5) == 0);
    close(fd);
    CHECK(unlink("/rl/big") == 0 && unlink("/rl/small") == 0 && runv(w) == 0);
    CHECK(stat("/rl/bigc", &b) == 0 && b.size == 2048 * 1024);
    return 0;
}

static int t_snapshot(void)
{
    struct stat st;
    CHECK(mkdir("/sn") == 0 && make("/sn/a", 3000, 1) == 0 && make("/sn/b", 100, 2) == 0);
    CHECK(snapshot("/", "/snap1") == 0);
    CHECK(make("/sn/a", 500, 9) == 0 && unlink("/sn/b") == 0 && mkdir("/sn/new") == 0);
    CHECK(holds("/snap1/sn/a", 3000, 1) && holds("/snap1/sn/b", 100, 2) && stat("/snap1/sn/new", &st) == ENOENT);
    CHECK(holds("/sn/a", 500, 9) && stat("/sn/b", &st) == ENOENT);
    CHECK(stat("/snap1/sn/a", &st) == 0 && st.subvol > 5);
    CHECK(make("/snap1/sn/b", 77, 3) == 0 && holds("/snap1/sn/b", 77, 3) && stat("/sn/b", &st) == ENOENT);
    CHECK(chdir("/snap1/sn") == 0 && getcwd(got, 100) == 9 && strcmp(got, "/snap1/sn") == 0);
    CHECK(chdir("../..") == 0 && getcwd(got, 100) == 1 && chdir("/") == 0);
    CHECK(snapshot("/sn", "/x") == EINVAL && snapshot("/", "/snap1") == EEXIST);
    CHECK(rename("/snap1/sn/a", "/sn/z") == EXDEV && rmdir("/snap1") == EINVAL);
    CHECK(subvol("/vol") == 0 && make("/vol/f", 10, 4) == 0 && holds("/vol/f", 10, 4));
    CHECK(snapshot("/vol", "/vol/inner") == 0 && make("/vol/f", 20, 5) == 0 && holds("/vol/inner/f", 10, 4));
    return 0;
}

/* The block holding marker's file data: found by scanning the disk. */
static long find_block(const char *marker)
{
    struct blkinfo bi;
    blkinfo(&bi);
    for (long b = 4; b < (long)bi.nblocks; b++)
        if (blkread(b, got) == 0 && memcmp(got, marker, strlen(marker)) == 0)
            return b;
    return -1;
}

static int t_checksum(void)
{
    static char blk[4096];
    const char *m = "checksum-marker-3141592653";
    CHECK(mkdir("/ck") == 0);
    int fd = open("/ck/f", O_RDWR | O_CREAT);
    CHECK(fd >= 0 && write(fd, m, strlen(m)) == (int)strlen(m) && fsync(fd) == 0);
    long b = find_block(m);
    CHECK(b > 0 && blkread(b, blk) == 0);
    blk[100] ^= 1;                      /* beyond the file's bytes: still caught */
    CHECK(blkwrite(b, blk) == 0 && blksync() >= 0);
    CHECK(make("/ck/pending", 10, 1) == 0);   /* not committed */
    CHECK(lseek(fd, 0, SEEK_SET) == 0 && read(fd, got, 10) == EIO);
    CHECK(holds("/ck/pending", 10, 1));        /* a failed read rolls nothing back */
    blk[100] ^= 1;
    CHECK(blkwrite(b, blk) == 0 && blksync() >= 0);
    CHECK(lseek(fd, 0, SEEK_SET) == 0 && read(fd, got, 100) == (int)strlen(m));
    close(fd);
    return 0;
}

/* Writing until the disk is full: ENOSPC, the transaction rolls back, the file system goes on. */
static int t_no_space(void)
{
    struct stat st;
    CHECK(mkdir("/ns") == 0 && sync() > 0);
    long before = used();
    int fd = open("/ns/f", O_WRONLY | O_CREAT), r = 0, n = 0;
    CHECK(fd >= 0);
    pattern(buf, 65536, 7);
    while (n < 1000 && (r = write(fd, buf, 65536)) == 65536)
        n++;
    close(fd);
    CHECK(r == ENOSPC && n > 10);
    r = stat("/ns/f", &st);            /* gone, or as a periodic commit left it */
    CHECK(r == ENOENT || (r == 0 && st.size % 65536 == 0 && st.size <= 65536UL * n));
    CHECK(r == ENOENT || unlink("/ns/f") == 0);
    CHECK(sync() > 0 && used() == before);
    CHECK(make("/ns/g", 100, 1) == 0 && sync() > 0 && holds("/ns/g", 100, 1));
    return 0;
}

static struct test tests[] = {
    {"create_write_read", t_create_write_read},
    {"holes", t_holes},
    {"truncate", t_truncate},
    {"append", t_append},
    {"modes", t_modes},
    {"bad_arguments", t_bad_arguments},
    {"dirs_and_paths", t_dirs_and_paths},
    {"rename", t_rename},
    {"unlink_frees", t_unlink_frees},
    {"reflink", t_reflink},
    {"snapshot", t_snapshot},
    {"checksum", t_checksum},
    {"no_space", t_no_space},
};

int main(int argc, char **argv)
{
    if (mkfs(6, 1024) != 0) {
        printf("fstests: cannot format the disk\nSOME TESTS FAILED\n");
        return 1;
    }
    struct test_counts c = run_table(tests, ARRAY_SIZE(tests), argc > 1 ? argv[1] : 0, "fstest", "line");
    int clean = sync() > 0 && run("fsck", 0, 0, 0) == 0;
    printf("%d of %d tests passed, fsck %s\n", c.passed, c.ran, clean ? "clean" : "FAILED");
    return table_verdict(c, clean);
}
